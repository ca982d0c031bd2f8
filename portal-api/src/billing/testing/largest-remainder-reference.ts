/**
 * An independent reference for the largest-remainder split, for tests: start
 * every piece at the floor of its exact share, then hand out the cents left
 * one at a time, each to the piece whose exact share is furthest above what
 * it has so far (the earlier piece on a tie), comparing exact rationals in
 * BigInt. No sorting, no remainder bookkeeping: slow, but plainly right.
 */
export function referenceSplit(total: number, weights: readonly (number | bigint)[]): number[] {
  const sum = weights.reduce<bigint>((a, b) => a + BigInt(b), 0n);
  const magnitude = BigInt(Math.abs(total));
  const given = weights.map(() => 0n);
  weights.forEach((weight, index) => { given[index] = (magnitude * BigInt(weight)) / sum; });
  let left = magnitude - given.reduce((a, b) => a + b, 0n);
  while (left > 0n) {
    let best = -1;
    let bestDeficit = -1n;
    weights.forEach((weight, index) => {
      const deficit = magnitude * BigInt(weight) - given[index]! * sum; // exact share − given, × sum
      if (deficit > bestDeficit && deficit > 0n) { best = index; bestDeficit = deficit; }
    });
    given[best]! += 1n;
    left -= 1n;
  }
  return given.map((cents) => (total < 0 && cents !== 0n ? -Number(cents) : Number(cents)));
}
