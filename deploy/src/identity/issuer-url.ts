import { REALM } from './demo-realm';

/** The issuer URL for an origin, laid out like Keycloak's (`…/realms/claims`). */
export function issuerUrl(publicOrigin: string): string {
  return `${publicOrigin.replace(/\/$/, '')}/realms/${REALM}`;
}
