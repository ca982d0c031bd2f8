import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../logger';
import { extraClientUsers } from './demo-realm';
import { startLocalIssuer, type LocalIssuer } from './identity-process';

/**
 * The local issuer as a browser and the portal meet it: discovery, the
 * authorization code flow with PKCE through its sign-in page, and the
 * Keycloak-shaped access token that comes out.
 */
describe('the embedded identity issuer', () => {
  let local: LocalIssuer;
  let issuer: string;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'issuer-'));
    local = await startLocalIssuer({ dataDir: folder, logger: createLogger('test', { LOG_LEVEL: 'warn' }), env: { ...process.env, LOG_LEVEL: 'warn', PORTAL_PUBLIC_URL: 'http://localhost:3000', IDENTITY_EXTRA_CLIENTS: '3' } });
    issuer = local.issuer;
  });

  afterAll(async () => {
    await local?.process.stop();
    await rm(folder, { recursive: true, force: true });
  });

  test('IDENTITY_EXTRA_CLIENTS adds that many client accounts, client-1 to client-N, and no more', async () => {
    const grant = (username: string) =>
      fetch(`${issuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username, password: 'demo' }) });
    const answer = await grant('client-3');
    expect(answer.status).toBe(200);
    const { access_token: token } = (await answer.json()) as { access_token: string };
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: extraClientUsers(3)[2]!.id, preferred_username: 'client-3', realm_access: { roles: ['client'] } });
    expect((await grant('client-4')).status).toBe(400);
  });

  test('discovery names Keycloak\'s endpoint paths', async () => {
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
      token_endpoint: `${issuer}/protocol/openid-connect/token`,
      jwks_uri: `${issuer}/protocol/openid-connect/certs`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  test('a person signs in through the browser flow with PKCE and the app gets a Keycloak-shaped token', async () => {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, value] = pair!.split('=');
        jar.set(name!, value ?? '');
      }
      return response;
    };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = `${issuer}/protocol/openid-connect/auth?${new URLSearchParams({ client_id: 'claims-web', response_type: 'code', scope: 'openid profile', redirect_uri: 'http://localhost:3000/staff/callback', code_challenge: challenge, code_challenge_method: 'S256', state: 'task-42' }).toString()}`;

    const toLogin = await go(authorize);
    expect(toLogin.status).toBe(303);
    const loginUrl = new URL(toLogin.headers.get('location')!, issuer).href;
    const page = await go(loginUrl);
    expect(await page.text()).toContain('<label for="username">Username</label>');

    const wrong = await go(loginUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=adam&password=nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong username or password.');

    let response = await go(loginUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=adam&password=demo' });
    for (let hops = 0; hops < 5 && !(response.headers.get('location') ?? '').startsWith('http://localhost:3000/'); hops++) {
      expect([302, 303]).toContain(response.status);
      response = await go(response.headers.get('location')!);
    }
    const callback = new URL(response.headers.get('location')!);
    expect(callback.pathname).toBe('/staff/callback');
    expect(callback.searchParams.get('state')).toBe('task-42'); // the task link survives sign-in

    const token = await fetch(`${issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'claims-web', code: callback.searchParams.get('code')!, redirect_uri: 'http://localhost:3000/staff/callback', code_verifier: verifier }),
    });
    const tokens = (await token.json()) as { access_token: string; id_token: string; refresh_token?: string };
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: 'claims-api', azp: 'claims-web', preferred_username: 'adam', realm_access: { roles: ['adjuster'] } });
    expect(tokens.id_token).toBeDefined();

    // A refresh token comes with the code (as Keycloak's standard flow gives one), without asking for
    // offline_access, and renews the session with no sign-in page: a Keycloak-shaped token again.
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const renewed = await fetch(`${issuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'claims-web', refresh_token: tokens.refresh_token! }) });
    expect(renewed.status).toBe(200);
    const next = (await renewed.json()) as { access_token: string; refresh_token?: string };
    expect(JSON.parse(Buffer.from(next.access_token.split('.')[1]!, 'base64url').toString())).toMatchObject({ iss: issuer, aud: 'claims-api', azp: 'claims-web', preferred_username: 'adam', realm_access: { roles: ['adjuster'] } });
    // The web client is public: each refresh token is used once and replaced.
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await fetch(`${issuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'claims-web', refresh_token: tokens.refresh_token! }) });
    expect(reused.status).toBe(400);
  });

  test('a code exchange without the PKCE verifier is refused', async () => {
    const response = await fetch(`${issuer}/protocol/openid-connect/auth?${new URLSearchParams({ client_id: 'claims-web', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:3000/callback' }).toString()}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('error=invalid_request');
  });
});
