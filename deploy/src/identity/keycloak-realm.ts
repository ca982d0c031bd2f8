import { API_AUDIENCE, REALM, REALM_CLIENTS, ROLES, serviceAccountUsername } from './demo-realm';

/**
 * The production Keycloak realm, made from the same description the embedded
 * issuer serves (demo-realm.ts), so the two cannot drift: same realm name,
 * roles, client ids and audience. Demo users and the CLI client with direct
 * access grants are left out; secrets and URLs are placeholders Keycloak's
 * import replaces from the environment.
 */
export function keycloakRealm(): Record<string, unknown> {
  const audienceMapper = {
    name: `${API_AUDIENCE} audience`,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    config: { 'included.custom.audience': API_AUDIENCE, 'access.token.claim': 'true', 'id.token.claim': 'false' },
  };
  const clients = REALM_CLIENTS.filter((c) => !c.directAccessGrants).map((client) =>
    client.redirectPaths
      ? {
          clientId: client.clientId,
          publicClient: true,
          standardFlowEnabled: true,
          directAccessGrantsEnabled: false,
          redirectUris: client.redirectPaths.map((p) => `\${PORTAL_PUBLIC_URL}${p}*`),
          webOrigins: ['${PORTAL_PUBLIC_URL}'],
          // Refresh tokens with the code (Keycloak's default, stated so the embedded issuer's match is on record):
          // the apps renew a staff member's session silently instead of sending them to sign in mid-form.
          attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': '${PORTAL_PUBLIC_URL}/*', 'use.refresh.tokens': 'true' },
          protocolMappers: [audienceMapper],
        }
      : {
          clientId: client.clientId,
          publicClient: false,
          secret: '${CLAIMS_WORKERS_CLIENT_SECRET}',
          standardFlowEnabled: false,
          directAccessGrantsEnabled: false,
          serviceAccountsEnabled: true,
          protocolMappers: [audienceMapper],
        },
  );
  return {
    realm: REALM,
    enabled: true,
    sslRequired: 'external',
    roles: { realm: Object.values(ROLES).map((name) => ({ name })) },
    clients,
    users: REALM_CLIENTS.filter((c) => c.serviceAccountRoles).map((c) => ({
      username: serviceAccountUsername(c.clientId),
      enabled: true,
      serviceAccountClientId: c.clientId,
      realmRoles: [...(c.serviceAccountRoles ?? [])],
    })),
  };
}

export function keycloakRealmJson(): string {
  return `${JSON.stringify(keycloakRealm(), null, 2)}\n`;
}
