import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
// Before oidc-provider: it prints a notice to the console as it loads.
import { logOidcProviderNoticesTo } from './oidc-provider-notices';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { type Logger } from '../logger';
import { API_AUDIENCE, DEMO_USERS, REALM, REALM_CLIENTS, serviceAccountUsername, type RealmUser } from './demo-realm';
import { type IssuerSecrets } from './signing-keys';
import { renderLoginPage } from './login-page';
import { issuerUrl } from './issuer-url';

/**
 * The embedded stand-in for Keycloak: an OpenID Connect issuer built on
 * `oidc-provider`, at Keycloak's paths (`/realms/claims/protocol/openid-connect/…`)
 * and issuing Keycloak-shaped JWT access tokens (`realm_access.roles`,
 * `preferred_username`, `azp`). Clients find everything through discovery.
 */
export interface IdentityIssuerOptions {
  /** Origin the issuer is reached at, e.g. http://localhost:8180. */
  readonly publicOrigin: string;
  /** Origin of the web apps, for redirect URIs and CORS. */
  readonly portalOrigin: string;
  readonly secrets: IssuerSecrets;
  readonly logger: Logger;
  readonly users?: readonly RealmUser[];
  readonly accessTokenTtlSeconds?: number;
}

/** The resource indicator of the portal API; its tokens carry `aud: claims-api`. */
const API_RESOURCE = `urn:claims:${API_AUDIENCE}`;
const LOGIN_PATH = '/login';

export function createIdentityIssuer(options: IdentityIssuerOptions): { provider: Provider; server: Server; issuer: string } {
  logOidcProviderNoticesTo(options.logger);
  const users = options.users ?? DEMO_USERS;
  const issuer = issuerUrl(options.publicOrigin);
  const mountPath = new URL(issuer).pathname;
  const provider = new Provider(issuer, configuration(options, users, mountPath));
  provider.proxy = true;
  provider.registerGrantType('password', passwordGrant(users, options.accessTokenTtlSeconds ?? 3600), ['username', 'password', 'scope']);
  provider.on('server_error', (_ctx, error) => options.logger.error({ err: error }, 'identity issuer error'));

  const handle = provider.callback();
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(mountPath)) return notFound(res);
    const rest = url.slice(mountPath.length) || '/';
    if (rest.startsWith(`${LOGIN_PATH}/`)) {
      void handleLogin(provider, users, req, res, rest).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'sign-in page failed');
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('This sign-in link has expired. Go back to the application and sign in again.');
      });
      return;
    }
    // oidc-provider reads the mount path from originalUrl.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = rest;
    void handle(req, res);
  });
  return { provider, server, issuer };
}

function configuration(options: IdentityIssuerOptions, users: readonly RealmUser[], mountPath: string): Configuration {
  const portal = options.portalOrigin.replace(/\/$/, '');
  return {
    jwks: { keys: [options.secrets.signingKey] },
    cookies: { keys: options.secrets.cookieKeys },
    clients: REALM_CLIENTS.map((client) => ({
      client_id: client.clientId,
      ...(client.secret ? { client_secret: client.secret } : { token_endpoint_auth_method: 'none' }),
      grant_types: [
        ...(client.redirectPaths ? ['authorization_code', 'refresh_token'] : []),
        ...(client.directAccessGrants ? ['password'] : []),
        ...(client.serviceAccountRoles ? ['client_credentials'] : []),
      ],
      response_types: client.redirectPaths ? ['code'] : [],
      redirect_uris: (client.redirectPaths ?? []).map((p) => `${portal}${p}`),
      post_logout_redirect_uris: (client.redirectPaths ?? []).map((p) => `${portal}${p}`),
    })),
    // Keycloak's endpoint paths, so production configuration differs only in the host.
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
    },
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, origin) => origin === portal,
    claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name', 'preferred_username'], email: ['email', 'email_verified'], phone: ['phone_number'] },
    scopes: ['openid', 'profile', 'email', 'phone', 'offline_access'],
    ttl: { AccessToken: options.accessTokenTtlSeconds ?? 3600, ClientCredentials: options.accessTokenTtlSeconds ?? 3600, IdToken: options.accessTokenTtlSeconds ?? 3600, RefreshToken: 10 * 3600, Session: 10 * 3600, Grant: 10 * 3600, Interaction: 15 * 60 },
    // As Keycloak does for its standard flow: the web apps get a refresh token with the code
    // (without asking for offline_access), so a staff member's session renews silently.
    issueRefreshToken: (_ctx, client) => Promise.resolve(client.grantTypeAllowed('refresh_token')),
    findAccount: (_ctx, sub) => {
      const found = users.find((u) => u.id === sub);
      return found ? { accountId: found.id, claims: () => userClaims(found) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}${LOGIN_PATH}/${interaction.uid}` },
    // The realm's own apps need no consent screen (Keycloak's "consent required: off").
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email phone offline_access');
      grant.addResourceScope(API_RESOURCE, '');
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`Expected resource ${API_RESOURCE}, but got ${resource}.`);
          return apiResourceServer(options.accessTokenTtlSeconds ?? 3600);
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const clientId = token.clientId;
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (accountId) {
        const found = users.find((u) => u.id === accountId);
        if (!found) return undefined;
        return { azp: clientId, realm_access: { roles: [...found.roles] }, ...userClaims(found) };
      }
      const client = REALM_CLIENTS.find((c) => c.clientId === clientId);
      if (!client?.serviceAccountRoles) return undefined;
      return { azp: clientId, preferred_username: serviceAccountUsername(client.clientId), realm_access: { roles: [...client.serviceAccountRoles] } };
    },
  };
}

/** The portal API as a resource server: JWT access tokens, as Keycloak issues them. */
function apiResourceServer(accessTokenTTL: number) {
  return { audience: API_AUDIENCE, scope: '', accessTokenFormat: 'jwt' as const, accessTokenTTL, jwt: { sign: { alg: 'RS256' as const } } };
}

function userClaims(user: RealmUser): { sub: string; [claim: string]: unknown } {
  return {
    sub: user.id,
    preferred_username: user.username,
    name: `${user.givenName} ${user.familyName}`,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    email_verified: true,
    ...(user.phoneNumber ? { phone_number: user.phoneNumber } : {}),
  };
}

function checkPassword(users: readonly RealmUser[], username: unknown, password: unknown): RealmUser | undefined {
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  const found = users.find((u) => u.username === username.trim().toLowerCase());
  if (!found) return undefined;
  const given = Buffer.from(password);
  const expected = Buffer.from(found.password);
  return given.length === expected.length && timingSafeEqual(given, expected) ? found : undefined;
}

/**
 * Keycloak's "direct access grants": a username and password straight at the
 * token endpoint. Only the CLI client has it; the web apps use the browser flow.
 */
function passwordGrant(users: readonly RealmUser[], accessTokenTtl: number) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const { provider, client, params } = ctx.oidc;
    if (!client || !params) throw new errors.InvalidRequest('client authentication is required');
    const found = checkPassword(users, params.username, params.password);
    if (!found) throw new errors.InvalidGrant('Invalid user credentials');
    const grant = new provider.Grant({ clientId: client.clientId, accountId: found.id });
    await grant.save();
    const token = new provider.AccessToken({ accountId: found.id, client, grantId: grant.jti, gty: 'password', scope: typeof params.scope === 'string' ? params.scope : undefined });
    token.resourceServer = new provider.ResourceServer(API_RESOURCE, apiResourceServer(accessTokenTtl));
    const value = await token.save();
    ctx.body = { access_token: value, expires_in: token.expiration, token_type: 'Bearer', scope: token.scope ?? '' };
  };
}

async function handleLogin(provider: Provider, users: readonly RealmUser[], req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const uid = rest.slice(LOGIN_PATH.length + 1).split(/[/?]/)[0];
  if (uid !== details.uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') return sendHtml(res, 200, renderLoginPage({ action: req.url ?? '', clientId: typeof details.params.client_id === 'string' ? details.params.client_id : '' }));
  if (req.method !== 'POST') return sendHtml(res, 405, 'Method not allowed');
  const form = new URLSearchParams(await readBody(req, 16 * 1024));
  const found = checkPassword(users, form.get('username'), form.get('password'));
  if (!found) {
    return sendHtml(res, 401, renderLoginPage({ action: req.url ?? '', clientId: typeof details.params.client_id === 'string' ? details.params.client_id : '', username: form.get('username') ?? '', error: 'Wrong username or password.' }));
  }
  await provider.interactionFinished(req, res, { login: { accountId: found.id } }, { mergeWithLastSubmission: false });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('sign-in form too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(html);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not_found', error_description: `Realms are served under /realms/${REALM}` }));
}
