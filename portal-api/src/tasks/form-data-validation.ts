import { evaluate } from 'feelin';
import { type InvalidParam } from '../http/problem';

/**
 * Checks the data a person submits for a user task against that task's
 * form-js schema, on the server, with the rules the form states: required,
 * min/max, length, pattern, email/phone, the options of selects and lists,
 * and the types of fields. A field hidden by its condition must not receive
 * a value, and a read-only (or disabled) field must keep the value the task
 * presented, so a submission cannot change what the person was shown nor
 * fill what the form hid. Keys that are not fields of the form are refused,
 * so a submission cannot set process variables the form does not offer.
 * Conditions are evaluated as form-js does: the form's data at the root,
 * with `this` the current row (or the root) and `parent` its enclosing level.
 */
export interface FormComponent {
  readonly type: string;
  readonly key?: string;
  readonly path?: string;
  readonly label?: string;
  readonly components?: readonly FormComponent[];
  readonly values?: readonly { value: unknown }[];
  readonly validate?: {
    readonly required?: boolean;
    readonly min?: number;
    readonly max?: number;
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly pattern?: string;
    readonly validationType?: 'email' | 'phone';
  };
  readonly conditional?: { readonly hide?: string };
  readonly readonly?: boolean | string;
  readonly disabled?: boolean;
  readonly subtype?: string;
  readonly allowAddRemove?: boolean;
}

/** Components that show things but hold no value. */
const PRESENTATIONAL = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'table', 'documentPreview', 'expression']);
const CONTAINERS = new Set(['group', 'dynamiclist']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;

/** Where a level of the form sits: the submitted values and what the task presented there. */
interface Scope {
  readonly root: Record<string, unknown>;
  readonly values: Record<string, unknown>;
  readonly parent: Record<string, unknown> | null;
  /** The values the task showed at this level (the process variables, or their row); undefined when it showed none. */
  readonly presented: Record<string, unknown> | undefined;
  readonly prefix: string;
}

export function validateFormData(schema: { components?: readonly FormComponent[] }, data: Record<string, unknown>, presented: Record<string, unknown> = {}): InvalidParam[] {
  const errors: InvalidParam[] = [];
  const known = checkLevel(schema.components ?? [], { root: data, values: data, parent: null, presented, prefix: '' }, errors);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) errors.push({ name: key, reason: 'is not a field of this form' });
  }
  return errors;
}

/** Validates one object level; answers the keys the level's fields own. */
function checkLevel(components: readonly FormComponent[], scope: Scope, errors: InvalidParam[]): Set<string> {
  const known = new Set<string>();
  const { values, prefix } = scope;
  for (const component of components) {
    if (PRESENTATIONAL.has(component.type)) continue;
    const key = component.key ?? component.path?.split('.')[0];
    if (isHidden(component, scope)) {
      if (!key) continue;
      known.add(key);
      // form-js leaves hidden fields out of what it submits; a value here did not come from the form as shown.
      if (!isBlank(values[key])) errors.push({ name: `${prefix}${key}`, reason: 'is hidden by the form and must not be given a value' });
      continue;
    }
    if (CONTAINERS.has(component.type)) {
      checkContainer(component, scope, errors, known);
      continue;
    }
    if (!component.key) continue;
    known.add(component.key);
    const name = `${prefix}${component.key}`;
    const value = values[component.key];
    if (isLocked(component, scope)) {
      // At the root an absent key leaves the variable as it was; a row or group is replaced whole, so it must carry the value.
      const untouched = value === undefined && scope.prefix === '';
      if (!untouched && !sameValue(value, scope.presented?.[component.key])) errors.push({ name, reason: 'is read-only and must keep the value the task presented' });
      continue;
    }
    if (isBlank(value) || (Array.isArray(value) && value.length === 0)) {
      if (component.validate?.required) errors.push({ name, reason: `is required (${component.label ?? component.key})` });
      continue;
    }
    errors.push(...checkValue(component, value).map((reason) => ({ name, reason })));
  }
  return known;
}

function checkContainer(component: FormComponent, scope: Scope, errors: InvalidParam[], known: Set<string>): void {
  const children = component.components ?? [];
  if (component.type === 'group' && !component.path) {
    for (const key of checkLevel(children, scope, errors)) known.add(key);
    return;
  }
  const key = component.path ?? component.key;
  if (!key) return;
  known.add(key);
  const value = scope.values[key];
  const shown = scope.presented?.[key];
  const name = `${scope.prefix}${key}`;
  if (component.type === 'group') {
    const nested = value === undefined ? {} : value;
    if (!isPlainObject(nested)) return void errors.push({ name, reason: 'must be an object' });
    const inner: Scope = { root: scope.root, values: nested, parent: scope.values, presented: isPlainObject(shown) ? shown : undefined, prefix: `${name}.` };
    rejectUnknown(checkLevel(children, inner, errors), nested, inner.prefix, errors);
    return;
  }
  const rows = value === undefined ? [] : value;
  if (!Array.isArray(rows)) return void errors.push({ name, reason: 'must be a list' });
  const shownRows: unknown[] | undefined = Array.isArray(shown) ? (shown as unknown[]) : undefined;
  // A list the person cannot add to or remove from keeps the rows the task presented.
  if (component.allowAddRemove === false && shownRows && value !== undefined && rows.length !== shownRows.length) {
    errors.push({ name, reason: `must keep the ${shownRows.length} rows the task presented` });
  }
  rows.forEach((row, index) => {
    if (!isPlainObject(row)) return void errors.push({ name: `${name}[${index}]`, reason: 'must be an object' });
    const shownRow = shownRows?.[index];
    const inner: Scope = { root: scope.root, values: row, parent: scope.values, presented: isPlainObject(shownRow) ? shownRow : undefined, prefix: `${name}[${index}].` };
    rejectUnknown(checkLevel(children, inner, errors), row, inner.prefix, errors);
  });
}

function rejectUnknown(known: Set<string>, values: Record<string, unknown>, prefix: string, errors: InvalidParam[]): void {
  for (const key of Object.keys(values)) if (!known.has(key)) errors.push({ name: `${prefix}${key}`, reason: 'is not a field of this form' });
}

function checkValue(component: FormComponent, value: unknown): string[] {
  const rules = component.validate ?? {};
  const reasons: string[] = [];
  switch (component.type) {
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return ['must be a number'];
      if (rules.min !== undefined && number < rules.min) reasons.push(`must be at least ${rules.min}`);
      if (rules.max !== undefined && number > rules.max) reasons.push(`must be at most ${rules.max}`);
      return reasons;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? [] : ['must be true or false'];
    case 'select':
    case 'radio':
      return optionReasons(component, [value]);
    case 'checklist':
    case 'taglist':
      return Array.isArray(value) ? optionReasons(component, value) : ['must be a list'];
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value.length === 5 ? `1970-01-01T${value}` : value)) ? [] : ['must be a date or time'];
    case 'textfield':
    case 'textarea': {
      if (typeof value !== 'string') return ['must be text'];
      if (rules.minLength !== undefined && value.length < rules.minLength) reasons.push(`must be at least ${rules.minLength} characters long`);
      if (rules.maxLength !== undefined && value.length > rules.maxLength) reasons.push(`must be at most ${rules.maxLength} characters long`);
      if (rules.pattern !== undefined && !new RegExp(`^(?:${rules.pattern})$`).test(value)) reasons.push(`must match the pattern ${rules.pattern}`);
      if (rules.validationType === 'email' && !EMAIL.test(value)) reasons.push('must be an email address');
      if (rules.validationType === 'phone' && !PHONE.test(value)) reasons.push('must be a phone number');
      return reasons;
    }
    default:
      return [];
  }
}

function optionReasons(component: FormComponent, chosen: readonly unknown[]): string[] {
  if (!component.values) return []; // options from a variable: not known here
  const allowed = component.values.map((option) => option.value);
  const wrong = chosen.filter((value) => !allowed.includes(value));
  return wrong.length === 0 ? [] : [`must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`];
}

/** `conditional.hide` is a FEEL expression over the form's data. */
function isHidden(component: FormComponent, scope: Scope): boolean {
  const expression = component.conditional?.hide?.trim();
  return expression ? evaluateCondition(expression, scope) : false;
}

/** `readonly` is true, or a FEEL expression; `disabled` fields are not editable either. */
function isLocked(component: FormComponent, scope: Scope): boolean {
  if (component.disabled === true || component.readonly === true) return true;
  return typeof component.readonly === 'string' && component.readonly.trim().startsWith('=') ? evaluateCondition(component.readonly.trim(), scope) : false;
}

/** The context form-js builds for an expression (its buildExpressionContext). */
function evaluateCondition(expression: string, scope: Scope): boolean {
  const special = { this: scope.values, parent: scope.parent };
  try {
    return evaluate(expression.replace(/^=/, ''), { ...special, ...scope.root, _this_: scope.values, _parent_: scope.parent }).value === true;
  } catch {
    return false;
  }
}

/** What an empty field submits: form-js initialises a text field with '' and a number with null. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Values compared as JSON would carry them; blank equals absent. */
function sameValue(submitted: unknown, presented: unknown): boolean {
  if (isBlank(submitted) && isBlank(presented)) return true;
  if (typeof submitted === 'number' || typeof presented === 'number') return Number(submitted) === Number(presented);
  return JSON.stringify(submitted) === JSON.stringify(presented);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
