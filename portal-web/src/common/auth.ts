import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';

/** What the portal tells the apps before sign-in (`GET /api/web-config`). */
interface WebConfig {
  readonly issuer: string;
  readonly clientId: string;
}

/** The signed-in person, from the ID token's claims. */
export interface Person {
  readonly username: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/** Where to come back to after the issuer's sign-in page. */
interface ReturnState {
  readonly returnTo: string;
}

/**
 * Sign-in with the OpenID Connect issuer (Keycloak in production, the
 * embedded issuer locally): authorization code with PKCE, tokens kept for the
 * browser tab only (sessionStorage). `basePath` is the app's URL prefix; its
 * `callback` path is a registered redirect URI.
 */
export class Session {
  private constructor(
    private readonly manager: UserManager,
    private user: User,
  ) {}

  /**
   * Resolves with the session, finishing a sign-in when the page is the
   * callback; otherwise sends the browser to sign in and never resolves.
   */
  static async start(basePath: string): Promise<Session> {
    const config = (await (await fetch('/api/web-config')).json()) as WebConfig;
    const origin = window.location.origin;
    const manager = new UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${origin}${basePath}callback`,
      post_logout_redirect_uri: `${origin}${basePath}`,
      response_type: 'code',
      scope: 'openid profile email phone',
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: false,
    });
    if (window.location.pathname === `${basePath}callback`) {
      const user = await manager.signinRedirectCallback();
      const returnTo = (user.state as ReturnState | undefined)?.returnTo ?? basePath;
      window.history.replaceState(null, '', returnTo.startsWith(basePath) ? returnTo : basePath);
      return new Session(manager, user);
    }
    const user = await manager.getUser();
    if (user && !user.expired) return new Session(manager, user);
    await manager.signinRedirect({ state: { returnTo: window.location.pathname + window.location.search } satisfies ReturnState });
    return new Promise<never>(() => undefined);
  }

  get person(): Person {
    const claims = this.user.profile;
    const access = decodePayload(this.user.access_token);
    const roles = (access.realm_access as { roles?: string[] } | undefined)?.roles ?? [];
    const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : '';
    return { username, name: typeof claims.name === 'string' ? claims.name : username, roles };
  }

  /** A valid access token; when it has expired, the browser signs in again and comes back here. */
  async accessToken(): Promise<string> {
    if (this.user.expired) {
      await this.manager.signinRedirect({ state: { returnTo: window.location.pathname + window.location.search } satisfies ReturnState });
      return new Promise<never>(() => undefined);
    }
    return this.user.access_token;
  }

  async signOut(): Promise<void> {
    await this.manager.signoutRedirect({ id_token_hint: this.user.id_token });
  }
}

/** The claims of a JWT, unchecked: the API checks the signature; the app only reads the roles. */
function decodePayload(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split('.')[1] ?? '';
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}
