import { OperatorError } from '../operator-error';

/** Where the embedded issuer listens and how it is reached; shared by the issuer and its clients. */
export interface IdentitySettings {
  readonly host: string;
  /** Origin the issuer is reached at; the issuer URL is this plus /realms/claims. */
  readonly publicOrigin: string;
  /** Origin of the portal (API and both web apps). */
  readonly portalOrigin: string;
  /** Lifetime of access tokens (`IDENTITY_ACCESS_TOKEN_TTL`, seconds); the web apps renew theirs before it ends. */
  readonly accessTokenTtlSeconds: number;
  /** Client accounts added to the demo realm for load tests (`IDENTITY_EXTRA_CLIENTS`; demo-realm.ts `extraClientUsers`). */
  readonly extraClients: number;
}

export function identitySettings(env: NodeJS.ProcessEnv): IdentitySettings {
  const port = env.IDENTITY_PORT?.trim() || '8180';
  const ttl = Number(env.IDENTITY_ACCESS_TOKEN_TTL?.trim() || '3600');
  if (!Number.isInteger(ttl) || ttl < 5 || ttl > 86_400) {
    throw new OperatorError(`IDENTITY_ACCESS_TOKEN_TTL must be a whole number of seconds between 5 and 86400, but it is "${env.IDENTITY_ACCESS_TOKEN_TTL}".`);
  }
  const extraClients = Number(env.IDENTITY_EXTRA_CLIENTS?.trim() || '0');
  if (!Number.isInteger(extraClients) || extraClients < 0 || extraClients > 100_000) {
    throw new OperatorError(`IDENTITY_EXTRA_CLIENTS must be a whole number of accounts between 0 and 100000, but it is "${env.IDENTITY_EXTRA_CLIENTS}".`);
  }
  return {
    accessTokenTtlSeconds: ttl,
    extraClients,
    host: env.IDENTITY_HOST?.trim() || '127.0.0.1',
    publicOrigin: (env.IDENTITY_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, ''),
    portalOrigin: (env.PORTAL_PUBLIC_URL?.trim() || `http://localhost:${env.PORTAL_PORT?.trim() || '3000'}`).replace(/\/$/, ''),
  };
}
