import { Injectable } from '@nestjs/common';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { type PricingSource } from './quote.entity';
import { type Factor } from './premium-arithmetic';

/** The decision the analyst edits in the modeler: bpmn/premium-pricing.dmn. */
export const PRICING_DECISION_ID = 'premium-pricing';

/** What the pricing decision gives for one insured person. */
export interface PersonFactors {
  readonly base: { readonly premiumCents: number; readonly label: string };
  readonly age: Factor;
  readonly region: Factor;
  readonly dependants: Factor;
  readonly deductible: Factor;
  readonly frequency: Factor;
}

/** The variables the portal passes (kept in step with provided-variables.ts, which the deployment check reads). */
export interface PricingVariables {
  readonly productCode: string;
  readonly age: number;
  readonly region: string;
  readonly dependants: number;
  readonly deductibleCents: number;
  readonly paymentFrequency: string;
}

export type FactorName = keyof PersonFactors;
const FACTORS: readonly FactorName[] = ['base', 'age', 'region', 'dependants', 'deductible', 'frequency'];

/** The table gave something the portal cannot price with: the analyst's table is at fault, not the client. */
export class PricingTableError extends Error {}

/**
 * Reads the decision's output. A factor no rule matched is null: that is
 * the caller's input the table does not price (a region, an age), listed
 * in `missing`. A factor of the wrong shape (a fraction of a cent, a
 * negative or non-whole factor) is the table's fault and throws.
 */
export function factorsOf(output: unknown): { ok: true; value: PersonFactors } | { ok: false; missing: FactorName[] } {
  if (typeof output !== 'object' || output === null) throw new PricingTableError(`The pricing decision gave ${JSON.stringify(output)}, not a context of factors.`);
  const got = output as Record<string, unknown>;
  const missing = FACTORS.filter((name) => got[name] === null || got[name] === undefined);
  if (missing.length > 0) return { ok: false, missing };
  const whole = (name: string, value: unknown, max: number): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) throw new PricingTableError(`The pricing decision's ${name} is ${JSON.stringify(value)}, not a whole number from 0 to ${max}.`);
    return value;
  };
  const text = (name: string, value: unknown): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new PricingTableError(`The pricing decision's ${name} has no wording.`);
    return value;
  };
  const factor = (name: Exclude<FactorName, 'base'>): Factor => {
    const row = got[name] as Record<string, unknown>;
    return { permille: whole(`${name} factor`, row.permille, 10_000), label: text(name, row.label) };
  };
  const base = got.base as Record<string, unknown>;
  return {
    ok: true,
    value: {
      base: { premiumCents: whole('base premium (cents)', base.premiumCents, 100_000_000), label: text('base', base.label) },
      age: factor('age'),
      region: factor('region'),
      dependants: factor('dependants'),
      deductible: factor('deductible'),
      frequency: factor('frequency'),
    },
  };
}

interface EvaluationAnswer {
  readonly decisionDefinitionId: string;
  readonly decisionDefinitionKey: string;
  readonly decisionDefinitionVersion: number;
  readonly output: string;
  readonly failureMessage?: string;
}

/**
 * Evaluates the deployed pricing decision through the engine
 * (`POST /v2/decision-definitions/evaluation`, as on Camunda 8), so the
 * price follows what the analyst deployed, the same on both worlds.
 */
@Injectable()
export class PremiumPricing {
  constructor(private readonly engine: EngineClient) {}

  async evaluate(variables: PricingVariables): Promise<{ factors: ReturnType<typeof factorsOf>; source: PricingSource }> {
    let answer: EvaluationAnswer;
    try {
      answer = await this.engine.call<EvaluationAnswer>('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: PRICING_DECISION_ID, variables });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new Problem(503, 'Service unavailable', 'Quotes are not available yet: the pricing table is not deployed.');
      throw engineProblem(error, 'Pricing the quote failed');
    }
    if (answer.failureMessage) throw new Problem(500, 'Internal server error', `The pricing table could not price this quote: ${answer.failureMessage}`);
    let factors: ReturnType<typeof factorsOf>;
    try {
      factors = factorsOf(JSON.parse(answer.output === '' ? 'null' : answer.output));
    } catch (error) {
      if (error instanceof PricingTableError) throw new Problem(500, 'Internal server error', error.message);
      throw error;
    }
    return { factors, source: { decisionDefinitionId: answer.decisionDefinitionId, decisionDefinitionKey: String(answer.decisionDefinitionKey), decisionDefinitionVersion: answer.decisionDefinitionVersion } };
  }
}
