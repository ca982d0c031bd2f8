import { createHash } from 'node:crypto';
import { evaluateDecision } from '@claims/engine/src/decisions/evaluate-decision';
import { type ExecutableDecisionGraph } from '@claims/engine/src/model/decision-model';
import { type Claim } from '../claims/claim.entity';
import { claimStartVariables } from '../claims/process-starter';

/** One claim whose outcome the candidate decision changes. */
export interface ChangedOutcome {
  readonly claimId: string;
  readonly claimReference: string;
  readonly decisionId: string;
  /** The deployed version's output (JSON), or why it failed. */
  readonly before: string;
  readonly after: string;
}

export interface DecisionShadowRun {
  readonly decisionId: string;
  readonly decisionName: string;
  /** The deployed version compared against; null when the decision is new. */
  readonly deployedVersion: number | null;
  readonly deployedKey: string | null;
  readonly claimsCompared: number;
  readonly changed: readonly ChangedOutcome[];
}

/** One claim that the candidate process version sends another way than the deployed one. */
export interface RouteChange {
  readonly claimId: string;
  readonly claimReference: string;
  /** The first element where the two routes differ (the decision or gateway that now decides otherwise). */
  readonly divergesAt: string;
  readonly divergesAtName: string;
  /** Each version's route from that element on, as step labels; ['not deployed'] when there is no deployed version. */
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface ProcessShadowRun {
  readonly processId: string;
  readonly processName: string;
  readonly deployedVersion: number | null;
  readonly deployedKey: string | null;
  readonly claimsCompared: number;
  readonly changed: readonly RouteChange[];
}

export interface ShadowRunResult {
  /** Names this exact result: a deployment that changes outcomes must quote it to accept them. */
  readonly shadowRunId: string;
  readonly claimsCompared: number;
  /** Claims whose outcome any candidate decision or process version changes, each counted once. */
  readonly changedCount: number;
  readonly decisions: readonly DecisionShadowRun[];
  readonly processes: readonly ProcessShadowRun[];
}

/**
 * The variables the claim process holds when it calls a decision, rebuilt
 * from the claim as the portal recorded it: the start message's
 * (process-starter.ts), the fraud screening's score and the items the
 * validation declined, and the benefit calculated. Rebuilt from claim data rather than read from
 * process instances, because the portal keeps claims for good, while a
 * Camunda 8 cluster keeps finished instances' variables only in Operate and
 * only for its retention period; it works the same against both engines.
 * Items an adjuster declined later count as declined too (the claim keeps
 * one status per item), which can only make a rerun stricter.
 */
export function decisionInputsOfClaim(claim: Claim): Record<string, unknown> {
  return {
    ...claimStartVariables(claim),
    fraudScore: claim.fraudScore,
    rejectedItemCount: (claim.items ?? []).filter((item) => item.status === 'rejected').length,
    // What the benefit calculation answered (calculate-benefit.step.ts), once it ran.
    ...(claim.totalApproved !== null && claim.totalApproved !== undefined ? { totalPayable: claim.totalApproved } : {}),
  };
}

/** The candidate's output for one claim as JSON, or why it failed, in the same form as the engine's answer. */
export function candidateOutcome(graph: ExecutableDecisionGraph, decisionId: string, variables: Record<string, unknown>): string {
  const outcome = evaluateDecision(graph, decisionId, variables);
  return outcome.ok ? JSON.stringify(outcome.output ?? null) : `failed: ${outcome.message}`;
}

/** A stable id of a shadow run: the candidate resources, the versions compared and every change found. */
export function shadowRunId(resources: readonly { name: string; text: string }[], decisions: readonly DecisionShadowRun[], processes: readonly ProcessShadowRun[] = []): string {
  const hash = createHash('sha256');
  for (const resource of [...resources].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${resource.name}\0${resource.text}\0`);
  hash.update(JSON.stringify(decisions.map((d) => [d.decisionId, d.deployedKey, d.changed.map((c) => [c.claimId, c.before, c.after])])));
  if (processes.length > 0) hash.update(JSON.stringify(processes.map((p) => [p.processId, p.deployedKey, p.changed.map((c) => [c.claimId, c.before, c.after])])));
  return `shadow-${hash.digest('hex').slice(0, 32)}`;
}
