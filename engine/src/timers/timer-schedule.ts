import { CronExpressionParser } from 'cron-parser';
import { Temporal } from 'temporal-polyfill';

/**
 * When a timer falls due, from its ISO 8601 value: a date (`2026-12-01T09:00:00Z`,
 * or with a `[zone]`), a duration from now (`PT15M`, `P2D`), or a cycle
 * (`R3/PT1H`, `R/P1D`, `R2/2026-12-01T09:00:00Z/PT1H`, or a cron expression,
 * as Zeebe accepts). Durations count in UTC calendar terms, so `P1M` from
 * 31 January is the end of February.
 */
export interface TimerSchedule {
  /** Epoch milliseconds at which the timer fires next. */
  readonly dueAt: number;
  /** Firings left after this one: 0 for dates and durations, Infinity for an unbounded cycle. */
  readonly repetitionsLeft: number;
  /** The cycle, to plan the next firing from (undefined for dates and durations). */
  readonly cycle?: string;
}

export type ScheduleResult = { readonly ok: true; readonly schedule: TimerSchedule } | { readonly ok: false; readonly message: string };

export function scheduleTimer(kind: 'date' | 'duration' | 'cycle', value: string, now: number): ScheduleResult {
  try {
    if (kind === 'date') return ok({ dueAt: parseDate(value), repetitionsLeft: 0 });
    if (kind === 'duration') return ok({ dueAt: addDuration(now, value), repetitionsLeft: 0 });
    return ok(startCycle(value, now));
  } catch (error) {
    return { ok: false, message: `Expected a valid timer ${kind}, but '${value}' is not one: ${(error as Error).message}` };
  }
}

/** The next firing of a cycle after one fired at `firedAt`, or undefined when no repetitions are left. */
export function nextCycle(cycle: string, repetitionsLeft: number, firedAt: number): TimerSchedule | undefined {
  if (repetitionsLeft <= 0) return undefined;
  if (isCron(cycle)) return { dueAt: nextCron(cycle, firedAt), repetitionsLeft: Infinity, cycle };
  const { interval } = splitCycle(cycle);
  return { dueAt: addDuration(firedAt, interval), repetitionsLeft: repetitionsLeft - 1, cycle };
}

/** A problem with a static timer value, caught at deployment; undefined when it is fine. */
export function staticTimerProblem(kind: 'date' | 'duration' | 'cycle', value: string): string | undefined {
  const result = scheduleTimer(kind, value, Date.now());
  return result.ok ? undefined : result.message;
}

function ok(schedule: TimerSchedule): ScheduleResult {
  return { ok: true, schedule };
}

function parseDate(value: string): number {
  return value.includes('[') ? Temporal.ZonedDateTime.from(value).epochMilliseconds : Temporal.Instant.from(value).epochMilliseconds;
}

function addDuration(from: number, value: string): number {
  const duration = Temporal.Duration.from(value);
  if (duration.sign < 0) throw new Error('a timer duration cannot be negative');
  return Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO('UTC').add(duration).epochMilliseconds;
}

function isCron(value: string): boolean {
  return !value.startsWith('R');
}

function nextCron(expression: string, after: number): number {
  return CronExpressionParser.parse(expression, { currentDate: new Date(after), tz: 'UTC' }).next().getTime();
}

function splitCycle(cycle: string): { repetitions: number; start?: string; interval: string } {
  const parts = cycle.split('/');
  const count = parts[0]!.slice(1);
  const repetitions = count === '' ? Infinity : Number(count);
  if (!Number.isInteger(repetitions) && repetitions !== Infinity) throw new Error(`the repetitions '${parts[0]}' are not a whole number`);
  if (parts.length === 2) return { repetitions, interval: parts[1]! };
  if (parts.length === 3) return { repetitions, start: parts[1]!, interval: parts[2]! };
  throw new Error('expected R<n>/<duration> or R<n>/<start>/<duration>');
}

function startCycle(cycle: string, now: number): TimerSchedule {
  if (isCron(cycle)) return { dueAt: nextCron(cycle, now), repetitionsLeft: Infinity, cycle };
  const { repetitions, start, interval } = splitCycle(cycle);
  const firstAt = start === undefined ? addDuration(now, interval) : parseDate(start);
  if (repetitions < 1) throw new Error('a cycle must repeat at least once');
  return { dueAt: firstAt, repetitionsLeft: repetitions - 1, cycle };
}
