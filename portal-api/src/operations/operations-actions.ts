import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';
import { ClaimLinks, type ClaimLink } from './claim-links';
import { type BatchOperationWire, type ElementInstanceWire, type ElementStatisticsWire, type ProcessDefinitionWire, type ProcessInstanceWire, type SearchPage } from './engine-wire';
import { type BatchInput, type ElementMapping, type MigrateInput, type ModifyInput, type RetryInput } from './operations.dto';
import { OperationsReads, checkKey, engineInstanceFilter } from './operations-reads';
import { confirmRetry, type RetryOutcome } from './retry-confirmation';

/** Instance keys and claims named in a batch's audit entry; a batch past this is recorded by its filter and count. */
const BATCH_AUDIT_ITEMS = 1_000;

/**
 * What operations staff do to running instances: retry an incident (and
 * see that the job really ran again), cancel, move a token, migrate to
 * another version, singly or as an engine batch over a filter. Each is sent
 * to the engine over Camunda 8's v2 API, then audited with who, what, the
 * instance and its claim. A refusal from the engine changes nothing and is
 * answered as a problem; nothing is audited then.
 */
@Injectable()
export class OperationsActions {
  constructor(
    private readonly engine: EngineClient,
    private readonly reads: OperationsReads,
    private readonly claims: ClaimLinks,
    private readonly audit: AuditLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Operate's retry: the job gets retries back and the incident is resolved,
   * then the answer waits until the job has run again and says how it went.
   */
  async retry(caller: Principal, incidentKey: string, input: RetryInput): Promise<RetryOutcome & { incidentKey: string; processInstanceKey: string; claim: ClaimLink | null }> {
    const incident = await this.reads.incident(incidentKey);
    if (incident.state !== 'ACTIVE') throw Problem.conflict(`Incident ${incidentKey} is ${incident.state.toLowerCase()}, not open: there is nothing to retry.`);
    const processInstanceKey = String(incident.processInstanceKey);
    const jobKey = incident.jobKey ? String(incident.jobKey) : undefined;
    let before = '';
    if (jobKey) {
      const job = await this.reads.job(jobKey);
      if (job && job.retries < 1) {
        await this.reads.ask(`Job ${jobKey}`, () => this.engine.call('PATCH', `/v2/jobs/${jobKey}`, { changeset: { retries: input.retries ?? 1 } }));
      }
      before = (await this.reads.job(jobKey))?.state ?? '';
    }
    await this.reads.ask(`Incident ${incidentKey}`, () => this.engine.call('POST', `/v2/incidents/${incidentKey}/resolution`, {}));
    const result: RetryOutcome = jobKey
      ? await confirmRetry(
          {
            job: () => this.reads.job(jobKey),
            openIncidents: async () => (await this.engine.call<SearchPage<{ incidentKey: string; jobKey?: string; errorMessage: string; processInstanceKey: string; processDefinitionId: string; elementId: string; elementInstanceKey: string; errorType: string; state: string }>>('POST', '/v2/incidents/search', { filter: { processInstanceKey, state: 'ACTIVE' }, page: { from: 0, limit: 100 } })).items,
          },
          incidentKey,
          before,
          (input.waitSeconds ?? 30) * 1_000,
        )
      : { outcome: 'resolved', job: null };
    const claim = await this.claims.ofInstance(processInstanceKey);
    await this.record(caller, 'operations.retry', processInstanceKey, claim, { incidentKey, jobKey: jobKey ?? null, elementId: incident.elementId, errorMessage: incident.errorMessage, outcome: result.outcome, ...(result.outcome === 'failed-again' ? { newError: result.error } : {}) });
    this.logger.info({ processInstanceKey, incidentKey, claimId: claim?.id, outcome: result.outcome, by: caller.username }, 'incident retried');
    return { ...result, incidentKey, processInstanceKey, claim };
  }

  async cancel(caller: Principal, processInstanceKey: string) {
    checkKey(processInstanceKey, 'processInstanceKey');
    const instance = await this.activeInstance(processInstanceKey);
    await this.reads.ask(`Process instance ${processInstanceKey}`, () => this.engine.call('POST', `/v2/process-instances/${processInstanceKey}/cancellation`, {}));
    const claim = await this.claims.ofInstance(processInstanceKey);
    await this.record(caller, 'operations.cancel', processInstanceKey, claim, { processDefinitionId: instance.processDefinitionId, version: instance.processDefinitionVersion });
    return { processInstanceKey, state: 'TERMINATED', claim };
  }

  /** Moves the active tokens of one element to another: the new one activated, the old ones ended, in one engine command. */
  async modify(caller: Principal, processInstanceKey: string, input: ModifyInput) {
    checkKey(processInstanceKey, 'processInstanceKey');
    const instance = await this.activeInstance(processInstanceKey);
    const active = await this.reads.ask(`Process instance ${processInstanceKey}`, () =>
      this.engine.call<SearchPage<ElementInstanceWire>>('POST', '/v2/element-instances/search', { filter: { processInstanceKey, elementId: input.fromElementId, state: 'ACTIVE' }, page: { from: 0, limit: 100 } }),
    );
    if (active.items.length === 0) throw Problem.unprocessable(`No token is at ${input.fromElementId} in instance ${processInstanceKey}.`, [{ name: 'fromElementId', reason: 'has no active token in this instance' }]);
    const xml = await this.reads.ask(`Process instance ${processInstanceKey}`, () => this.engine.call<string>('GET', `/v2/process-definitions/${instance.processDefinitionKey}/xml`));
    if (!hasElement(xml, input.toElementId)) throw Problem.unprocessable(`The diagram has no element ${input.toElementId}.`, [{ name: 'toElementId', reason: 'is not an element of this process version' }]);
    await this.reads.ask(`Process instance ${processInstanceKey}`, () =>
      this.engine.call('POST', `/v2/process-instances/${processInstanceKey}/modification`, {
        activateInstructions: [{ elementId: input.toElementId }],
        terminateInstructions: active.items.map((element) => ({ elementInstanceKey: String(element.elementInstanceKey) })),
      }),
    );
    const claim = await this.claims.ofInstance(processInstanceKey);
    await this.record(caller, 'operations.modify', processInstanceKey, claim, { from: input.fromElementId, to: input.toElementId, tokens: active.items.length });
    return { processInstanceKey, moved: active.items.length, from: input.fromElementId, to: input.toElementId, claim };
  }

  async migrate(caller: Principal, processInstanceKey: string, input: MigrateInput) {
    checkKey(processInstanceKey, 'processInstanceKey');
    const instance = await this.activeInstance(processInstanceKey);
    const target = await this.definition(input.targetProcessDefinitionKey);
    const mapping = input.mappingInstructions ?? (await this.sameIdMapping(`/v2/process-instances/${processInstanceKey}/statistics/element-instances`, 'GET'));
    await this.reads.ask(`Process instance ${processInstanceKey}`, () =>
      this.engine.call('POST', `/v2/process-instances/${processInstanceKey}/migration`, { targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions: mapping }),
    );
    const claim = await this.claims.ofInstance(processInstanceKey);
    await this.record(caller, 'operations.migrate', processInstanceKey, claim, { fromVersion: instance.processDefinitionVersion, toVersion: target.version, targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions: mapping });
    return { processInstanceKey, version: target.version, claim };
  }

  /** One engine batch operation over the filter; the answer has its key, for progress. */
  async batch(caller: Principal, input: BatchInput) {
    const filterParam = (name: string, reason: string) => Problem.invalidField(`filter.${name}`, reason);
    if (!input.filter.processDefinitionId) throw filterParam('processDefinitionId', 'is required: a batch acts on one process');
    const filter = { ...engineInstanceFilter(input.filter) };
    let created: { batchOperationKey: string };
    let details: Record<string, unknown> = { type: input.type, filter: input.filter, reason: input.reason ?? null };
    if (input.type === 'retry') {
      created = await this.send('/v2/process-instances/incident-resolution', { filter: { ...filter, hasIncident: true } });
    } else if (input.type === 'cancel') {
      created = await this.send('/v2/process-instances/cancellation', { filter });
    } else if (input.type === 'modify') {
      if (!input.fromElementId) throw Problem.invalidField('fromElementId', 'is required to move tokens');
      if (!input.toElementId) throw Problem.invalidField('toElementId', 'is required to move tokens');
      details = { ...details, from: input.fromElementId, to: input.toElementId };
      created = await this.send('/v2/process-instances/modification', { filter, moveInstructions: [{ sourceElementId: input.fromElementId, targetElementId: input.toElementId }] });
    } else {
      if (!input.targetProcessDefinitionKey) throw Problem.invalidField('targetProcessDefinitionKey', 'is required to migrate');
      if (!input.filter.version) throw filterParam('version', 'is required to migrate: the version the instances leave');
      const source = await this.definitionOf(input.filter.processDefinitionId, input.filter.version);
      const target = await this.definition(input.targetProcessDefinitionKey);
      const mapping = input.mappingInstructions ?? (await this.sameIdMapping(`/v2/process-definitions/${source.processDefinitionKey}/statistics/element-instances`, 'POST', { filter: { ...filter, state: 'ACTIVE' } }));
      details = { ...details, toVersion: target.version, targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions: mapping };
      created = await this.send('/v2/process-instances/migration', { filter: { ...filter, processDefinitionKey: source.processDefinitionKey }, migrationPlan: { targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions: mapping } });
    }
    const batchOperationKey = String(created.batchOperationKey);
    // The engine fixes the instances a batch covers when it is created: they are named in the audit entry with their claims.
    const items = await this.reads.ask('Batch operation', () =>
      this.engine.call<SearchPage<{ processInstanceKey: string }>>('POST', '/v2/batch-operation-items/search', { filter: { batchOperationKey }, page: { from: 0, limit: BATCH_AUDIT_ITEMS } }),
    );
    const keys = items.items.map((item) => String(item.processInstanceKey));
    const claims = await this.claims.byInstance(keys);
    await this.audit.recordAlone(caller, {
      action: `operations.batch-${input.type}`,
      entityType: 'batch-operation',
      entityId: batchOperationKey,
      details: { ...details, instances: items.page.totalItems, processInstanceKeys: keys, claimIds: [...claims.values()].map((c) => c.id) },
    });
    return { batchOperationKey, type: input.type, instances: items.page.totalItems };
  }

  /** A batch's progress as the engine has committed it, with the instances it could not act on. */
  async batchProgress(batchOperationKey: string) {
    checkKey(batchOperationKey, 'batchOperationKey');
    const operation = await this.reads.ask(`Batch operation ${batchOperationKey}`, () => this.engine.call<BatchOperationWire>('GET', `/v2/batch-operations/${batchOperationKey}`));
    const failed = await this.reads.ask(`Batch operation ${batchOperationKey}`, () =>
      this.engine.call<SearchPage<{ processInstanceKey: string; errorMessage?: string }>>('POST', '/v2/batch-operation-items/search', { filter: { batchOperationKey, state: 'FAILED' }, page: { from: 0, limit: 20 } }),
    );
    return {
      batchOperationKey,
      state: operation.state,
      type: operation.batchOperationType,
      total: operation.operationsTotalCount,
      completed: operation.operationsCompletedCount,
      failed: operation.operationsFailedCount,
      failures: failed.items.map((item) => ({ processInstanceKey: String(item.processInstanceKey), error: item.errorMessage ?? null })),
      startDate: operation.startDate ?? null,
      endDate: operation.endDate ?? null,
    };
  }

  private async activeInstance(processInstanceKey: string): Promise<ProcessInstanceWire> {
    const instance = await this.reads.ask(`Process instance ${processInstanceKey}`, () => this.engine.call<ProcessInstanceWire>('GET', `/v2/process-instances/${processInstanceKey}`));
    if (instance.state !== 'ACTIVE') throw Problem.conflict(`Process instance ${processInstanceKey} is ${instance.state.toLowerCase()}, not active.`);
    return instance;
  }

  private async definition(processDefinitionKey: string): Promise<ProcessDefinitionWire> {
    try {
      return await this.engine.call<ProcessDefinitionWire>('GET', `/v2/process-definitions/${processDefinitionKey}`);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw Problem.unprocessable(`No process version has the key ${processDefinitionKey}.`, [{ name: 'targetProcessDefinitionKey', reason: 'is not a deployed process version' }]);
      throw engineProblem(error, 'Process definition');
    }
  }

  private async definitionOf(processDefinitionId: string, version: number): Promise<ProcessDefinitionWire> {
    const found = await this.reads.ask('Process definitions', () =>
      this.engine.call<SearchPage<ProcessDefinitionWire>>('POST', '/v2/process-definitions/search', { filter: { processDefinitionId, version }, page: { from: 0, limit: 1 } }),
    );
    if (!found.items[0]) throw Problem.unprocessable(`${processDefinitionId} has no version ${version}.`, [{ name: 'filter.version', reason: 'is not a deployed version of this process' }]);
    return found.items[0];
  }

  /** Each element holding a token (active or stopped on an incident) mapped to the element of the same id. */
  private async sameIdMapping(path: string, method: 'GET' | 'POST', body?: unknown): Promise<ElementMapping[]> {
    const statistics = await this.reads.ask('Element statistics', () => this.engine.call<{ items: ElementStatisticsWire[] }>(method, path, body));
    const ids = statistics.items.filter((s) => s.active + s.incidents > 0).map((s) => s.elementId);
    if (ids.length === 0) throw Problem.conflict('No token is active where the instances are, so there is nothing to migrate.');
    return ids.map((id) => ({ sourceElementId: id, targetElementId: id }));
  }

  private send(path: string, body: unknown): Promise<{ batchOperationKey: string }> {
    return this.reads.ask('Batch operation', () => this.engine.call<{ batchOperationKey: string }>('POST', path, body));
  }

  private async record(caller: Principal, action: string, processInstanceKey: string, claim: ClaimLink | null, details: Record<string, unknown>): Promise<void> {
    await this.audit.recordAlone(caller, {
      action,
      entityType: claim ? 'claim' : 'process-instance',
      entityId: claim ? claim.id : processInstanceKey,
      details: { processInstanceKey, claimId: claim?.id ?? null, claimReference: claim?.reference ?? null, ...details },
    });
  }
}

/** Whether the BPMN XML has an element with this id (ids are plain names, checked by the input's pattern). */
function hasElement(xml: string, elementId: string): boolean {
  return xml.includes(`id="${elementId}"`);
}
