import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { type Principal } from './principal';

export class InvalidToken extends Error {}

/** How long a checked token is taken on trust without checking its signature again (never past its expiry). */
const VERIFIED_FOR_MS = 60_000;
/** Enough for every signed-in caller of a busy minute; the oldest go first beyond it. */
const MAX_VERIFIED = 10_000;

interface Discovery {
  issuer: string;
  jwks_uri: string;
}

/**
 * Checks bearer tokens the standard way: the issuer's discovery document names
 * its JWKS; signatures, issuer, audience and lifetime are checked by `jose`.
 * Works the same against Keycloak and the embedded issuer. The JWKS is cached
 * and fetched again when a token names a key it does not hold (key rotation).
 */
export class TokenVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private discovering: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  /**
   * Tokens whose signature was checked, by their exact text, with when to
   * check again. A client sends the same token with every call until it
   * expires, and an RSA check was the portal's largest cost after its SQL
   * (about 1 ms of CPU a request on this machine under load). A cached token
   * is still refused after its `exp`; only a key withdrawn by the issuer is
   * noticed up to a minute later (the JWKS was cached ten minutes already).
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.principal;
    if (known) this.verified.delete(token);
    const jwks = await this.keys();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: this.issuer, audience: this.audience, algorithms: ['RS256', 'PS256', 'ES256'], clockTolerance: 5 }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidToken('The access token has expired.');
      if (error instanceof joseErrors.JOSEError) throw new InvalidToken(`The access token was refused: ${error.code}.`);
      throw error;
    }
    const principal = principalFromClaims(payload);
    this.remember(token, principal, payload.exp === undefined ? now + VERIFIED_FOR_MS : Math.min(now + VERIFIED_FOR_MS, payload.exp * 1000));
    return principal;
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, until });
  }

  private keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return Promise.resolve(this.jwks);
    this.discovering ??= this.discover().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const url = `${this.issuer}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`OpenID discovery at ${url} answered ${response.status}`);
    const discovery = (await response.json()) as Discovery;
    if (discovery.issuer !== this.issuer) throw new Error(`OpenID discovery at ${url} names issuer ${discovery.issuer}, expected ${this.issuer}`);
    this.jwks = createRemoteJWKSet(new URL(discovery.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    return this.jwks;
  }
}

/** Keycloak's claims: `realm_access.roles`, `preferred_username`, `name`, `email`. */
export function principalFromClaims(payload: JWTPayload): Principal {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken('The access token names no subject.');
  const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is string => typeof r === 'string') : [];
  const username = typeof payload.preferred_username === 'string' ? payload.preferred_username : payload.sub;
  return {
    subject: payload.sub,
    username,
    name: typeof payload.name === 'string' ? payload.name : username,
    email: typeof payload.email === 'string' ? payload.email : undefined,
    roles: new Set(roles),
  };
}
