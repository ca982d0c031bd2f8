import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '../settings';
import { keycloakRealm, keycloakRealmJson } from './keycloak-realm';

describe('the production Keycloak realm', () => {
  test('the committed export is the one the realm description makes', () => {
    // Regenerate with: npm run docs:realm -w deploy
    expect(readFileSync(path.join(REPOSITORY_ROOT, 'deploy', 'keycloak', 'claims-realm.json'), 'utf8')).toBe(keycloakRealmJson());
  });

  test('has no demo users and no password-grant client, and gives the workers their role', () => {
    const realm = keycloakRealm() as { clients: { clientId: string; directAccessGrantsEnabled: boolean }[]; users: { username: string; realmRoles: string[] }[] };
    expect(realm.clients.map((c) => c.clientId)).toEqual(['claims-web', 'claims-workers']);
    expect(realm.clients.every((c) => !c.directAccessGrantsEnabled)).toBe(true);
    expect(realm.users).toEqual([expect.objectContaining({ username: 'service-account-claims-workers', realmRoles: ['claims-worker'] })]);
  });

  test('gives the web apps refresh tokens, as the embedded issuer does, so sessions renew silently', () => {
    const realm = keycloakRealm() as { clients: { clientId: string; attributes?: Record<string, string> }[] };
    expect(realm.clients.find((c) => c.clientId === 'claims-web')?.attributes).toMatchObject({ 'use.refresh.tokens': 'true' });
  });
});
