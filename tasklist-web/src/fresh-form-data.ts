/**
 * The data a task form starts from: every value the task shows (read-only
 * fields, texts, the rows of a list) but none of the choices the person is
 * to make. A second assessment after a request for information would
 * otherwise open with the first one's "Request information" still chosen,
 * and the validation step's proposed "Accept" for each item would be a
 * decision nobody made.
 */
interface FormComponent {
  readonly type?: string;
  readonly key?: string;
  readonly path?: string;
  readonly readonly?: boolean | string;
  readonly components?: readonly FormComponent[];
}

/** form-js components that hold a value the person enters or picks. */
const INPUT_TYPES = new Set(['textfield', 'textarea', 'number', 'select', 'radio', 'checkbox', 'checklist', 'taglist', 'datetime']);

/** Keys of the editable inputs directly under these components (groups flattened, lists not). */
function editableKeys(components: readonly FormComponent[] | undefined): string[] {
  return (components ?? []).flatMap((c) => {
    if (c.type === 'dynamiclist') return [];
    if (c.type === 'group' && !c.path) return editableKeys(c.components);
    return c.key && INPUT_TYPES.has(c.type ?? '') && c.readonly !== true ? [c.key] : [];
  });
}

export function withoutDecisions(schema: unknown, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return strip((schema as FormComponent | null)?.components, data);
}

function strip(components: readonly FormComponent[] | undefined, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fresh: Record<string, unknown> = { ...data };
  for (const key of editableKeys(components)) delete fresh[key];
  for (const list of (components ?? []).filter((c) => (c.type === 'dynamiclist' || c.type === 'group') && c.path)) {
    const value = fresh[list.path!];
    if (list.type === 'dynamiclist' && Array.isArray(value)) fresh[list.path!] = value.map((row: unknown) => (row && typeof row === 'object' ? strip(list.components, row as Record<string, unknown>) : row));
    else if (list.type === 'group' && value && typeof value === 'object') fresh[list.path!] = strip(list.components, value as Record<string, unknown>);
  }
  return fresh;
}
