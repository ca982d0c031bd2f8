import { Injectable } from '@nestjs/common';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { ClaimLinks } from './claim-links';
import { type ElementInstanceWire, type ElementStatisticsWire, type IncidentWire, type JobWire, type ProcessDefinitionWire, type ProcessInstanceWire, type SearchPage, type VariableWire } from './engine-wire';
import { type IncidentListQuery, type InstanceFilter, type InstanceListQuery, KEY_PATTERN } from './operations.dto';

/** Elements of one instance listed in its history; a claim's process has a few dozen. */
const HISTORY_LIMIT = 500;
const VARIABLE_LIMIT = 200;
/** A variable value longer than this is cut in the view (the engine keeps it whole). */
const VARIABLE_VALUE_LIMIT = 2_000;

/** An incident as the operations view shows it: the engine's message, and the job's last error and retries left. */
export interface IncidentView {
  readonly incidentKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionId: string;
  readonly elementId: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly creationTime?: string;
  readonly job: { jobKey: string; type: string; state: string; retries: number; errorMessage: string | null; worker: string | null } | null;
  readonly claim: { id: string; reference: string } | null;
}

/** The engine filter (Camunda v2 process-instance search) for the view's filter. */
export function engineInstanceFilter(filter: InstanceFilter): Record<string, unknown> {
  return {
    ...(filter.processDefinitionId ? { processDefinitionId: filter.processDefinitionId } : {}),
    ...(filter.version ? { processDefinitionVersion: filter.version } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.hasIncident === undefined ? {} : { hasIncident: filter.hasIncident }),
  };
}

export function checkKey(value: string, name: string): string {
  if (!KEY_PATTERN.test(value)) throw Problem.invalidField(name, 'must be a key (digits)');
  return value;
}

/**
 * What operations staff read, all asked of the engine over Camunda 8's v2
 * REST API (the same calls work against a Camunda 8 cluster): instances,
 * one instance in full, incidents, process versions.
 */
@Injectable()
export class OperationsReads {
  constructor(
    private readonly engine: EngineClient,
    private readonly claims: ClaimLinks,
  ) {}

  async instances(query: InstanceListQuery) {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 25;
    const found = await this.ask('Process instances', () =>
      this.engine.call<SearchPage<ProcessInstanceWire>>('POST', '/v2/process-instances/search', { filter: engineInstanceFilter(query), sort: [{ field: 'startDate', order: 'DESC' }], page: { from: offset, limit } }),
    );
    const claims = await this.claims.byInstance(found.items.map((i) => String(i.processInstanceKey)));
    return {
      items: found.items.map((instance) => ({ ...instanceSummary(instance), claim: claims.get(String(instance.processInstanceKey)) ?? null })),
      total: found.page.totalItems,
      offset,
      limit,
    };
  }

  /** One instance: its diagram, counts per element, taken flows, variables, incidents with their jobs, history, and its claim. */
  async instance(processInstanceKey: string) {
    checkKey(processInstanceKey, 'processInstanceKey');
    const what = `Process instance ${processInstanceKey}`;
    const instance = await this.ask(what, () => this.engine.call<ProcessInstanceWire>('GET', `/v2/process-instances/${processInstanceKey}`));
    const [xml, statistics, flows, variables, incidents, history, claim] = await Promise.all([
      this.ask(what, () => this.engine.call<string>('GET', `/v2/process-definitions/${instance.processDefinitionKey}/xml`)),
      this.ask(what, () => this.engine.call<{ items: ElementStatisticsWire[] }>('GET', `/v2/process-instances/${processInstanceKey}/statistics/element-instances`)),
      this.ask(what, () => this.engine.call<{ items: { sequenceFlowId: string }[] }>('GET', `/v2/process-instances/${processInstanceKey}/sequence-flows`)),
      this.ask(what, () => this.engine.call<SearchPage<VariableWire>>('POST', '/v2/variables/search', { filter: { processInstanceKey }, page: { from: 0, limit: VARIABLE_LIMIT } })),
      this.incidentsOf({ processInstanceKey }),
      this.ask(what, () => this.engine.call<SearchPage<ElementInstanceWire>>('POST', '/v2/element-instances/search', { filter: { processInstanceKey }, sort: [{ field: 'startDate', order: 'ASC' }], page: { from: 0, limit: HISTORY_LIMIT } })),
      this.claims.ofInstance(processInstanceKey),
    ]);
    return {
      instance: instanceSummary(instance),
      claim,
      xml,
      statistics: statistics.items,
      takenFlows: flows.items.map((flow) => flow.sequenceFlowId),
      variables: variables.items.map((v) => ({
        name: v.name,
        scopeKey: String(v.scopeKey),
        value: v.value.length > VARIABLE_VALUE_LIMIT ? v.value.slice(0, VARIABLE_VALUE_LIMIT) : v.value,
        truncated: Boolean(v.isTruncated) || v.value.length > VARIABLE_VALUE_LIMIT,
      })),
      incidents,
      history: history.items
        .filter((element) => element.type !== 'PROCESS')
        .map((element) => ({
          elementInstanceKey: String(element.elementInstanceKey),
          elementId: element.elementId,
          elementName: element.elementName ?? element.elementId,
          type: element.type,
          state: element.state,
          hasIncident: element.hasIncident,
          startDate: element.startDate ?? null,
          endDate: element.endDate ?? null,
        })),
    };
  }

  /** Open incidents, oldest first, each with its job and claim. */
  async incidents(query: IncidentListQuery) {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 25;
    const filter = { state: 'ACTIVE', ...(query.processDefinitionId ? { processDefinitionId: query.processDefinitionId } : {}) };
    const found = await this.ask('Incidents', () =>
      this.engine.call<SearchPage<IncidentWire>>('POST', '/v2/incidents/search', { filter, sort: [{ field: 'creationTime', order: 'ASC' }], page: { from: offset, limit } }),
    );
    return { items: await this.withJobsAndClaims(found.items), total: found.page.totalItems, offset, limit };
  }

  /** The open incidents of one instance, with their jobs. */
  async incidentsOf(filter: { processInstanceKey: string }): Promise<IncidentView[]> {
    const found = await this.ask('Incidents', () =>
      this.engine.call<SearchPage<IncidentWire>>('POST', '/v2/incidents/search', { filter: { ...filter, state: 'ACTIVE' }, page: { from: 0, limit: 100 } }),
    );
    return this.withJobsAndClaims(found.items);
  }

  async incident(incidentKey: string): Promise<IncidentWire> {
    checkKey(incidentKey, 'incidentKey');
    return this.ask(`Incident ${incidentKey}`, () => this.engine.call<IncidentWire>('GET', `/v2/incidents/${incidentKey}`));
  }

  async job(jobKey: string): Promise<JobWire | undefined> {
    const found = await this.ask(`Job ${jobKey}`, () => this.engine.call<SearchPage<JobWire>>('POST', '/v2/jobs/search', { filter: { jobKey }, page: { from: 0, limit: 1 } }));
    return found.items[0];
  }

  /** Every deployed version of every process, newest first: the list's filter and the targets of a migration. */
  async processVersions() {
    const found = await this.ask('Process definitions', () =>
      this.engine.call<SearchPage<ProcessDefinitionWire>>('POST', '/v2/process-definitions/search', { sort: [{ field: 'processDefinitionId', order: 'ASC' }, { field: 'version', order: 'DESC' }], page: { from: 0, limit: 500 } }),
    );
    return {
      items: found.items.map((d) => ({ processDefinitionKey: String(d.processDefinitionKey), processDefinitionId: d.processDefinitionId, name: d.name ?? d.processDefinitionId, version: d.version })),
    };
  }

  private async withJobsAndClaims(incidents: readonly IncidentWire[]): Promise<IncidentView[]> {
    const jobKeys = incidents.map((i) => i.jobKey).filter((k): k is string => Boolean(k)).map(String);
    const jobs = jobKeys.length
      ? (await this.ask('Jobs', () => this.engine.call<SearchPage<JobWire>>('POST', '/v2/jobs/search', { filter: { jobKey: { $in: jobKeys } }, page: { from: 0, limit: jobKeys.length } }))).items
      : [];
    const byKey = new Map(jobs.map((job) => [String(job.jobKey), job]));
    const claims = await this.claims.byInstance([...new Set(incidents.map((i) => String(i.processInstanceKey)))]);
    return incidents.map((incident) => {
      const job = incident.jobKey ? byKey.get(String(incident.jobKey)) : undefined;
      const claim = claims.get(String(incident.processInstanceKey));
      return {
        incidentKey: String(incident.incidentKey),
        processInstanceKey: String(incident.processInstanceKey),
        processDefinitionId: incident.processDefinitionId,
        elementId: incident.elementId,
        errorType: incident.errorType,
        errorMessage: incident.errorMessage,
        creationTime: incident.creationTime,
        job: job ? { jobKey: String(job.jobKey), type: job.type, state: job.state, retries: job.retries, errorMessage: job.errorMessage ?? null, worker: job.worker || null } : null,
        claim: claim ? { id: claim.id, reference: claim.reference } : null,
      };
    });
  }

  /** Runs an engine call; a refusal or an engine away becomes a problem answer naming what was asked. */
  async ask<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw engineProblem(error, what);
    }
  }
}

function instanceSummary(instance: ProcessInstanceWire) {
  return {
    processInstanceKey: String(instance.processInstanceKey),
    processDefinitionKey: String(instance.processDefinitionKey),
    processDefinitionId: instance.processDefinitionId,
    processName: instance.processDefinitionName ?? instance.processDefinitionId,
    version: instance.processDefinitionVersion,
    state: instance.state,
    hasIncident: instance.hasIncident,
    startDate: instance.startDate ?? null,
    endDate: instance.endDate ?? null,
  };
}
