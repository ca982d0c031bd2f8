import { REASON_WORDING } from '@claims/portal-api/src/claims/claim-status';
import { type BreakdownLine, type ClaimFile } from '../portal/portal-types';
import { toCents } from '../steps/money';

/** Why one breakdown line pays what it pays, in the client's words ('' when it pays in full). */
export function lineReason(line: BreakdownLine, money: (amount: number) => string): string {
  if (line.note) return REASON_WORDING[line.note] ?? line.note;
  if (toCents(line.deductible) > 0) return `${money(line.deductible)} counts towards your yearly deductible, which you bear before your policy pays.`;
  return '';
}

/**
 * Why a claim pays nothing, from its breakdown: the deductible borne and the
 * reasons the items were cut, each once, in words a client reads.
 */
export function nothingPayableReasons(file: Pick<ClaimFile, 'claim'>, money: (amount: number) => string): string[] {
  const lines = file.claim.breakdown ?? [];
  const deductibleCents = lines.reduce((sum, line) => sum + toCents(line.deductible), 0);
  const reasons = [...new Set(lines.filter((l) => l.note).map((l) => REASON_WORDING[l.note!] ?? l.note!))];
  if (deductibleCents > 0) reasons.unshift(`${money(deductibleCents / 100)} counts towards your yearly deductible, which you bear before your policy pays.`);
  return reasons;
}
