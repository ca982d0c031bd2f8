/** Where the embedded issuer listens and how it is reached; shared by the issuer and its clients. */
export interface IdentitySettings {
  readonly host: string;
  /** Origin the issuer is reached at; the issuer URL is this plus /realms/claims. */
  readonly publicOrigin: string;
  /** Origin of the portal (API and both web apps). */
  readonly portalOrigin: string;
}

export function identitySettings(env: NodeJS.ProcessEnv): IdentitySettings {
  const port = env.IDENTITY_PORT?.trim() || '8180';
  return {
    host: env.IDENTITY_HOST?.trim() || '127.0.0.1',
    publicOrigin: (env.IDENTITY_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, ''),
    portalOrigin: (env.PORTAL_PUBLIC_URL?.trim() || `http://localhost:${env.PORTAL_PORT?.trim() || '3000'}`).replace(/\/$/, ''),
  };
}
