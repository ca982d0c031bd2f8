import { type DeletedResource, type DirtyEntities, type EngineState } from '../state/engine-state';
import { type EngineEvent } from '../state/events';
import { batchOperationRows } from './batch-operation-projection';
import { columns, type Column, type TableRows } from './projection-rows';

/** Rows to delete: those of deleted resources, with their history (Zeebe's resource deletion). */
interface DeletedRows {
  readonly kind: 'delete';
  readonly statements: readonly { readonly sql: string; readonly key: number | readonly number[] }[];
}

/** The projection rows of one batch, in the order they are written. */
export type ProjectionRows = readonly (TableRows | DeletedRows)[];

/**
 * Copies the row of every entity a batch touched, when the batch closes. The
 * next batch is processed while this one commits and changes the same
 * entities; rows copied here keep the projections at this batch's log
 * position, so a failed commit of the next batch cannot leave them ahead of
 * the log.
 */
export function projectionRows(state: EngineState, dirty: DirtyEntities, now: number = Date.now(), events: readonly EngineEvent[] = []): ProjectionRows {
  const tables: (TableRows | DeletedRows)[] = [...batchOperationRows(state, events, dirty.endedBatchOperations)];
  const batchTime = new Date(now);
  const add = (table: string, key: string, spec: readonly Column[], rows: readonly unknown[][]) => {
    tables.push({ table, key, spec, rows });
  };
  const definitions = [...dirty.definitions];
  if (definitions.length > 0) {
    add('process_definition', 'process_definition_key', DEFINITION_COLUMNS, definitions.map((d) => [
      d.key, d.bpmnProcessId, d.version, d.name ?? null, d.versionTag ?? null, d.resourceName, d.tenantId, d.deploymentKey, d.xml,
    ]));
  }

  const graphs = [...dirty.decisionGraphs];
  if (graphs.length > 0) {
    add('decision_requirements', 'decision_requirements_key', DECISION_REQUIREMENTS_COLUMNS, graphs.map((g) => [
      g.key, g.decisionRequirementsId, g.name, g.version, g.resourceName, g.tenantId, g.deploymentKey, g.xml,
    ]));
    add('decision_definition', 'decision_definition_key', DECISION_DEFINITION_COLUMNS, graphs.flatMap((g) => g.decisions.map((d) => [
      d.key, d.decisionId, d.name, d.version, g.key, g.decisionRequirementsId, g.tenantId,
    ])));
  }
  const forms = [...dirty.forms];
  if (forms.length > 0) {
    add('form', 'form_key', FORM_COLUMNS, forms.map((f) => [f.key, f.formId, f.version, f.resourceName, f.tenantId, f.deploymentKey, f.schema]));
  }

  const processInstances: unknown[][] = [];
  const elementInstances: unknown[][] = [];
  for (const instance of dirty.elementInstances) {
    const definition = state.definition(instance.processDefinitionKey);
    const ended = instance.state === 'COMPLETED' || instance.state === 'TERMINATED';
    const publicState = ended ? instance.state : 'ACTIVE';
    const start = new Date(instance.startDate);
    const end = instance.endDate === undefined ? null : new Date(instance.endDate);
    if (instance.type === 'PROCESS') {
      processInstances.push([
        instance.key, definition.key, definition.bpmnProcessId, definition.name ?? null, definition.version, definition.versionTag ?? null,
        publicState, (instance.incidentCount ?? 0) > 0, start, end, definition.tenantId,
        instance.parentProcessInstanceKey ?? null, instance.parentElementInstanceKey ?? null,
      ]);
    }
    const element = definition.executable.elements.get(instance.elementId);
    elementInstances.push([
      instance.key, instance.processInstanceKey, definition.key, definition.bpmnProcessId, instance.flowScopeKey ?? null, instance.elementId,
      element?.name ?? instance.elementId, instance.type, publicState, instance.incidentKey !== undefined, instance.incidentKey ?? null, start, end, definition.tenantId,
    ]);
  }
  if (processInstances.length > 0) add('process_instance', 'process_instance_key', PROCESS_INSTANCE_COLUMNS, processInstances);
  if (elementInstances.length > 0) add('element_instance', 'element_instance_key', ELEMENT_INSTANCE_COLUMNS, elementInstances);

  const variables = [...dirty.variables];
  if (variables.length > 0) {
    add('variable', 'variable_key', VARIABLE_COLUMNS, variables.map((v) => [
      v.key, v.name, v.value, v.scopeKey, v.processInstanceKey, tenantOf(state, v.processInstanceKey),
    ]));
  }

  const userTasks = [...dirty.userTasks];
  if (userTasks.length > 0) {
    add('user_task', 'user_task_key', USER_TASK_COLUMNS, userTasks.map((t) => {
      const definition = state.definition(t.processDefinitionKey);
      const element = definition.executable.elements.get(t.elementId);
      return [
        t.key, t.elementInstanceKey, t.processInstanceKey, definition.key, definition.bpmnProcessId, definition.version, definition.name ?? null,
        t.elementId, element?.name ?? null, t.state, t.assignee ?? null, t.candidateGroups, t.candidateUsers,
        t.dueDate ? new Date(t.dueDate.replace(/\[.*\]$/, '')) : null, t.followUpDate ? new Date(t.followUpDate.replace(/\[.*\]$/, '')) : null,
        t.dueDate ?? null, t.followUpDate ?? null, new Date(t.creationDate), t.completionDate === undefined ? null : new Date(t.completionDate),
        t.priority, t.formKey ?? null, t.externalFormReference ?? null, JSON.stringify(t.customHeaders), definition.tenantId,
      ];
    }));
  }

  const incidents = [...dirty.incidents];
  if (incidents.length > 0) {
    add('incident', 'incident_key', INCIDENT_COLUMNS, incidents.map((i) => {
      const definition = state.definition(i.processDefinitionKey);
      return [
        i.key, definition.key, definition.bpmnProcessId, i.processInstanceKey, i.elementInstanceKey, i.elementId, i.errorType, i.errorMessage,
        i.state, i.jobKey ?? null, new Date(i.creationTime), definition.tenantId,
      ];
    }));
  }

  const jobs = [...dirty.jobs];
  if (jobs.length > 0) {
    add('job', 'job_key', JOB_COLUMNS, jobs.map((j) => {
      const definition = state.definition(j.processDefinitionKey);
      const state_ = j.searchState ?? 'CREATED';
      const ended = state_ === 'COMPLETED' || state_ === 'CANCELED' || state_ === 'ERROR_THROWN';
      return [
        j.key, j.type, j.worker ?? null, state_, j.retries, j.hasFailedWithRetriesLeft ?? false, j.errorCode ?? null, j.errorMessage ?? null,
        JSON.stringify(j.customHeaders), j.deadline === undefined ? null : new Date(j.deadline), ended ? batchTime : null,
        definition.bpmnProcessId, definition.key, j.processInstanceKey, j.elementId, j.elementInstanceKey, definition.tenantId,
        // Zeebe's JobKind and JobListenerEventType: a listener's own event type (START, CREATING, ...).
        j.listener?.kind ?? 'BPMN_ELEMENT', j.listener?.eventType ?? 'UNSPECIFIED',
      ];
    }));
  }

  const subscriptions = [...dirty.messageSubscriptions];
  if (subscriptions.length > 0) {
    add('message_subscription', 'message_subscription_key', MESSAGE_SUBSCRIPTION_COLUMNS, subscriptions.map((m) => {
      const definition = state.definition(m.processDefinitionKey);
      const subscriptionState = m.correlated ? 'CORRELATED' : m.deleted ? 'DELETED' : 'CREATED';
      return [
        m.key, definition.bpmnProcessId, definition.key, m.processInstanceKey, m.targetElementId, m.ownerKey, subscriptionState, batchTime,
        m.messageName, m.correlationKey, definition.tenantId,
      ];
    }));
  }

  // One row per flow and instance, however often it was taken.
  const flows = new Map<string, unknown[]>();
  for (const f of dirty.sequenceFlows) {
    const definition = state.definition(f.processDefinitionKey);
    flows.set(`${f.processInstanceKey}\u0000${f.flowId}`, [f.processInstanceKey, f.flowId, definition.key, definition.bpmnProcessId, definition.tenantId]);
  }
  if (flows.size > 0) add('sequence_flow', 'process_instance_key, sequence_flow_id', SEQUENCE_FLOW_COLUMNS, [...flows.values()]);

  const decisionInstances = [...dirty.decisionInstances];
  if (decisionInstances.length > 0) {
    add('decision_instance', 'decision_evaluation_instance_key', DECISION_INSTANCE_COLUMNS, decisionInstances.map((d) => [
      d.key, d.evaluationKey, d.failure === undefined ? 'EVALUATED' : 'FAILED', new Date(d.time), d.failure ?? null, d.decisionKey, d.decisionId, d.decisionName,
      d.decisionVersion, d.decisionType, d.output, JSON.stringify(d.evaluatedInputs), JSON.stringify(d.matchedRules), d.rootDecisionKey,
      d.processDefinitionKey ?? null, d.processInstanceKey ?? null, d.elementInstanceKey ?? null, d.tenantId,
    ]));
  }

  const deleted = [...dirty.deletedResources];
  if (deleted.length > 0) tables.push({ kind: 'delete', statements: deleted.flatMap(deletionStatements) });
  return tables;
}

/** Deleting a process definition deletes its history too; deleting decision requirements, their decisions' (Zeebe's resource deletion). */
function deletionStatements(resource: DeletedResource): DeletedRows['statements'] {
  const { key } = resource;
  switch (resource.resourceType) {
    case 'PROCESS':
      return [
        ...['variable', 'job', 'message_subscription', 'sequence_flow', 'decision_instance', 'user_task', 'incident'].map((table) => ({
          sql: `DELETE FROM ${table} WHERE process_instance_key IN (SELECT process_instance_key FROM process_instance WHERE process_definition_key = $1)`,
          key,
        })),
        { sql: 'DELETE FROM element_instance WHERE process_definition_key = $1', key },
        { sql: 'DELETE FROM process_instance WHERE process_definition_key = $1', key },
        { sql: 'DELETE FROM process_definition WHERE process_definition_key = $1', key },
      ];
    case 'DECISION_REQUIREMENTS':
      return [
        { sql: 'DELETE FROM decision_instance WHERE decision_definition_key = ANY($1::bigint[])', key: resource.decisionKeys ?? [] },
        { sql: 'DELETE FROM decision_definition WHERE decision_requirements_key = $1', key },
        { sql: 'DELETE FROM decision_requirements WHERE decision_requirements_key = $1', key },
      ];
    case 'FORM':
      return [{ sql: 'DELETE FROM form WHERE form_key = $1', key }];
  }
}

/** One statement of a commit, its one parameter numbered by the caller ($1 when run alone). */
export interface Statement {
  /** The table an upsert or insert writes; undefined for a deletion, which must run in order on its own. */
  readonly table: string | undefined;
  readonly sql: (parameter: string) => string;
  readonly value: unknown;
}

/**
 * The statements that write copied rows: one `INSERT … SELECT FROM
 * json_to_recordset(…) ON CONFLICT DO UPDATE` per table (per 5,000 rows), so
 * a batch of hundreds of commands costs a handful of statements.
 */
export function projectionStatements(rows: ProjectionRows): Statement[] {
  return rows.flatMap((table): Statement[] =>
    table.kind === 'delete'
      ? table.statements.map((statement) => ({ table: undefined, sql: (parameter) => statement.sql.replace('$1', parameter), value: statement.key }))
      : upsertStatements(table.table, table.key, table.spec, table.rows),
  );
}

/** Variables outlive their process instance in memory only as rows; the tenant comes from the definition. */
function tenantOf(state: EngineState, processInstanceKey: number): string {
  const instance = state.elementInstances.get(processInstanceKey);
  return instance ? state.definition(instance.processDefinitionKey).tenantId : '<default>';
}

const DEFINITION_COLUMNS = columns(
  'process_definition_key bigint[], process_definition_id text[], version int[], name text[], version_tag text[], resource_name text[], tenant_id text[], deployment_key bigint[], xml text[]',
);
const DECISION_REQUIREMENTS_COLUMNS = columns(
  'decision_requirements_key bigint[], decision_requirements_id text[], decision_requirements_name text[], version int[], resource_name text[], tenant_id text[], deployment_key bigint[], xml text[]',
);
const DECISION_DEFINITION_COLUMNS = columns(
  'decision_definition_key bigint[], decision_definition_id text[], name text[], version int[], decision_requirements_key bigint[], decision_requirements_id text[], tenant_id text[]',
);
const FORM_COLUMNS = columns('form_key bigint[], form_id text[], version int[], resource_name text[], tenant_id text[], deployment_key bigint[], schema text[]');
const USER_TASK_COLUMNS = columns(
  'user_task_key bigint[], element_instance_key bigint[], process_instance_key bigint[], process_definition_key bigint[], process_definition_id text[], process_definition_version int[], process_name text[], element_id text[], name text[], state text[], assignee text[], candidate_groups textlist[], candidate_users textlist[], due_date timestamptz[], follow_up_date timestamptz[], due_date_text text[], follow_up_date_text text[], creation_date timestamptz[], completion_date timestamptz[], priority int[], form_key bigint[], external_form_reference text[], custom_headers jsonb[], tenant_id text[]',
);
const PROCESS_INSTANCE_COLUMNS = columns(
  'process_instance_key bigint[], process_definition_key bigint[], process_definition_id text[], process_definition_name text[], process_definition_version int[], process_definition_version_tag text[], state text[], has_incident boolean[], start_date timestamptz[], end_date timestamptz[], tenant_id text[], parent_process_instance_key bigint[], parent_element_instance_key bigint[]',
);
const ELEMENT_INSTANCE_COLUMNS = columns(
  'element_instance_key bigint[], process_instance_key bigint[], process_definition_key bigint[], process_definition_id text[], flow_scope_key bigint[], element_id text[], element_name text[], type text[], state text[], has_incident boolean[], incident_key bigint[], start_date timestamptz[], end_date timestamptz[], tenant_id text[]',
);
const JOB_COLUMNS = columns(
  'job_key bigint[], type text[], worker text[], state text[], retries int[], has_failed_with_retries_left boolean[], error_code text[], error_message text[], custom_headers jsonb[], deadline timestamptz[], end_time timestamptz[], process_definition_id text[], process_definition_key bigint[], process_instance_key bigint[], element_id text[], element_instance_key bigint[], tenant_id text[], kind text[], listener_event_type text[]',
);
const MESSAGE_SUBSCRIPTION_COLUMNS = columns(
  'message_subscription_key bigint[], process_definition_id text[], process_definition_key bigint[], process_instance_key bigint[], element_id text[], element_instance_key bigint[], state text[], last_updated_date timestamptz[], message_name text[], correlation_key text[], tenant_id text[]',
);
const SEQUENCE_FLOW_COLUMNS = columns('process_instance_key bigint[], sequence_flow_id text[], process_definition_key bigint[], process_definition_id text[], tenant_id text[]');
const DECISION_INSTANCE_COLUMNS = columns(
  'decision_evaluation_instance_key text[], decision_evaluation_key bigint[], state text[], evaluation_date timestamptz[], evaluation_failure text[], decision_definition_key bigint[], decision_definition_id text[], decision_definition_name text[], decision_definition_version int[], decision_definition_type text[], result text[], evaluated_inputs jsonb[], matched_rules jsonb[], root_decision_definition_key bigint[], process_definition_key bigint[], process_instance_key bigint[], element_instance_key bigint[], tenant_id text[]',
);
const VARIABLE_COLUMNS = columns('variable_key bigint[], name text[], value text[], scope_key bigint[], process_instance_key bigint[], tenant_id text[]');
const INCIDENT_COLUMNS = columns(
  'incident_key bigint[], process_definition_key bigint[], process_definition_id text[], process_instance_key bigint[], element_instance_key bigint[], element_id text[], error_type text[], error_message text[], state text[], job_key bigint[], creation_time timestamptz[], tenant_id text[]',
);

/** Rows per statement: one JSON text each, far below V8's bound on a string when a start projects every live entity again. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * The rows go as one JSON text per statement, read by json_to_recordset():
 * JSON.stringify is native, where pg would escape every value of every
 * column into an array literal (the most CPU a commit spent in the engine).
 * A `jsonb[]` column's values are JSON texts already, cast in SQL; a
 * `textlist[]` column's arrays are JSON arrays, which become text[].
 */
function upsertStatements(table: string, key: string, spec: readonly Column[], rows: readonly unknown[][]): Statement[] {
  const names = spec.map((c) => c.name);
  const isJson = (c: Column) => c.arrayType === 'jsonb[]';
  const recordType = spec.map((c) => `${c.name} ${isJson(c) ? 'text' : c.arrayType === 'textlist[]' ? 'text[]' : c.arrayType.slice(0, -2)}`).join(', ');
  const selected = spec.map((c) => (isJson(c) ? `u.${c.name}::jsonb` : `u.${c.name}`)).join(', ');
  const updates = names.filter((n) => n !== key).map((n) => `${n} = EXCLUDED.${n}`).join(', ');
  const sql = (parameter: string) =>
    `INSERT INTO ${table} (${names.join(', ')}) SELECT ${selected} FROM json_to_recordset(${parameter}::json) AS u(${recordType}) ON CONFLICT (${key}) DO UPDATE SET ${updates}`;
  const statements: Statement[] = [];
  for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
    const records = rows.slice(from, from + ROWS_PER_STATEMENT).map((row) => {
      const record: Record<string, unknown> = {};
      for (let index = 0; index < names.length; index++) record[names[index]!] = row[index];
      return record;
    });
    statements.push({ table, sql, value: JSON.stringify(records) });
  }
  return statements;
}
