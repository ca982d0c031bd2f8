import type pg from 'pg';
import { notFound } from '../processing/rejection';
import { PROCESS_INSTANCE_FIELDS } from './engine-queries';
import { runSearch, SearchBuilder, type FieldSpec, type SearchBody, type SearchPage } from './search';
import { scopeFields, type Row } from './scope-fields';

/**
 * The reads an operations view (Operate) is drawn from: jobs, element
 * statistics, taken sequence flows, message subscriptions, decision
 * instances and deployed resources, shaped as Camunda 8.8's REST API returns
 * them, from the projections the engine writes with its events.
 */

const key = (column: string): FieldSpec => ({ column, type: 'key' });
const text = (column: string): FieldSpec => ({ column, type: 'string' });
const integer = (column: string): FieldSpec => ({ column, type: 'integer' });
const date = (column: string): FieldSpec => ({ column, type: 'date' });
const flag = (column: string): FieldSpec => ({ column, type: 'boolean' });

const JOB_FIELDS = {
  jobKey: key('job_key'),
  type: text('type'),
  worker: text('worker'),
  state: text('state'),
  kind: text('kind'),
  listenerEventType: text('listener_event_type'),
  retries: integer('retries'),
  hasFailedWithRetriesLeft: flag('has_failed_with_retries_left'),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
  deadline: date('deadline'),
  endTime: date('end_time'),
  processDefinitionId: text('process_definition_id'),
  processDefinitionKey: key('process_definition_key'),
  processInstanceKey: key('process_instance_key'),
  elementId: text('element_id'),
  elementInstanceKey: key('element_instance_key'),
  tenantId: text('tenant_id'),
};

const MESSAGE_SUBSCRIPTION_FIELDS = {
  messageSubscriptionKey: key('message_subscription_key'),
  processDefinitionId: text('process_definition_id'),
  processDefinitionKey: key('process_definition_key'),
  processInstanceKey: key('process_instance_key'),
  elementId: text('element_id'),
  elementInstanceKey: key('element_instance_key'),
  messageSubscriptionState: text('state'),
  lastUpdatedDate: date('last_updated_date'),
  messageName: text('message_name'),
  correlationKey: text('correlation_key'),
  tenantId: text('tenant_id'),
};

const DECISION_INSTANCE_FIELDS = {
  decisionEvaluationInstanceKey: text('decision_evaluation_instance_key'),
  decisionEvaluationKey: key('decision_evaluation_key'),
  state: text('state'),
  evaluationDate: date('evaluation_date'),
  evaluationFailure: text('evaluation_failure'),
  decisionDefinitionKey: key('decision_definition_key'),
  decisionDefinitionId: text('decision_definition_id'),
  decisionDefinitionName: text('decision_definition_name'),
  decisionDefinitionVersion: integer('decision_definition_version'),
  decisionDefinitionType: text('decision_definition_type'),
  rootDecisionDefinitionKey: key('root_decision_definition_key'),
  processDefinitionKey: key('process_definition_key'),
  processInstanceKey: key('process_instance_key'),
  elementInstanceKey: key('element_instance_key'),
  tenantId: text('tenant_id'),
};

/** Deployed resources by kind: where each lives and what its id and content are. */
const RESOURCE_TABLES = [
  { table: 'process_definition', key: 'process_definition_key', id: 'process_definition_id', versionTag: 'version_tag', content: 'xml' },
  { table: 'decision_requirements', key: 'decision_requirements_key', id: 'decision_requirements_id', versionTag: 'NULL', content: 'xml' },
  { table: 'form', key: 'form_key', id: 'form_id', versionTag: 'NULL', content: 'schema' },
] as const;

export class OperationsQueries {
  constructor(private readonly pool: pg.Pool) {}

  searchJobs(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'job', fields: JOB_FIELDS, keyColumn: 'job_key', body, toItem: jobItem });
  }

  searchMessageSubscriptions(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, {
      table: 'message_subscription',
      fields: MESSAGE_SUBSCRIPTION_FIELDS,
      keyColumn: 'message_subscription_key',
      body,
      toItem: messageSubscriptionItem,
    });
  }

  searchDecisionInstances(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, {
      table: 'decision_instance',
      fields: DECISION_INSTANCE_FIELDS,
      // Numeric order of evaluations, then their decisions in evaluation order.
      keyColumn: 'decision_evaluation_key asc, length(decision_evaluation_instance_key) asc, decision_evaluation_instance_key',
      body,
      toItem: decisionInstanceItem,
    });
  }

  /** One decision instance with its inputs and matched rules (what a search leaves out). */
  async getDecisionInstance(decisionEvaluationInstanceKey: string): Promise<Row> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM decision_instance WHERE decision_evaluation_instance_key = $1', [decisionEvaluationInstanceKey]);
    if (!rows[0]) throw notFound(`Decision instance with key '${decisionEvaluationInstanceKey}' not found`);
    return { ...decisionInstanceItem(rows[0]), evaluatedInputs: rows[0].evaluated_inputs, matchedRules: rows[0].matched_rules };
  }

  /** Element instance counts of one process instance, per element. */
  async processInstanceElementStatistics(processInstanceKey: string): Promise<{ items: Row[] }> {
    await this.processInstanceExists(processInstanceKey);
    return { items: await this.elementStatistics('process_instance_key = $1', [processInstanceKey]) };
  }

  /** Element instance counts over a definition's instances that match a process instance filter. */
  async processDefinitionElementStatistics(processDefinitionKey: string, filter: Record<string, unknown> | undefined): Promise<{ items: Row[] }> {
    const { rows } = await this.pool.query('SELECT 1 FROM process_definition WHERE process_definition_key = $1', [processDefinitionKey]);
    if (rows.length === 0) throw notFound(`Process definition with key '${processDefinitionKey}' not found`);
    const builder = new SearchBuilder(PROCESS_INSTANCE_FIELDS).filter(filter);
    builder.where((p) => `process_definition_key = ${p(processDefinitionKey)}`);
    const where = `process_instance_key IN (SELECT process_instance_key FROM process_instance ${builder.whereSql()})`;
    return { items: await this.elementStatistics(where, builder.parameters) };
  }

  /** The sequence flows an instance has taken, each once. */
  async sequenceFlows(processInstanceKey: string): Promise<{ items: Row[] }> {
    await this.processInstanceExists(processInstanceKey);
    const { rows } = await this.pool.query<Row>('SELECT * FROM sequence_flow WHERE process_instance_key = $1 ORDER BY sequence_flow_id', [processInstanceKey]);
    return {
      // A flow's element id is its own id: the table has no element_id column.
      items: rows.map((row) => ({ ...scopeFields(row), sequenceFlowId: row.sequence_flow_id, elementId: row.sequence_flow_id })),
    };
  }

  async getResource(resourceKey: string): Promise<Row> {
    for (const kind of RESOURCE_TABLES) {
      const { rows } = await this.pool.query<Row>(
        `SELECT resource_name, version, ${kind.versionTag} AS version_tag, ${kind.id} AS resource_id, tenant_id FROM ${kind.table} WHERE ${kind.key} = $1`,
        [resourceKey],
      );
      const row = rows[0];
      if (!row) continue;
      return {
        resourceName: row.resource_name,
        version: row.version,
        ...(row.version_tag === null ? {} : { versionTag: row.version_tag }),
        resourceId: row.resource_id,
        tenantId: row.tenant_id,
        resourceKey,
      };
    }
    throw notFound(`Resource with key '${resourceKey}' not found`);
  }

  async getResourceContent(resourceKey: string): Promise<string> {
    for (const kind of RESOURCE_TABLES) {
      const { rows } = await this.pool.query<{ content: string }>(`SELECT ${kind.content} AS content FROM ${kind.table} WHERE ${kind.key} = $1`, [resourceKey]);
      if (rows[0]) return rows[0].content;
    }
    throw notFound(`Resource with key '${resourceKey}' not found`);
  }

  /**
   * As Operate counts them: `active` are active instances without an incident,
   * `incidents` active ones with one; multi-instance bodies and the process
   * itself are left out (the inner instances are counted), and so are an
   * ad-hoc subprocess's inner instances (not in the diagram; what runs in them is counted).
   */
  private async elementStatistics(where: string, parameters: unknown[]): Promise<Row[]> {
    const { rows } = await this.pool.query<{ element_id: string; active: string; completed: string; canceled: string; incidents: string }>(
      `SELECT element_id,
              count(*) FILTER (WHERE state = 'ACTIVE' AND NOT has_incident) AS active,
              count(*) FILTER (WHERE state = 'COMPLETED') AS completed,
              count(*) FILTER (WHERE state = 'TERMINATED') AS canceled,
              count(*) FILTER (WHERE state = 'ACTIVE' AND has_incident) AS incidents
         FROM element_instance
        WHERE ${where} AND type NOT IN ('PROCESS', 'MULTI_INSTANCE_BODY', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE')
        GROUP BY element_id ORDER BY element_id`,
      parameters,
    );
    return rows.map((row) => ({
      elementId: row.element_id,
      active: Number(row.active),
      canceled: Number(row.canceled),
      incidents: Number(row.incidents),
      completed: Number(row.completed),
    }));
  }

  private async processInstanceExists(processInstanceKey: string): Promise<void> {
    const { rows } = await this.pool.query('SELECT 1 FROM process_instance WHERE process_instance_key = $1', [processInstanceKey]);
    if (rows.length === 0) throw notFound(`Process instance with key '${processInstanceKey}' not found`);
  }
}

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : undefined);
const optional = <T>(name: string, value: T | null | undefined): Record<string, T> => (value === null || value === undefined ? {} : { [name]: value });

function jobItem(row: Row): Row {
  return {
    jobKey: row.job_key,
    type: row.type,
    worker: row.worker ?? '',
    state: row.state,
    kind: row.kind,
    listenerEventType: row.listener_event_type,
    retries: row.retries,
    hasFailedWithRetriesLeft: row.has_failed_with_retries_left,
    ...optional('errorCode', row.error_code),
    ...optional('errorMessage', row.error_message),
    customHeaders: row.custom_headers,
    ...optional('deadline', iso(row.deadline)),
    ...optional('endTime', iso(row.end_time)),
    ...scopeFields(row),
  };
}

function messageSubscriptionItem(row: Row): Row {
  return {
    messageSubscriptionKey: row.message_subscription_key,
    ...scopeFields(row),
    messageSubscriptionState: row.state,
    lastUpdatedDate: iso(row.last_updated_date),
    messageName: row.message_name,
    correlationKey: row.correlation_key,
  };
}

function decisionInstanceItem(row: Row): Row {
  return {
    decisionEvaluationInstanceKey: row.decision_evaluation_instance_key,
    decisionEvaluationKey: row.decision_evaluation_key,
    state: row.state,
    evaluationDate: iso(row.evaluation_date),
    ...optional('evaluationFailure', row.evaluation_failure),
    decisionDefinitionKey: row.decision_definition_key,
    decisionDefinitionId: row.decision_definition_id,
    decisionDefinitionName: row.decision_definition_name,
    decisionDefinitionVersion: row.decision_definition_version,
    decisionDefinitionType: row.decision_definition_type,
    result: row.result,
    rootDecisionDefinitionKey: row.root_decision_definition_key,
    ...scopeFields(row),
  };
}
