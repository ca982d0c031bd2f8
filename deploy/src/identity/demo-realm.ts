/**
 * The "claims" realm as the embedded identity issuer serves it, laid out like
 * the Keycloak realm production uses (deploy/keycloak/claims-realm.json): the
 * same role names, client ids and token claims, so that nothing downstream can
 * tell the two apart. The users are demo accounts, printed by `npm start`, and
 * the portal's demo data links its customers to the client users by `sub`.
 */

export const REALM = 'claims';

/** Realm roles, carried in access tokens under `realm_access.roles`. */
export const ROLES = {
  client: 'client',
  adjuster: 'adjuster',
  manager: 'manager',
  investigator: 'investigator',
  callCenter: 'call-center',
  analyst: 'analyst',
  admin: 'admin',
  /** Runs claims day to day: finds any claim or customer, watches stuck processes and incidents. */
  operations: 'operations',
  /** Decides referred policy applications within the underwriting authority limits (bpmn/underwriting-authority.dmn). */
  underwriter: 'underwriter',
  /** The job workers' service account. */
  worker: 'claims-worker',
} as const;

export type RealmRole = (typeof ROLES)[keyof typeof ROLES];

/** Staff roles double as the candidate groups of user tasks. */
export const STAFF_ROLES: readonly RealmRole[] = [ROLES.adjuster, ROLES.manager, ROLES.investigator, ROLES.callCenter, ROLES.analyst, ROLES.admin, ROLES.operations, ROLES.underwriter];

export interface RealmUser {
  /** `sub` of the user's tokens: stable, as Keycloak's user ids are. */
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly roles: readonly RealmRole[];
  readonly phoneNumber?: string;
}

const DEMO_PASSWORD = 'demo';

function user(id: string, username: string, givenName: string, familyName: string, roles: RealmRole[], phoneNumber?: string): RealmUser {
  return { id, username, password: DEMO_PASSWORD, email: `${username}@example.com`, givenName, familyName, roles, phoneNumber };
}

export const DEMO_USERS: readonly RealmUser[] = [
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e01', 'alice', 'Alice', 'Martin', [ROLES.client], '+33612345601'),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e02', 'bruno', 'Bruno', 'Keller', [ROLES.client], '+33612345602'),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e03', 'chloe', 'Chloé', 'Dubois', [ROLES.client], '+33612345603'),
  // A prospect: signs in as a client but has no customer record and no policy until an application of hers is accepted.
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e04', 'nina', 'Nina', 'Fischer', [ROLES.client], '+33612345604'),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e10', 'adam', 'Adam', 'Roux', [ROLES.adjuster]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e11', 'amelia', 'Amelia', 'Novak', [ROLES.adjuster]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e12', 'maria', 'Maria', 'Costa', [ROLES.manager, ROLES.adjuster]),
  // A second manager: whoever assessed a claim may not approve its payment, so another manager always can.
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e17', 'marc', 'Marc', 'Lefebvre', [ROLES.manager]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e13', 'ivan', 'Ivan', 'Petit', [ROLES.investigator]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e14', 'carla', 'Carla', 'Moreau', [ROLES.callCenter]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e15', 'anna', 'Anna', 'Berg', [ROLES.analyst]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e16', 'admin', 'Ada', 'Admin', [ROLES.admin]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e18', 'oscar', 'Oscar', 'Lambert', [ROLES.operations]),
  user('6f1c2a4e-0c1d-4a5e-9b1f-1a2b3c4d5e19', 'ursula', 'Ursula', 'Weber', [ROLES.underwriter]),
];

/**
 * Client accounts beyond the demo's (`client-1` … `client-N`, password
 * `demo`), for load tests that need many customers: the fraud rule on claim
 * frequency counts each customer's claims, so a benchmark filing as one client
 * would route its claims to staff. Ids follow the number, so a benchmark can
 * make their customer records; none exists until one is made.
 */
export function extraClientUsers(count: number): RealmUser[] {
  return Array.from({ length: count }, (_, index) => {
    const n = String(index + 1);
    return user(`00000000-0000-4000-8000-${n.padStart(12, '0')}`, `client-${n}`, 'Client', n, [ROLES.client], `+3369${n.padStart(7, '0')}`);
  });
}

/**
 * The audience of access tokens for the portal API. Keycloak puts the client
 * ids an audience mapper names in `aud`; the API accepts tokens for itself only.
 */
export const API_AUDIENCE = 'claims-api';

export interface RealmClient {
  readonly clientId: string;
  /** Confidential clients only. */
  readonly secret?: string;
  /** Keycloak's "direct access grants" (password grant): demo, tests and CLI only. */
  readonly directAccessGrants: boolean;
  /** Keycloak's "service accounts enabled" (client credentials grant), with the roles it gets. */
  readonly serviceAccountRoles?: readonly RealmRole[];
  /** Browser apps: authorization code with PKCE. Relative paths are resolved against PORTAL_PUBLIC_URL. */
  readonly redirectPaths?: readonly string[];
}

export const REALM_CLIENTS: readonly RealmClient[] = [
  // The two web apps: public clients, authorization code with PKCE.
  { clientId: 'claims-web', directAccessGrants: false, redirectPaths: ['/', '/callback', '/staff/', '/staff/callback'] },
  // Scripts, tests and benchmarks sign demo users in directly.
  { clientId: 'claims-cli', directAccessGrants: true },
  // The job workers' service account.
  { clientId: 'claims-workers', secret: 'claims-workers-secret', directAccessGrants: false, serviceAccountRoles: [ROLES.worker] },
];

/** The `preferred_username` Keycloak gives a client's service account. */
export function serviceAccountUsername(clientId: string): string {
  return `service-account-${clientId}`;
}
