import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateDecision } from '@claims/engine/src/decisions/evaluate-decision';
import { readBpmn } from '@claims/engine/src/model/read-bpmn';
import { readDmn } from '@claims/engine/src/model/read-dmn';
import { type ExecutableDecisionGraph } from '@claims/engine/src/model/decision-model';
import { type ExecutableProcess } from '@claims/engine/src/model/process-model';
import { CLAIM_SUBMITTED_MESSAGE } from '../claims/process-starter';
import { divergence, replayRoute, type DecisionEvaluator } from './process-route';

const modelsDir = path.resolve(__dirname, '../../../bpmn');
const read = (file: string) => readFileSync(path.join(modelsDir, file), 'utf8');

async function claimProcess(xml: string): Promise<ExecutableProcess> {
  const found = await readBpmn(xml);
  if (!found.ok) throw new Error(JSON.stringify(found.problems));
  return found.processes.find((p) => p.bpmnProcessId === 'claim-reimbursement')!;
}

/** The shipped decisions, evaluated by the engine's own DMN evaluator (what the candidate side of a shadow run uses). */
async function shippedDecisions(): Promise<DecisionEvaluator> {
  const graphs = new Map<string, ExecutableDecisionGraph>();
  for (const file of ['claim-routing.dmn', 'authority-limits.dmn']) {
    const found = await readDmn(read(file));
    if (!found.ok) throw new Error(JSON.stringify(found.problems));
    for (const id of found.graph.decisions.keys()) graphs.set(id, found.graph);
  }
  return (decisionId, variables) => {
    const outcome = evaluateDecision(graphs.get(decisionId)!, decisionId, variables);
    return Promise.resolve(outcome.ok ? { ok: true, value: outcome.output } : { ok: false, message: outcome.message });
  };
}

const claim = (totalClaimed: number, fraudScore: number) => ({ claimId: 'c1', claimReference: 'CLM-1', customerId: 'u1', policyId: 'p1', totalClaimed, currency: 'EUR', fraudScore, rejectedItemCount: 0 });

describe('the route a claim takes through a process version, replayed from its variables', () => {
  it('follows the routing decision and the gateway to the step that waits, for each route', async () => {
    const process = await claimProcess(read('claim-reimbursement.bpmn'));
    const decide = await shippedDecisions();
    const labels = async (totalClaimed: number, fraudScore: number) => (await replayRoute(process, CLAIM_SUBMITTED_MESSAGE, claim(totalClaimed, fraudScore), decide)).map((s) => s.label);

    const small = await labels(300, 0);
    expect(small).toContain('Route claim: "straight-through"');
    expect(small).toContain('Which route?: straight through');
    const large = await labels(700, 0);
    expect(large).toContain('Route claim: "review"');
    expect(large).toContain('Which route?: review');
    expect(large.at(-1)).toMatch(/\(waits for a person\)$/);
    const suspicious = await labels(900, 70);
    expect(suspicious).toContain('Route claim: "investigation"');
    expect(suspicious.at(-1)).toMatch(/\(waits for a person\)$/);
  });

  it('parts where a changed gateway condition sends a claim another way', async () => {
    const shipped = read('claim-reimbursement.bpmn');
    const changed = shipped.replace('=route = "straight-through"', '=route = "fast-track"');
    expect(changed).not.toBe(shipped);
    const decide = await shippedDecisions();
    const before = await replayRoute(await claimProcess(shipped), CLAIM_SUBMITTED_MESSAGE, claim(300, 0), decide);
    const after = await replayRoute(await claimProcess(changed), CLAIM_SUBMITTED_MESSAGE, claim(300, 0), decide);
    const at = divergence(before, after);
    expect(before[at]).toEqual({ elementId: 'which-route', label: 'Which route?: straight through' });
    expect(after[at]).toEqual({ elementId: 'which-route', label: 'Which route?: review' });
    expect(before.slice(0, at)).toEqual(after.slice(0, at));
    // A claim the condition does not concern keeps its route.
    const large = async (xml: string) => replayRoute(await claimProcess(xml), CLAIM_SUBMITTED_MESSAGE, claim(700, 0), decide);
    expect(divergence(await large(shipped), await large(changed))).toBe(-1);
  });

  it('stops at a decision that fails, naming why', async () => {
    const process = await claimProcess(read('claim-reimbursement.bpmn'));
    const route = await replayRoute(process, CLAIM_SUBMITTED_MESSAGE, claim(300, 0), () => Promise.resolve({ ok: false, message: 'no decision claim-routing is deployed' }));
    expect(route.at(-1)).toEqual({ elementId: 'route-claim', label: 'Route claim: failed (no decision claim-routing is deployed)' });
  });
});
