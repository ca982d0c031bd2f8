import { findFraudSignals, FRAUD_SIGNALS } from './fraud-signals';
import { type JobStep, required } from './job-step';

export const FRAUD_WEIGHTS_DECISION = 'fraud-rule-weights';

/**
 * "Screen for fraud": finds the signals, weighs them with the analysts'
 * decision table (evaluated by the engine, so the deployed version counts),
 * and records the flags with their reasons and the score on the claim.
 */
export const screenFraudStep: JobStep = {
  type: 'claim-fraud-screen',
  variables: ['claimId'],
  async run(job, { portal, engine, settings }) {
    const claimId = required(job, 'claimId');
    const context = await portal.fraudContext(claimId);
    const { file } = context;
    const findings = findFraudSignals(file, context, settings.watchListedProviders);
    const present = Object.fromEntries(FRAUD_SIGNALS.map((signal) => [signal, findings.some((f) => f.signal === signal)]));
    const evaluation = await engine.evaluateDecision({ decisionDefinitionId: FRAUD_WEIGHTS_DECISION, variables: present });
    if (evaluation.failureMessage) throw new Error(`Decision ${FRAUD_WEIGHTS_DECISION} failed: ${evaluation.failureMessage}`);
    const rows = parseWeights(evaluation.output);
    const flags = findings.map((finding) => ({ rule: finding.signal, reason: finding.reason, weight: rows.get(finding.signal) ?? 0 }));
    const fraudScore = Math.min(1000, flags.reduce((sum, flag) => sum + flag.weight, 0));
    await portal.updateClaim(claimId, { status: 'screening', fraudScore, fraudFlags: flags });
    return { variables: { fraudScore, fraudSignals: flags.map((f) => f.rule) } };
  },
};

/** The table's COLLECT result: a list of { signal, weight } rows (null when no row matched). */
function parseWeights(output: string): Map<string, number> {
  const parsed = JSON.parse(output || 'null') as unknown;
  const rows = Array.isArray(parsed) ? parsed : parsed === null ? [] : [parsed];
  const weights = new Map<string, number>();
  for (const row of rows as { signal?: unknown; weight?: unknown }[]) {
    if (typeof row?.signal === 'string' && typeof row.weight === 'number') weights.set(row.signal, (weights.get(row.signal) ?? 0) + row.weight);
  }
  return weights;
}
