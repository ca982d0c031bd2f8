/** The rules' outcomes, most severe last: the application takes the most severe any rule gave any person. */
export type RuleOutcome = 'accept' | 'refer' | 'decline';
const SEVERITY: Record<RuleOutcome, number> = { accept: 0, refer: 1, decline: 2 };

export interface RuleHit {
  readonly outcome: RuleOutcome;
  readonly reasonCode: string;
}

/**
 * What the process is told: the most severe outcome, and the reason codes of
 * the rules that gave it (a decline names why it is a decline, not also what
 * would only have been referred). No hit at all is accept.
 */
export function combineHits(hits: readonly RuleHit[]): { outcome: RuleOutcome; reasonCodes: string[] } {
  const outcome = hits.reduce<RuleOutcome>((worst, h) => (SEVERITY[h.outcome] > SEVERITY[worst] ? h.outcome : worst), 'accept');
  return { outcome, reasonCodes: [...new Set(hits.filter((h) => h.outcome === outcome).map((h) => h.reasonCode))] };
}

/** The rows of a COLLECT decision table with outputs `outcome` and `reasonCode`, checked. */
export function parseHits(decisionId: string, output: string): RuleHit[] {
  const parsed = JSON.parse(output || 'null') as unknown;
  const rows = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed];
  return rows.map((row: unknown) => {
    const r = row as { outcome?: unknown; reasonCode?: unknown };
    if ((r.outcome !== 'accept' && r.outcome !== 'refer' && r.outcome !== 'decline') || typeof r.reasonCode !== 'string' || r.reasonCode === '') {
      throw new Error(`Decision ${decisionId} gave a row without a known outcome and a reason code: ${JSON.stringify(row)}.`);
    }
    return { outcome: r.outcome, reasonCode: r.reasonCode };
  });
}
