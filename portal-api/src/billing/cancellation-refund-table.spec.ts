import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@claims/deploy';
import { evaluateDecision } from '@claims/engine/src/decisions/evaluate-decision';
import { readDmn } from '@claims/engine/src/model/read-dmn';
import { checkDmn } from '../deployments/model-lint';
import { refundRuleOf } from './refund-calculation';

/**
 * Which refund a cancellation gets (bpmn/cancellation-refund.dmn): all of it
 * in the 14-day cooling-off period, pro rata when the client did not choose
 * to leave, short-rate with a penalty by product and months in force when
 * they did.
 */
const file = path.join(REPOSITORY_ROOT, 'bpmn', 'cancellation-refund.dmn');

async function table() {
  const read = await readDmn(await readFile(file, 'utf8'));
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return (variables: Record<string, unknown>) => {
    const outcome = evaluateDecision(read.graph, 'cancellation-refund', variables);
    return outcome.ok ? outcome.output : outcome.message;
  };
}

const base = { daysInForce: 200, cancellationReason: 'client-request', monthsInForce: 6, productCode: 'HEALTH_PLUS' };

describe('cancellation-refund.dmn', () => {
  it('reads cleanly', async () => {
    expect(await checkDmn('cancellation-refund.dmn', await readFile(file, 'utf8'))).toEqual([]);
  });

  it.each(['client-request', 'insurer', 'death', 'moved-abroad'])('refunds all in the cooling-off period, whatever the reason (%s)', async (cancellationReason) => {
    const decide = await table();
    for (const daysInForce of [0, 13]) expect(decide({ ...base, daysInForce, monthsInForce: 0, cancellationReason })).toEqual({ method: 'full', penaltyBasisPoints: 0 });
  });

  it.each(['insurer', 'death', 'moved-abroad'])('refunds pro rata when the policy ends for %s, from day 14', async (cancellationReason) => {
    expect((await table())({ ...base, daysInForce: 14, monthsInForce: 0, cancellationReason })).toEqual({ method: 'pro-rata', penaltyBasisPoints: 0 });
  });

  it.each([
    ['HEALTH_PREMIUM', 14, 0, 1500],
    ['HEALTH_PREMIUM', 180, 5, 1500],
    ['HEALTH_ESSENTIAL', 14, 0, 1000],
    ['HEALTH_PLUS', 170, 5, 1000],
    ['HEALTH_PREMIUM', 190, 6, 500],
    ['HEALTH_ESSENTIAL', 400, 13, 500],
  ])('short-rate for the client leaving %s after %i days (%i months): %i basis points kept', async (productCode, daysInForce, monthsInForce, penaltyBasisPoints) => {
    expect((await table())({ ...base, productCode, daysInForce, monthsInForce })).toEqual({ method: 'short-rate', penaltyBasisPoints });
  });

  it('answers only what refund-calculation accepts, for every reason, product and time in force', async () => {
    const decide = await table();
    for (const cancellationReason of ['client-request', 'insurer', 'death', 'moved-abroad']) {
      for (const productCode of ['HEALTH_ESSENTIAL', 'HEALTH_PLUS', 'HEALTH_PREMIUM', 'OTHER']) {
        for (const daysInForce of [0, 13, 14, 100, 364, 800]) {
          const monthsInForce = Math.floor(daysInForce / 31);
          expect(() => refundRuleOf(decide({ cancellationReason, productCode, daysInForce, monthsInForce }))).not.toThrow();
        }
      }
    }
  });

  it('decides nothing for an unknown reason after cooling-off', async () => {
    expect((await table())({ ...base, cancellationReason: 'bored' })).toBeNull();
  });
});
