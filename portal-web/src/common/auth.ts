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
 *
 * The session renews itself silently with the refresh token, a little before
 * the access token expires, so a form being filled is never thrown away by a
 * trip to the sign-in page. The renewal is scheduled here rather than by
 * oidc-client-ts's automaticSilentRenew, whose fixed lead time (60 s) would
 * renew short-lived tokens in a loop: the lead is a quarter of the token's
 * lifetime, at most a minute.
 */
export class Session {
  private renewal: Promise<boolean> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly manager: UserManager,
    private user: User,
  ) {
    this.scheduleRenewal();
  }

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
      // Renewed by this class instead (see above), with the refresh token: no hidden iframe.
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

  /**
   * A valid access token. One that has expired (the tab slept through its
   * renewal) is renewed silently first; only when that fails does the browser
   * go to sign in again, and come back here.
   */
  async accessToken(): Promise<string> {
    if ((this.user.expires_in ?? 0) <= 2 && !(await this.renew())) {
      await this.manager.signinRedirect({ state: { returnTo: window.location.pathname + window.location.search } satisfies ReturnState });
      return new Promise<never>(() => undefined);
    }
    return this.user.access_token;
  }

  /**
   * Gets fresh tokens with the refresh token, without leaving the page (one
   * renewal at a time, however many calls ask); false when the issuer no
   * longer accepts it (the session ended there).
   */
  renew(): Promise<boolean> {
    this.renewal ??= this.manager.signinSilent().then(
      (user) => {
        if (user) this.user = user;
        return Boolean(user);
      },
      () => false,
    ).finally(() => {
      this.renewal = undefined;
      this.scheduleRenewal();
    });
    return this.renewal;
  }

  private scheduleRenewal(): void {
    clearTimeout(this.timer);
    if (!this.user.refresh_token) return;
    const left = this.user.expires_in ?? 0;
    const lead = Math.min(60, left / 4);
    this.timer = setTimeout(() => void this.renew(), Math.max(0, left - lead) * 1000);
  }

  async signOut(): Promise<void> {
    clearTimeout(this.timer);
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
