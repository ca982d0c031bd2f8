import { evaluate } from 'feelin';
import { type InvalidParam } from '../http/problem';

/**
 * Checks the data a person submits for a user task against that task's
 * form-js schema, on the server, with the rules the form states: required,
 * min/max, length, pattern, email/phone, the options of selects and lists,
 * and the types of fields; fields hidden by a condition are skipped. Keys
 * that are not fields of the form are refused, so a submission cannot set
 * process variables the form does not offer.
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
}

/** Components that show things but hold no value. */
const PRESENTATIONAL = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'table', 'documentPreview', 'expression']);
const CONTAINERS = new Set(['group', 'dynamiclist']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;

export function validateFormData(schema: { components?: readonly FormComponent[] }, data: Record<string, unknown>): InvalidParam[] {
  const errors: InvalidParam[] = [];
  const known = checkLevel(schema.components ?? [], data, '', data, errors);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) errors.push({ name: key, reason: 'is not a field of this form' });
  }
  return errors;
}

/** Validates one object level; answers the keys the level's fields own. */
function checkLevel(components: readonly FormComponent[], values: Record<string, unknown>, prefix: string, root: Record<string, unknown>, errors: InvalidParam[]): Set<string> {
  const known = new Set<string>();
  for (const component of components) {
    if (PRESENTATIONAL.has(component.type)) continue;
    if (isHidden(component, { ...root, ...values })) {
      if (component.key) known.add(component.key);
      if (component.path) known.add(component.path.split('.')[0]!);
      continue;
    }
    if (CONTAINERS.has(component.type)) {
      checkContainer(component, values, prefix, root, errors, known);
      continue;
    }
    if (!component.key) continue;
    known.add(component.key);
    const name = `${prefix}${component.key}`;
    const value = values[component.key];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (component.validate?.required) errors.push({ name, reason: `is required (${component.label ?? component.key})` });
      continue;
    }
    errors.push(...checkValue(component, value).map((reason) => ({ name, reason })));
  }
  return known;
}

function checkContainer(component: FormComponent, values: Record<string, unknown>, prefix: string, root: Record<string, unknown>, errors: InvalidParam[], known: Set<string>): void {
  const children = component.components ?? [];
  if (component.type === 'group' && !component.path) {
    for (const key of checkLevel(children, values, prefix, root, errors)) known.add(key);
    return;
  }
  const key = component.path ?? component.key;
  if (!key) return;
  known.add(key);
  const value = values[key];
  const name = `${prefix}${key}`;
  if (component.type === 'group') {
    const nested = value === undefined ? {} : value;
    if (!isPlainObject(nested)) return void errors.push({ name, reason: 'must be an object' });
    rejectUnknown(checkLevel(children, nested, `${name}.`, root, errors), nested, `${name}.`, errors);
    return;
  }
  const rows = value === undefined ? [] : value;
  if (!Array.isArray(rows)) return void errors.push({ name, reason: 'must be a list' });
  rows.forEach((row, index) => {
    if (!isPlainObject(row)) return void errors.push({ name: `${name}[${index}]`, reason: 'must be an object' });
    rejectUnknown(checkLevel(children, row, `${name}[${index}].`, root, errors), row, `${name}[${index}].`, errors);
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
function isHidden(component: FormComponent, data: Record<string, unknown>): boolean {
  const expression = component.conditional?.hide?.trim();
  if (!expression) return false;
  try {
    return evaluate(expression.replace(/^=/, ''), data).value === true;
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
