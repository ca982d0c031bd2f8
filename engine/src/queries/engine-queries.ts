import type pg from 'pg';
import { invalidArgument, notFound } from '../processing/rejection';
import { runSearch, type FieldSpec, type SearchBody, type SearchPage } from './search';
import { scopeFields, type Row } from './scope-fields';

/**
 * The read side: searches and look-ups served from the projection tables the
 * engine writes with its events, so no search scans the log. Items are shaped
 * as Camunda's REST API returns them (keys as strings, dates as ISO text).
 */

const key = (column: string): FieldSpec => ({ column, type: 'key' });
const text = (column: string): FieldSpec => ({ column, type: 'string' });
const integer = (column: string): FieldSpec => ({ column, type: 'integer' });
const date = (column: string): FieldSpec => ({ column, type: 'date' });
const flag = (column: string): FieldSpec => ({ column, type: 'boolean' });

export const PROCESS_INSTANCE_FIELDS = {
  processInstanceKey: key('process_instance_key'),
  processDefinitionKey: key('process_definition_key'),
  processDefinitionId: text('process_definition_id'),
  processDefinitionName: text('process_definition_name'),
  processDefinitionVersion: integer('process_definition_version'),
  processDefinitionVersionTag: text('process_definition_version_tag'),
  state: text('state'),
  hasIncident: flag('has_incident'),
  startDate: date('start_date'),
  endDate: date('end_date'),
  tenantId: text('tenant_id'),
  parentProcessInstanceKey: key('parent_process_instance_key'),
  parentElementInstanceKey: key('parent_element_instance_key'),
};

const ELEMENT_INSTANCE_FIELDS = {
  elementInstanceKey: key('element_instance_key'),
  processInstanceKey: key('process_instance_key'),
  processDefinitionKey: key('process_definition_key'),
  processDefinitionId: text('process_definition_id'),
  elementId: text('element_id'),
  elementName: text('element_name'),
  type: text('type'),
  state: text('state'),
  hasIncident: flag('has_incident'),
  incidentKey: key('incident_key'),
  elementInstanceScopeKey: key('flow_scope_key'),
  startDate: date('start_date'),
  endDate: date('end_date'),
  tenantId: text('tenant_id'),
};

const VARIABLE_FIELDS = {
  variableKey: key('variable_key'),
  name: text('name'),
  value: text('value'),
  scopeKey: key('scope_key'),
  processInstanceKey: key('process_instance_key'),
  tenantId: text('tenant_id'),
};

const INCIDENT_FIELDS = {
  incidentKey: key('incident_key'),
  processDefinitionKey: key('process_definition_key'),
  processDefinitionId: text('process_definition_id'),
  processInstanceKey: key('process_instance_key'),
  elementInstanceKey: key('element_instance_key'),
  elementId: text('element_id'),
  errorType: text('error_type'),
  errorMessage: text('error_message'),
  state: text('state'),
  jobKey: key('job_key'),
  creationTime: date('creation_time'),
  tenantId: text('tenant_id'),
};

const PROCESS_DEFINITION_FIELDS = {
  processDefinitionKey: key('process_definition_key'),
  processDefinitionId: text('process_definition_id'),
  name: text('name'),
  version: integer('version'),
  versionTag: text('version_tag'),
  resourceName: text('resource_name'),
  tenantId: text('tenant_id'),
};

const DECISION_DEFINITION_FIELDS = {
  decisionDefinitionKey: key('decision_definition_key'),
  decisionDefinitionId: text('decision_definition_id'),
  name: text('name'),
  version: integer('version'),
  decisionRequirementsKey: key('decision_requirements_key'),
  decisionRequirementsId: text('decision_requirements_id'),
  tenantId: text('tenant_id'),
};

const DECISION_REQUIREMENTS_FIELDS = {
  decisionRequirementsKey: key('decision_requirements_key'),
  decisionRequirementsId: text('decision_requirements_id'),
  decisionRequirementsName: text('decision_requirements_name'),
  version: integer('version'),
  resourceName: text('resource_name'),
  tenantId: text('tenant_id'),
};

/** Variables by name and JSON value, as Camunda's user-task filter takes them, at one scope of the task. */
const variablesAt = (scopeColumn: string): FieldSpec => ({
  column: scopeColumn,
  type: 'string',
  custom: (value, path, parameter) => {
    if (!Array.isArray(value)) throw invalidArgument(`Expected ${path} to be a list of { name, value }.`);
    return value
      .map((entry: unknown, index) => {
        const { name, value: expected } = (entry ?? {}) as { name?: unknown; value?: unknown };
        if (typeof name !== 'string' || typeof expected !== 'string') throw invalidArgument(`Expected ${path}[${index}] to have a name and a value (JSON text).`);
        return `EXISTS (SELECT 1 FROM variable v WHERE v.scope_key = user_task.${scopeColumn} AND v.name = ${parameter(name)} AND v.value = ${parameter(expected)})`;
      })
      .join(' AND ');
  },
});

const USER_TASK_FIELDS = {
  userTaskKey: key('user_task_key'),
  elementInstanceKey: key('element_instance_key'),
  processInstanceKey: key('process_instance_key'),
  processDefinitionKey: key('process_definition_key'),
  processDefinitionId: text('process_definition_id'),
  elementId: text('element_id'),
  name: text('name'),
  state: text('state'),
  assignee: text('assignee'),
  candidateGroup: { column: 'candidate_groups', type: 'string', array: true } satisfies FieldSpec,
  candidateUser: { column: 'candidate_users', type: 'string', array: true } satisfies FieldSpec,
  priority: integer('priority'),
  dueDate: date('due_date'),
  followUpDate: date('follow_up_date'),
  creationDate: date('creation_date'),
  completionDate: date('completion_date'),
  formKey: key('form_key'),
  tenantId: text('tenant_id'),
  processInstanceVariables: variablesAt('process_instance_key'),
  localVariables: variablesAt('element_instance_key'),
  /** Our shorthand: variables of the process instance. */
  variables: variablesAt('process_instance_key'),
};

/** Variable values longer than this are truncated in searches, as Camunda does. */
const TRUNCATE_VALUES_AT = 8_192;

export class EngineQueries {
  constructor(private readonly pool: pg.Pool) {}

  searchProcessInstances(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'process_instance', fields: PROCESS_INSTANCE_FIELDS, keyColumn: 'process_instance_key', body, toItem: processInstanceItem });
  }

  getProcessInstance(processInstanceKey: string): Promise<Row> {
    return this.byKey('process_instance', 'process_instance_key', processInstanceKey, 'Process instance', processInstanceItem);
  }

  searchElementInstances(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'element_instance', fields: ELEMENT_INSTANCE_FIELDS, keyColumn: 'element_instance_key', body, toItem: elementInstanceItem });
  }

  getElementInstance(elementInstanceKey: string): Promise<Row> {
    return this.byKey('element_instance', 'element_instance_key', elementInstanceKey, 'Element instance', elementInstanceItem);
  }

  searchVariables(body: SearchBody | undefined, truncateValues = true): Promise<SearchPage<Row>> {
    return runSearch(this.pool, {
      table: 'variable',
      fields: VARIABLE_FIELDS,
      keyColumn: 'variable_key',
      body,
      toItem: (row: Row) => variableItem(row, truncateValues),
    });
  }

  getVariable(variableKey: string): Promise<Row> {
    return this.byKey('variable', 'variable_key', variableKey, 'Variable', (row: Row) => variableItem(row, false));
  }

  searchIncidents(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'incident', fields: INCIDENT_FIELDS, keyColumn: 'incident_key', body, toItem: incidentItem });
  }

  getIncident(incidentKey: string): Promise<Row> {
    return this.byKey('incident', 'incident_key', incidentKey, 'Incident', incidentItem);
  }

  searchProcessDefinitions(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'process_definition', fields: PROCESS_DEFINITION_FIELDS, keyColumn: 'process_definition_key', body, toItem: processDefinitionItem });
  }

  getProcessDefinition(processDefinitionKey: string): Promise<Row> {
    return this.byKey('process_definition', 'process_definition_key', processDefinitionKey, 'Process definition', processDefinitionItem);
  }

  searchDecisionDefinitions(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'decision_definition', fields: DECISION_DEFINITION_FIELDS, keyColumn: 'decision_definition_key', body, toItem: decisionDefinitionItem });
  }

  getDecisionDefinition(decisionDefinitionKey: string): Promise<Row> {
    return this.byKey('decision_definition', 'decision_definition_key', decisionDefinitionKey, 'Decision definition', decisionDefinitionItem);
  }

  /** A decision's XML is that of the DMN resource it was deployed in. */
  getDecisionDefinitionXml(decisionDefinitionKey: string): Promise<string> {
    return this.textByKey(
      'decision_definition JOIN decision_requirements USING (decision_requirements_key)',
      'decision_definition_key',
      'xml',
      decisionDefinitionKey,
      'Decision definition',
    );
  }

  searchDecisionRequirements(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, {
      table: 'decision_requirements',
      fields: DECISION_REQUIREMENTS_FIELDS,
      keyColumn: 'decision_requirements_key',
      body,
      toItem: decisionRequirementsItem,
    });
  }

  getDecisionRequirements(decisionRequirementsKey: string): Promise<Row> {
    return this.byKey('decision_requirements', 'decision_requirements_key', decisionRequirementsKey, 'Decision requirements', decisionRequirementsItem);
  }

  getDecisionRequirementsXml(decisionRequirementsKey: string): Promise<string> {
    return this.textByKey('decision_requirements', 'decision_requirements_key', 'xml', decisionRequirementsKey, 'Decision requirements');
  }

  searchUserTasks(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'user_task', fields: USER_TASK_FIELDS, keyColumn: 'user_task_key', body, toItem: userTaskItem });
  }

  getUserTask(userTaskKey: string): Promise<Row> {
    return this.byKey('user_task', 'user_task_key', userTaskKey, 'User task', userTaskItem);
  }

  /** The latest version of a deployed form, by its id, or undefined. */
  async latestForm(formId: string): Promise<Row | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM form WHERE form_id = $1 ORDER BY version DESC LIMIT 1', [formId]);
    return rows[0] ? formItem(rows[0]) : undefined;
  }

  /** The state of a user task in the projection, or undefined when there is no such task. */
  async userTaskState(userTaskKey: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ state: string }>('SELECT state FROM user_task WHERE user_task_key = $1', [userTaskKey]);
    return rows[0]?.state;
  }

  /** The form linked to a user task, or undefined when it has none (the API answers 204). */
  async getUserTaskForm(userTaskKey: string): Promise<Row | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT t.user_task_key, f.* FROM user_task t LEFT JOIN form f ON f.form_key = t.form_key WHERE t.user_task_key = $1',
      [userTaskKey],
    );
    if (!rows[0]) throw notFound(`User task with key '${userTaskKey}' not found`);
    return rows[0].form_key === null ? undefined : formItem(rows[0]);
  }

  /** Variables a user task sees: its own and its process instance's. */
  async searchUserTaskVariables(userTaskKey: string, body: SearchBody | undefined): Promise<SearchPage<Row>> {
    const { rows } = await this.pool.query<{ element_instance_key: string; process_instance_key: string }>(
      'SELECT element_instance_key, process_instance_key FROM user_task WHERE user_task_key = $1',
      [userTaskKey],
    );
    const task = rows[0];
    if (!task) throw notFound(`User task with key '${userTaskKey}' not found`);
    return runSearch(this.pool, {
      table: 'variable',
      fields: VARIABLE_FIELDS,
      keyColumn: 'variable_key',
      body,
      toItem: (row: Row) => variableItem(row, true),
      restrict: (builder) => builder.where((p) => `scope_key IN (${p(task.element_instance_key)}, ${p(task.process_instance_key)})`),
    });
  }

  /** One row by its key, shaped as an API item, or 404. */
  private async byKey(table: string, keyColumn: string, key: string, label: string, toItem: (row: Row) => Row): Promise<Row> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${table} WHERE ${keyColumn} = $1`, [key]);
    if (!rows[0]) throw notFound(`${label} with key '${key}' not found`);
    return toItem(rows[0]);
  }

  getProcessDefinitionXml(processDefinitionKey: string): Promise<string> {
    return this.textByKey('process_definition', 'process_definition_key', 'xml', processDefinitionKey, 'Process definition');
  }

  /** One text column of the row with the key, or 404. */
  private async textByKey(from: string, keyColumn: string, column: string, key: string, label: string): Promise<string> {
    const { rows } = await this.pool.query<Record<string, string>>(`SELECT ${column} FROM ${from} WHERE ${keyColumn} = $1`, [key]);
    if (!rows[0]) throw notFound(`${label} with key '${key}' not found`);
    return rows[0][column]!;
  }
}

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : undefined);
const optional = <T>(name: string, value: T | null | undefined): Record<string, T> => (value === null || value === undefined ? {} : { [name]: value });

function processInstanceItem(row: Row): Row {
  return {
    ...scopeFields(row),
    processDefinitionName: row.process_definition_name ?? row.process_definition_id,
    processDefinitionVersion: row.process_definition_version,
    ...optional('processDefinitionVersionTag', row.process_definition_version_tag),
    state: row.state,
    hasIncident: row.has_incident,
    startDate: iso(row.start_date),
    ...optional('endDate', iso(row.end_date)),
    ...optional('parentProcessInstanceKey', row.parent_process_instance_key),
    ...optional('parentElementInstanceKey', row.parent_element_instance_key),
  };
}

function elementInstanceItem(row: Row): Row {
  return {
    ...scopeFields(row),
    elementName: row.element_name,
    type: row.type,
    state: row.state,
    hasIncident: row.has_incident,
    ...optional('incidentKey', row.incident_key),
    startDate: iso(row.start_date),
    ...optional('endDate', iso(row.end_date)),
  };
}

function variableItem(row: Row, truncate: boolean): Row {
  const value = String(row.value);
  const isTruncated = truncate && value.length > TRUNCATE_VALUES_AT;
  return {
    variableKey: row.variable_key,
    name: row.name,
    value: isTruncated ? value.slice(0, TRUNCATE_VALUES_AT) : value,
    isTruncated,
    scopeKey: row.scope_key,
    ...scopeFields(row),
  };
}

function incidentItem(row: Row): Row {
  return {
    incidentKey: row.incident_key,
    ...scopeFields(row),
    errorType: row.error_type,
    errorMessage: row.error_message,
    state: row.state,
    ...optional('jobKey', row.job_key),
    creationTime: iso(row.creation_time),
  };
}

function processDefinitionItem(row: Row): Row {
  return {
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    ...optional('name', row.name),
    version: row.version,
    ...optional('versionTag', row.version_tag),
    resourceName: row.resource_name,
    tenantId: row.tenant_id,
    hasStartForm: false,
    state: 'ACTIVE',
  };
}

function decisionDefinitionItem(row: Row): Row {
  return {
    decisionDefinitionKey: row.decision_definition_key,
    decisionDefinitionId: row.decision_definition_id,
    name: row.name,
    version: row.version,
    decisionRequirementsKey: row.decision_requirements_key,
    decisionRequirementsId: row.decision_requirements_id,
    tenantId: row.tenant_id,
  };
}

function decisionRequirementsItem(row: Row): Row {
  return {
    decisionRequirementsKey: row.decision_requirements_key,
    decisionRequirementsId: row.decision_requirements_id,
    decisionRequirementsName: row.decision_requirements_name,
    version: row.version,
    resourceName: row.resource_name,
    tenantId: row.tenant_id,
  };
}

function userTaskItem(row: Row): Row {
  return {
    userTaskKey: row.user_task_key,
    name: row.name ?? row.element_id,
    state: row.state,
    ...optional('assignee', row.assignee),
    ...scopeFields(row),
    candidateGroups: row.candidate_groups,
    candidateUsers: row.candidate_users,
    processDefinitionVersion: row.process_definition_version,
    ...optional('processName', row.process_name),
    creationDate: iso(row.creation_date),
    ...optional('completionDate', iso(row.completion_date)),
    ...optional('dueDate', row.due_date_text),
    ...optional('followUpDate', row.follow_up_date_text),
    ...optional('formKey', row.form_key),
    ...optional('externalFormReference', row.external_form_reference),
    customHeaders: row.custom_headers,
    priority: row.priority,
  };
}

function formItem(row: Row): Row {
  return { formKey: row.form_key, formId: row.form_id, version: row.version, schema: row.schema, tenantId: row.tenant_id };
}
