import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluateDecision } from '@claims/engine/src/decisions/evaluate-decision';
import { readDmn } from '@claims/engine/src/model/read-dmn';
import { checkDecisionVariables } from '@claims/portal-api/src/deployments/decision-variable-check';
import { checkDmn } from '@claims/portal-api/src/deployments/model-lint';
import { REPOSITORY_ROOT } from '../../models/lifecycle-models';

/**
 * The retry schedule of a declined premium (bpmn/collection-retry.dmn):
 * after a soft decline, retries 1, 3 and 7 days after the due date; none
 * after a hard decline or after the fourth attempt.
 */
const file = path.join(REPOSITORY_ROOT, 'bpmn', 'collection-retry.dmn');

async function table() {
  const read = await readDmn(await readFile(file, 'utf8'));
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return (variables: Record<string, unknown>) => evaluateDecision(read.graph, 'collection-retry', variables);
}

describe('collection-retry.dmn', () => {
  it('reads cleanly and reads only the attempt and the kind of decline', async () => {
    const xml = await readFile(file, 'utf8');
    expect(await checkDmn('collection-retry.dmn', xml)).toEqual([]);
    const caller = (variables: string[]) => new Map([['collection-retry', [{ processId: 'premium-collection', elementId: 'decide-retry', elementName: 'Decide retry', variables: new Set(variables) }]]]);
    expect(await checkDecisionVariables('collection-retry.dmn', xml, caller(['attempt', 'declineKind']))).toEqual([]);
    expect(await checkDecisionVariables('collection-retry.dmn', xml, caller(['attempt']))).toEqual([expect.objectContaining({ message: expect.stringContaining('declineKind') })]);
  });

  it.each([
    [1, 'P1D', 1],
    [2, 'P2D', 3],
    [3, 'P4D', 7],
  ])('after soft decline of attempt %i waits %s, the next attempt falling on day %i after the due date', async (attempt, retryAfter, retryDayAfterDue) => {
    const outcome = (await table())({ attempt, declineKind: 'soft' });
    expect(outcome).toMatchObject({ ok: true, output: { retry: true, retryAfter, retryDayAfterDue } });
  });

  it('the waits add up to the days after the due date', async () => {
    const decide = await table();
    let day = 0;
    for (const attempt of [1, 2, 3]) {
      const outcome = decide({ attempt, declineKind: 'soft' });
      const output = (outcome.ok ? outcome.output : null) as { retryAfter: string; retryDayAfterDue: number };
      day += Number(/^P(\d+)D$/.exec(output.retryAfter)![1]);
      expect(day).toBe(output.retryDayAfterDue);
    }
  });

  it.each([4, 5, 12])('does not retry after soft decline of attempt %i (the fourth was the last)', async (attempt) => {
    expect((await table())({ attempt, declineKind: 'soft' })).toMatchObject({ ok: true, output: { retry: false, retryAfter: null, retryDayAfterDue: null } });
  });

  it.each([1, 2, 3, 4, 9])('never retries after a hard decline, here on attempt %i', async (attempt) => {
    expect((await table())({ attempt, declineKind: 'hard' })).toMatchObject({ ok: true, output: { retry: false, retryAfter: null, retryDayAfterDue: null } });
  });

  it('decides nothing for what no attempt can be: attempt 0, a fraction, a missing or unknown kind', async () => {
    const decide = await table();
    for (const variables of [{ attempt: 0, declineKind: 'soft' }, { attempt: 1.5, declineKind: 'soft' }, { attempt: 1 }, { attempt: 1, declineKind: 'maybe' }]) {
      const outcome = decide(variables);
      expect({ variables, output: outcome.ok ? outcome.output : outcome.message }).toEqual({ variables, output: null });
    }
  });
});
