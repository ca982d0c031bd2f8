import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import { type NextFunction, type Request, type Response } from 'express';
import serveStatic from 'serve-static';

/** A built single-page app and the URL prefix it is served under. */
interface WebApp {
  readonly prefix: string;
  readonly folder: string;
}

/**
 * Serves the two built web apps beside the API (ARCHITECTURE.md: the extranet
 * at `/`, the staff app at `/staff`). Hashed bundles are cached for a year;
 * `index.html` is never cached, so a deployment shows at the next load. Any
 * other path under an app answers its `index.html`: the apps route in the
 * browser, and a task link from an email must open the app, not a 404.
 */
export function webApps(root: string): ((req: Request, res: Response, next: NextFunction) => void)[] {
  const apps: WebApp[] = [
    { prefix: '/staff', folder: path.join(root, 'tasklist-web', 'dist') },
    { prefix: '', folder: path.join(root, 'portal-web', 'dist') },
  ].filter((app) => existsSync(path.join(app.folder, 'index.html')));
  const statics = apps.map((app) => ({
    app,
    serve: serveStatic(app.folder, {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        res.setHeader('cache-control', /-[A-Z0-9]{8}\.(js|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('x-content-type-options', 'nosniff');
      },
    }),
  }));
  const serveApp = (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api') return next();
    const found = statics.find(({ app }) => app.prefix === '' || req.path === app.prefix || req.path.startsWith(`${app.prefix}/`));
    if (!found) return next();
    const { app, serve } = found;
    if (app.prefix && req.path === app.prefix) return res.redirect(301, `${app.prefix}/`);
    const original = req.url;
    req.url = req.url.slice(app.prefix.length) || '/';
    serve(req, res, () => {
      req.url = original;
      // An unknown file (with an extension) is a real 404; a route is the app's page.
      if (path.extname(req.path) !== '') return next();
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
      res.sendFile(path.join(app.folder, 'index.html'));
    });
  };
  // Only the apps' files are compressed here: compressing the API would buffer its live event streams.
  const compressApps = compression({ filter: (req, res) => !req.url.startsWith('/api') && compression.filter(req, res) });
  return [compressApps, serveApp];
}

/**
 * The apps load only their own scripts; they call the API and the identity
 * issuer (discovery, token) by fetch, and show documents from blob: URLs.
 * form-js and the modelers set inline styles, hence 'unsafe-inline' for styles;
 * the modeler's icon font is a data: URL, hence data: for fonts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // bpmn-js embeds its palette's icon font as a data: URL (bpmn-embedded.css).
  "font-src 'self' data:",
  "object-src 'self' blob:",
  "frame-src 'self' blob:",
  "connect-src 'self' http: https:",
  "frame-ancestors 'none'",
].join('; ');
