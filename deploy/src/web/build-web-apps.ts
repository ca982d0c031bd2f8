import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { REPOSITORY_ROOT } from '../settings';
import { isStampCurrent, writeStamp } from '../build/build-stamp';
import { FAVICON_SVG } from './favicon';

/** One of the two browser apps, as the portal serves it. */
export interface WebAppDefinition {
  /** Workspace folder, e.g. `portal-web`. */
  readonly folder: string;
  /** URL path the portal serves it under, ending in `/`. */
  readonly basePath: string;
  readonly title: string;
  /** Entry points under `src/`; the first is the page's script, the others load on demand. */
  readonly entries: readonly string[];
}

export const WEB_APPS: readonly WebAppDefinition[] = [
  { folder: 'portal-web', basePath: '/', title: 'My claims', entries: ['main.tsx'] },
  { folder: 'tasklist-web', basePath: '/staff/', title: 'Claims staff', entries: ['main.tsx', 'modeler/modeler-page.tsx'] },
];

export interface BuiltFile {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BuiltWebApp {
  readonly app: WebAppDefinition;
  readonly outdir: string;
  /** Every JavaScript and CSS file written, with its size raw and gzipped. */
  readonly files: readonly BuiltFile[];
  /** URL of each entry's script and style sheet, by entry name (`main`, `modeler-page`). */
  readonly assets: Readonly<Record<string, { js: string; css?: string }>>;
}

/**
 * Bundles a web app with esbuild into `<app>/dist`: ES modules with shared
 * chunks, minified, content-hashed names (the portal caches those for a
 * year), and an `index.html` that names the entry's files. The hashed URLs of
 * the on-demand entries are listed in the page, so the app can load them.
 */
export async function buildWebApp(app: WebAppDefinition, options: { minify?: boolean } = {}): Promise<BuiltWebApp> {
  const root = path.join(REPOSITORY_ROOT, app.folder);
  const outdir = path.join(root, 'dist');
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: app.entries.map((entry) => path.join(root, 'src', entry)),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['chrome115', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    metafile: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    publicPath: app.basePath,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: [onePreact(root)],
  });
  const assets = entryAssets(result.metafile, root, app);
  await writeFile(path.join(outdir, 'index.html'), indexHtml(app, assets));
  // Without an icon of its own the browser asks for /favicon.ico and logs a 404 on every page.
  await writeFile(path.join(outdir, 'favicon.svg'), FAVICON_SVG);
  // What it was built from, paths relative to the repository, so an unchanged app is not built again.
  const inputs = Object.keys(result.metafile.inputs).map((file) => path.relative(REPOSITORY_ROOT, path.join(root, file)));
  await writeStamp(path.join(outdir, '.web-build.json'), WEB_RECIPE, [...inputs, 'deploy/src/web/build-web-apps.ts', 'deploy/src/web/favicon.ts']);
  const files: BuiltFile[] = [];
  for (const output of Object.keys(result.metafile.outputs)) {
    if (!/\.(js|css)$/.test(output)) continue;
    const content = await readFile(path.join(root, output));
    files.push({ file: path.relative(outdir, path.join(root, output)), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length });
  }
  return { app, outdir, files, assets };
}

export async function buildWebApps(options: { minify?: boolean } = {}): Promise<BuiltWebApp[]> {
  const built: BuiltWebApp[] = [];
  for (const app of WEB_APPS) built.push(await buildWebApp(app, options));
  return built;
}

/**
 * Every package gets the app's own Preact. form-js's editor pins an older
 * Preact while the properties panel it renders takes the app's; two copies
 * break hooks ("reading 'context'" of null) and double the weight.
 */
function onePreact(appRoot: string): Plugin {
  return {
    name: 'one-preact',
    setup(builder) {
      builder.onResolve({ filter: /^preact(\/[a-z-]+)?$/ }, (args) => (args.resolveDir === appRoot ? undefined : builder.resolve(args.path, { kind: args.kind, resolveDir: appRoot })));
    },
  };
}

function entryAssets(metafile: Metafile, root: string, app: WebAppDefinition): Record<string, { js: string; css?: string }> {
  const assets: Record<string, { js: string; css?: string }> = {};
  for (const [output, info] of Object.entries(metafile.outputs)) {
    if (!info.entryPoint || !output.endsWith('.js')) continue;
    const name = path.basename(info.entryPoint).replace(/\.tsx?$/, '');
    const url = (file: string) => `${app.basePath}${path.relative(path.join(root, 'dist'), path.join(root, file)).split(path.sep).join('/')}`;
    assets[name] = { js: url(output), ...(info.cssBundle ? { css: url(info.cssBundle) } : {}) };
  }
  return assets;
}

function indexHtml(app: WebAppDefinition, assets: Record<string, { js: string; css?: string }>): string {
  const main = assets.main;
  if (!main) throw new Error(`${app.folder}: no main entry was built`);
  const lazy = Object.fromEntries(Object.entries(assets).filter(([name]) => name !== 'main'));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${app.title}</title>
<link rel="icon" href="${app.basePath}favicon.svg" type="image/svg+xml">
${main.css ? `<link rel="stylesheet" href="${main.css}">\n` : ''}<script type="module" src="${main.js}"></script>
<script type="application/json" id="lazy-assets">${JSON.stringify(lazy)}</script>
</head>
<body>
<div id="app"><p class="loading" role="status">Loading…</p></div>
<noscript>This application needs JavaScript.</noscript>
</body>
</html>
`;
}

/** Changes whenever the build options above change, so an old build is not taken for a current one. */
const WEB_RECIPE = 'web-1';
const stampOf = (app: WebAppDefinition) => path.join(REPOSITORY_ROOT, app.folder, 'dist', '.web-build.json');

/**
 * Before `npm start`: builds each app whose inputs (its sources and the
 * packages it bundles, as the last build's metafile lists them) changed since
 * its last build, and says so; a current app is left as it is.
 */
export async function buildWebAppsIfChanged(options: { force?: boolean } = {}): Promise<void> {
  for (const app of WEB_APPS) {
    if (!options.force && (await isStampCurrent(stampOf(app), WEB_RECIPE))) continue;
    const startedAt = performance.now();
    const built = await buildWebApp(app);
    process.stdout.write(`${describe(built)}, built in ${Math.round(performance.now() - startedAt)} ms\n`);
  }
}

function describe(built: BuiltWebApp): string {
  const js = built.files.filter((f) => f.file.endsWith('.js'));
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  return `${built.app.folder}: ${js.length} scripts, ${kib(js.reduce((s, f) => s + f.bytes, 0))} (${kib(js.reduce((s, f) => s + f.gzipBytes, 0))} gzipped) in ${path.relative(REPOSITORY_ROOT, built.outdir)}`;
}

/** `npm run build:web`: builds both apps and prints their sizes. */
export async function main(): Promise<void> {
  for (const built of await buildWebApps()) process.stdout.write(`${describe(built)}\n`);
}
