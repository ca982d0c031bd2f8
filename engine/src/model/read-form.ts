import { type ModelProblem } from './read-bpmn';

export type ReadFormResult = { readonly ok: true; readonly formId: string } | { readonly ok: false; readonly problems: ModelProblem[] };

/**
 * Checks what the engine needs of a form-js schema: JSON, an object, and an
 * `id` by which user tasks and start events link it (`zeebe:formDefinition
 * formId`). The form's fields are checked against form-js's own schema by the
 * tooling that edits forms, not here, as Zeebe does.
 */
export function readForm(text: string): ReadFormResult {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ message: `The form is not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return { ok: false, problems: [{ message: 'Expected the form to be a JSON object.' }] };
  }
  const { id, components } = schema as { id?: unknown; components?: unknown };
  const problems: ModelProblem[] = [];
  if (typeof id !== 'string' || id.trim() === '') problems.push({ message: "Expected the form to have an 'id' (a non-empty string), but it has none." });
  if (components !== undefined && !Array.isArray(components)) problems.push({ message: "Expected the form's 'components' to be a list." });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, formId: id as string };
}
