/**
 * Reason codes of the eligibility and underwriting tables and of the
 * underwriter's form, in the words a client reads. A code without wording
 * (a rule an analyst added) reads as a general sentence, never as the code.
 */
const WORDING: Record<string, string> = {
  POLICYHOLDER_MINOR: 'The policyholder must be 18 or older.',
  SENIOR_ENTRY: 'Applications for people aged 65 or more are reviewed by an underwriter.',
  LARGE_HOUSEHOLD: 'Applications for more than six people are reviewed by an underwriter.',
  BMI_OVER_40: 'The health information given is outside what this product covers.',
  BMI_HIGH: 'The health information given is reviewed by an underwriter.',
  SMOKER: 'The health information given is reviewed by an underwriter.',
  CHRONIC_CONDITION: 'The health information given is reviewed by an underwriter.',
  RECENT_HOSPITALISATION: 'The health information given is reviewed by an underwriter.',
  ONGOING_TREATMENT: 'The health information given is reviewed by an underwriter.',
  NO_ANSWER_BY_DEADLINE: 'We did not receive the information we asked for by its deadline.',
  UNDERWRITER_HEALTH_RISK: 'After review, the health risk is outside what this product covers.',
  UNDERWRITER_INSUFFICIENT_INFORMATION: 'After review, the information given was not enough to offer cover.',
  UNDERWRITER_OUTSIDE_PRODUCT: 'After review, this application is outside what this product covers.',
};

export function reasonInWords(code: string): string {
  return WORDING[code] ?? 'Your application did not meet our acceptance rules.';
}

/** Distinct sentences for a list of codes, in order. */
export function reasonsInWords(codes: readonly string[]): string[] {
  return [...new Set(codes.map(reasonInWords))];
}
