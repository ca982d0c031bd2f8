import { evaluate, FeelDate, FeelDateTime, parseExpression, parseUnaryTests, unaryTest } from 'feelin';
import { Temporal } from 'temporal-polyfill';
import { type Expression } from '../model/process-model';

/**
 * FEEL through feelin, behind a boundary that never throws: a broken
 * expression or a value of the wrong type comes back as a failure, which the
 * engine turns into an incident on the element (Zeebe's behaviour).
 */
export type FeelResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export type FeelContext = Readonly<Record<string, unknown>>;

const ok = <T>(value: T): FeelResult<T> => ({ ok: true, value });

/**
 * FEEL's `now()` and `today()` read the engine clock, not the system's, so a
 * pinned clock (PUT /v2/clock) moves them as it moves timers. They are given
 * as context entries, which feelin looks up before its built-ins; a variable
 * of the same name still wins, as it does over a built-in.
 */
let readClock: () => number = Date.now;

export function useFeelClock(read: () => number): void {
  readClock = read;
}

function zonedNow(): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(readClock()).toZonedDateTimeISO(Temporal.Now.timeZoneId());
}

const clockFunctions = {
  now: Object.assign(() => {
    const zoned = zonedNow();
    return new FeelDateTime(zoned.toPlainDateTime(), zoned.timeZoneId);
  }, { $args: [] as string[] }),
  today: Object.assign(() => new FeelDate(zonedNow().toPlainDate()), { $args: [] as string[] }),
};

const withClock = (context: FeelContext): FeelContext => ({ ...clockFunctions, ...context });
const failed = (message: string): FeelResult<never> => ({ ok: false, message });

/** A syntax problem in the expression, or undefined when it parses. */
export function feelSyntaxProblem(source: string): string | undefined {
  return syntaxProblem(source, parseExpression);
}

/** A syntax problem in DMN unary tests (an input entry such as `< 100` or `"a","b"`), or undefined. */
export function unaryTestsSyntaxProblem(source: string): string | undefined {
  if (isAnyInput(source)) return undefined;
  return syntaxProblem(source, parseUnaryTests);
}

function syntaxProblem(source: string, parse: typeof parseExpression): string | undefined {
  try {
    const tree = parse(source, {}, undefined);
    let problemAt: number | undefined;
    tree.iterate({
      enter(node) {
        if (node.type.isError && problemAt === undefined) problemAt = node.from;
      },
    });
    return problemAt === undefined ? undefined : `failed to parse expression '${source}' at position ${problemAt}`;
  } catch (error) {
    return `failed to parse expression '${source}': ${(error as Error).message}`;
  }
}

/** An empty entry or `-` matches every input value. */
function isAnyInput(source: string): boolean {
  const trimmed = source.trim();
  return trimmed === '' || trimmed === '-';
}

/** Whether an input value satisfies DMN unary tests; `?` names the input value inside them. */
export function evaluateUnaryTests(source: string, input: unknown, context: FeelContext): FeelResult<boolean> {
  if (isAnyInput(source)) return ok(true);
  try {
    const { value, warnings } = unaryTest(source, { ...withClock(context), '?': input });
    const typeProblem = warnings.find((w) => w.type === 'INVALID_TYPE' || w.type === 'FUNCTION_INVOCATION_FAILURE');
    if (typeProblem) return failed(`failed to evaluate unary tests '${source}': ${typeProblem.message}`);
    return ok(value === true);
  } catch (error) {
    return failed(`failed to evaluate unary tests '${source}': ${(error as Error).message}`);
  }
}

/** Evaluates FEEL source (without the leading `=`) and returns a JSON-safe value. */
export function evaluateFeel(source: string, context: FeelContext): FeelResult<unknown> {
  try {
    const { value, warnings } = evaluate(source, withClock(context));
    // A type error is a failure; a missing variable is null, as in Zeebe's FEEL.
    const typeProblem = warnings.find((w) => w.type === 'INVALID_TYPE' || w.type === 'FUNCTION_INVOCATION_FAILURE');
    if (typeProblem) return failed(`failed to evaluate expression '${source}': ${typeProblem.message}`);
    return ok(toJsonValue(value));
  } catch (error) {
    return failed(`failed to evaluate expression '${source}': ${(error as Error).message}`);
  }
}

export function evaluateBoolean(source: string, context: FeelContext): FeelResult<boolean> {
  const result = evaluateFeel(source, context);
  if (!result.ok) return result;
  if (typeof result.value !== 'boolean') {
    return failed(`Expected result of the expression '${source}' to be 'BOOLEAN', but was '${feelTypeName(result.value)}'.`);
  }
  return ok(result.value);
}

/** A zeebe attribute value: static text, or FEEL that must yield a string (or a number, as text). */
export function evaluateString(expression: Expression, context: FeelContext): FeelResult<string> {
  if (expression.kind === 'static') return ok(expression.value);
  const result = evaluateFeel(expression.source, context);
  if (!result.ok) return result;
  if (typeof result.value === 'string') return ok(result.value);
  if (typeof result.value === 'number') return ok(String(result.value));
  return failed(`Expected result of the expression '${expression.source}' to be 'STRING', but was '${feelTypeName(result.value)}'.`);
}

export function evaluateInteger(expression: Expression, context: FeelContext): FeelResult<number> {
  const result = expression.kind === 'static' ? ok<unknown>(Number(expression.value)) : evaluateFeel(expression.source, context);
  if (!result.ok) return result;
  if (typeof result.value === 'number' && Number.isInteger(result.value)) return ok(result.value);
  const shown = expression.kind === 'static' ? expression.value : expression.source;
  return failed(`Expected result of the expression '${shown}' to be 'NUMBER' (a whole number), but was '${feelTypeName(result.value)}'.`);
}

/** Parses a zeebe attribute: `=expr` is FEEL, anything else is a static value. */
export function expressionOf(raw: string): Expression {
  return raw.startsWith('=') ? { kind: 'feel', source: raw.slice(1) } : { kind: 'static', value: raw };
}

function feelTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'LIST';
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return 'NUMBER';
    case 'string':
      return 'STRING';
    default:
      return 'CONTEXT';
  }
}

/** FEEL dates, times, durations and ranges become strings, as Zeebe stores them. */
function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== Object.prototype && prototype !== null) return (value as { toString(): string }).toString();
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = toJsonValue(item);
    return result;
  }
  return null;
}
