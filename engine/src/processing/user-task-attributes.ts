import { evaluateFeel, evaluateInteger, evaluateString, type FeelContext, type FeelResult } from '../feel/feel';
import { type Expression, type UserTaskElement } from '../model/process-model';

export interface UserTaskAttributes {
  readonly assignee: string | undefined;
  readonly candidateGroups: string[];
  readonly candidateUsers: string[];
  readonly dueDate: string | undefined;
  readonly followUpDate: string | undefined;
  readonly priority: number;
}

/** Camunda's default priority for a user task without one. */
export const DEFAULT_PRIORITY = 50;

/**
 * Evaluates a user task's assignment, schedule and priority, each static or
 * FEEL, with Zeebe's rules: candidates are a list or comma-separated text,
 * dates are ISO 8601 date-times, priority is a whole number from 0 to 100.
 */
export function userTaskAttributes(element: UserTaskElement, scope: FeelContext): FeelResult<UserTaskAttributes> {
  const assignee = assigneeOf(element.assignee, scope);
  if (!assignee.ok) return assignee;
  const candidateGroups = candidates(element.candidateGroups, scope, 'candidateGroups');
  if (!candidateGroups.ok) return candidateGroups;
  const candidateUsers = candidates(element.candidateUsers, scope, 'candidateUsers');
  if (!candidateUsers.ok) return candidateUsers;
  const dueDate = dateTime(element.dueDate, scope, 'dueDate');
  if (!dueDate.ok) return dueDate;
  const followUpDate = dateTime(element.followUpDate, scope, 'followUpDate');
  if (!followUpDate.ok) return followUpDate;
  let priority = DEFAULT_PRIORITY;
  if (element.priority) {
    const value = evaluateInteger(element.priority, scope);
    if (!value.ok) return value;
    if (value.value < 0 || value.value > 100) return { ok: false, message: `Expected priority to be a number between 0 and 100, but was '${value.value}'.` };
    priority = value.value;
  }
  return {
    ok: true,
    value: {
      assignee: assignee.value,
      candidateGroups: candidateGroups.value,
      candidateUsers: candidateUsers.value,
      dueDate: dueDate.value,
      followUpDate: followUpDate.value,
      priority,
    },
  };
}

/**
 * Zeebe evaluates the assignee as a string expression with no null allowed
 * (unlike the dates): a null result, e.g. a variable set to null, is an
 * incident, not an unassigned task. An empty string is a string, and stores
 * as no assignee. See https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#assignments
 * (the assignee expression must result in a string), and Zeebe's
 * BpmnUserTaskBehavior.evaluateAssigneeExpression, which type-checks the
 * result as STRING (camunda/camunda, zeebe/engine), the dates as nullable.
 */
function assigneeOf(expression: Expression | undefined, scope: FeelContext): FeelResult<string | undefined> {
  if (expression?.kind === 'feel') {
    const raw = evaluateFeel(expression.source, scope);
    if (raw.ok && raw.value === null) return { ok: false, message: `Expected result of the expression '${expression.source}' to be 'STRING', but was 'NULL'.` };
  }
  return optionalText(expression, scope);
}

function optionalText(expression: Expression | undefined, scope: FeelContext): FeelResult<string | undefined> {
  if (!expression) return { ok: true, value: undefined };
  if (expression.kind === 'feel') {
    const raw = evaluateFeel(expression.source, scope);
    if (raw.ok && raw.value === null) return { ok: true, value: undefined };
  }
  const value = evaluateString(expression, scope);
  return value.ok ? { ok: true, value: value.value === '' ? undefined : value.value } : value;
}

export function splitCandidates(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function candidates(expression: Expression | undefined, scope: FeelContext, what: string): FeelResult<string[]> {
  if (!expression) return { ok: true, value: [] };
  if (expression.kind === 'static') return { ok: true, value: splitCandidates(expression.value) };
  const result = evaluateFeel(expression.source, scope);
  if (!result.ok) return result;
  if (result.value === null) return { ok: true, value: [] };
  if (typeof result.value === 'string') return { ok: true, value: splitCandidates(result.value) };
  if (Array.isArray(result.value) && result.value.every((item) => typeof item === 'string')) return { ok: true, value: result.value };
  return { ok: false, message: `Expected ${what} to be a list of strings or a comma-separated string, but was '${JSON.stringify(result.value)}'.` };
}

function dateTime(expression: Expression | undefined, scope: FeelContext, what: string): FeelResult<string | undefined> {
  const text = optionalText(expression, scope);
  if (!text.ok || text.value === undefined) return text;
  if (!isDateTime(text.value)) return { ok: false, message: `Expected ${what} to be an ISO 8601 date-time with an offset (e.g. 2026-12-01T09:00:00Z), but was '${text.value}'.` };
  return text;
}

/** An ISO 8601 date-time with an offset, as Camunda stores due and follow-up dates. */
export function isDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})(\[[^\]]+\])?$/.test(text) && !Number.isNaN(Date.parse(text.replace(/\[.*\]$/, '')));
}
