/** A projection row as `pg` returns it: column name → value. */
export type Row = Record<string, unknown>;

/** The columns that place a row in its process, and the names Camunda's REST API gives them. */
const SCOPE_COLUMNS = [
  ['process_definition_id', 'processDefinitionId'],
  ['process_definition_key', 'processDefinitionKey'],
  ['process_instance_key', 'processInstanceKey'],
  ['element_id', 'elementId'],
  ['element_instance_key', 'elementInstanceKey'],
  ['tenant_id', 'tenantId'],
] as const;

/**
 * The scope fields every item of a search shares (definition, instance,
 * element, tenant), from whichever of those columns the row's table has.
 * A NULL column (a decision evaluated outside a process) is left out, as
 * Camunda leaves the field out rather than send null.
 */
export function scopeFields(row: Row): Row {
  const fields: Row = {};
  for (const [column, field] of SCOPE_COLUMNS) {
    const value = row[column];
    if (value !== null && value !== undefined) fields[field] = value;
  }
  return fields;
}
