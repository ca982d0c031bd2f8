import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluateDecision } from '@claims/engine/src/decisions/evaluate-decision';
import { readDmn } from '@claims/engine/src/model/read-dmn';
import { checkDecisionVariables } from '../deployments/decision-variable-check';
import { checkDmn } from '../deployments/model-lint';
import { workerDecisionCallers } from '../deployments/process-variables';
import { factorsOf } from './premium-pricing';

/**
 * The pricing table the analyst edits (bpmn/premium-pricing.dmn) reads only
 * the variables the portal passes, reads cleanly, and gives the factors the
 * portal multiplies, in the shape it expects.
 */
const file = path.resolve(__dirname, '..', '..', '..', 'bpmn', 'premium-pricing.dmn');

describe('premium-pricing.dmn', () => {
  it('passes the deployment checks: clean DMN, every variable one the portal passes', async () => {
    const xml = await readFile(file, 'utf8');
    expect(await checkDmn('premium-pricing.dmn', xml)).toEqual([]);
    expect(await checkDecisionVariables('premium-pricing.dmn', xml, workerDecisionCallers())).toEqual([]);
  });

  it('gives every factor of a person, and nothing for a region it does not price', async () => {
    const read = await readDmn(await readFile(file, 'utf8'));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    const variables = { productCode: 'HEALTH_PLUS', age: 40, region: 'metropolitan', dependants: 1, deductibleCents: 25_000, paymentFrequency: 'monthly' };
    const outcome = evaluateDecision(read.graph, 'premium-pricing', variables);
    expect(outcome.ok).toBe(true);
    const factors = factorsOf(outcome.ok ? outcome.output : null);
    expect(factors).toEqual({
      ok: true,
      value: {
        base: { premiumCents: 108_000, label: 'Health Plus base premium' },
        age: { permille: 1000, label: 'Age 36 to 45' },
        region: { permille: 1150, label: 'Metropolitan area' },
        dependants: { permille: 970, label: '1 dependant: 3 % family discount' },
        deductible: { permille: 950, label: 'Deductible 250.00 a year: 5 % off' },
        frequency: { permille: 1040, label: 'Paid monthly: 4 % instalment charge' },
      },
    });
    const unknown = evaluateDecision(read.graph, 'premium-pricing', { ...variables, region: 'moon', age: 90 });
    expect(factorsOf(unknown.ok ? unknown.output : null)).toEqual({ ok: false, missing: ['age', 'region'] });
  });
});
