import { ROLES, STAFF_ROLES } from '@claims/deploy/src/identity/demo-realm';

/** Who is calling, as their verified access token says. */
export interface Principal {
  /** `sub`: a user id, or the client id of a service account. */
  readonly subject: string;
  /** `preferred_username`: what task assignees and audit entries use. */
  readonly username: string;
  readonly name: string;
  readonly email: string | undefined;
  /** Realm roles (`realm_access.roles`). */
  readonly roles: ReadonlySet<string>;
}

export { ROLES };

export function hasRole(principal: Principal, ...roles: readonly string[]): boolean {
  return roles.some((role) => principal.roles.has(role));
}

/**
 * The user-task candidate groups a principal belongs to. Staff roles double as
 * groups (`candidateGroups="adjuster"`), so one realm setting serves both.
 */
export function candidateGroupsOf(principal: Principal): string[] {
  return STAFF_ROLES.filter((role) => principal.roles.has(role));
}
