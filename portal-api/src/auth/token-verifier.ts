import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { type Principal } from './principal';

export class InvalidToken extends Error {}

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

  constructor(
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  async verify(token: string): Promise<Principal> {
    const jwks = await this.keys();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: this.issuer, audience: this.audience, algorithms: ['RS256', 'PS256', 'ES256'], clockTolerance: 5 }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidToken('The access token has expired.');
      if (error instanceof joseErrors.JOSEError) throw new InvalidToken(`The access token was refused: ${error.code}.`);
      throw error;
    }
    return principalFromClaims(payload);
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
