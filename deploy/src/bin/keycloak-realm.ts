// Writes deploy/keycloak/claims-realm.json from the realm description (npm run docs:realm -w deploy).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { keycloakRealmJson } from '../identity/keycloak-realm';
import { REPOSITORY_ROOT } from '../settings';

writeFileSync(path.join(REPOSITORY_ROOT, 'deploy', 'keycloak', 'claims-realm.json'), keycloakRealmJson());
