/**
 * The health questionnaire, one per insured person. The answers stay in the
 * portal (policy_application.questionnaire); the job worker that applies the
 * underwriting table reads the facts below through an internal endpoint and
 * hands the process outcome and reason codes only.
 */
export interface HealthAnswers {
  readonly heightCm: number;
  readonly weightKg: number;
  readonly smoker: boolean;
  readonly chronicCondition: boolean;
  readonly hospitalisedLastFiveYears: boolean;
  readonly ongoingTreatment: boolean;
  /** Free text the client adds (conditions, treatments); for the underwriter only. */
  readonly details?: string;
}

/** What the underwriting table reads for one person. */
export interface UnderwritingFacts {
  readonly bmi: number;
  readonly smoker: boolean;
  readonly chronicCondition: boolean;
  readonly hospitalisedLastFiveYears: boolean;
  readonly ongoingTreatment: boolean;
}

/** Body mass index to one decimal, as underwriters read it (kg / m²). */
export function bodyMassIndex(heightCm: number, weightKg: number): number {
  // In tenths: weight (kg) * 10^5 / height (cm)², rounded half up.
  return Math.round((weightKg * 100_000) / (heightCm * heightCm)) / 10;
}

export function underwritingFacts(answers: HealthAnswers): UnderwritingFacts {
  return {
    bmi: bodyMassIndex(answers.heightCm, answers.weightKg),
    smoker: answers.smoker,
    chronicCondition: answers.chronicCondition,
    hospitalisedLastFiveYears: answers.hospitalisedLastFiveYears,
    ongoingTreatment: answers.ongoingTreatment,
  };
}

export type RuleOutcome = 'accept' | 'refer' | 'decline';
const SEVERITY: Record<RuleOutcome, number> = { accept: 0, refer: 1, decline: 2 };

/** The application's outcome from every rule that matched for every person: the most severe wins; none is accept. */
export function combinedOutcome(outcomes: readonly RuleOutcome[]): RuleOutcome {
  return outcomes.reduce<RuleOutcome>((worst, o) => (SEVERITY[o] > SEVERITY[worst] ? o : worst), 'accept');
}
