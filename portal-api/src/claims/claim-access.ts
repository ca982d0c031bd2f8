import { bindClaimLogKeys } from '@claims/deploy';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { Claim } from './claim.entity';

/**
 * What a caller wants to do with a claim. Each purpose names the staff roles
 * that may; a client may do all of them on their own claims only.
 */
export const CLAIM_PURPOSES = {
  /** See the claim, its items, timeline and decision. */
  read: [ROLES.adjuster, ROLES.manager, ROLES.investigator, ROLES.callCenter, ROLES.operations],
  /** See and upload medical documents: not call-center agents. */
  documents: [ROLES.adjuster, ROLES.manager, ROLES.investigator],
  /** Send a draft: its client only. */
  submit: [],
  /** Answer a request for information (call-center agents on a client's behalf). */
  answer: [ROLES.callCenter],
  /** Change the bank details of the claim's client (staff only: the endpoint's @Roles keep clients out). */
  paymentDetails: [ROLES.callCenter, ROLES.manager],
} as const;

export type ClaimPurpose = keyof typeof CLAIM_PURPOSES;

/**
 * The one place that decides whether a caller may reach a claim. Every
 * service method that takes a claim id (or an id that leads to a claim) asks
 * here first; a claim the caller may not reach answers 404, as one that does
 * not exist, so ids cannot be probed.
 */
@Injectable()
export class ClaimAccess {
  constructor(private readonly dataSource: DataSource) {}

  async claim(principal: Principal, claimId: string, purpose: ClaimPurpose, relations: string[] = []): Promise<Claim> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const claim = await this.dataSource.getRepository(Claim).findOne({ where: { id: claimId }, relations: ['customer', ...relations] });
    if (!claim || !this.may(principal, claim, purpose)) throw Problem.notFound('claim', claimId);
    bindClaimLog(claim);
    return claim;
  }

  may(principal: Principal, claim: { customer: Pick<Claim['customer'], 'subject'> }, purpose: ClaimPurpose): boolean {
    if (hasRole(principal, ROLES.client) && claim.customer.subject === principal.subject) return true;
    return hasRole(principal, ...CLAIM_PURPOSES[purpose]);
  }

  /** Staff who may see every claim for this purpose; clients see their own only. */
  seesAll(principal: Principal, purpose: ClaimPurpose): boolean {
    return hasRole(principal, ...CLAIM_PURPOSES[purpose]);
  }
}

/** The claim a request has read: its id and process instance on the rest of the request's log lines (see deploy's log-context). */
export function bindClaimLog(claim: Pick<Claim, 'id' | 'processInstanceKey'>): void {
  bindClaimLogKeys({ claimId: claim.id, processInstanceKey: claim.processInstanceKey ?? undefined });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
