import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { readDmn } from '@claims/engine/src/model/read-dmn';
import { readBpmn } from '@claims/engine/src/model/read-bpmn';
import { type ExecutableDecisionGraph } from '@claims/engine/src/model/decision-model';
import { type ExecutableProcess } from '@claims/engine/src/model/process-model';
import { DataSource, IsNull, Not } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Claim } from '../claims/claim.entity';
import { CLAIM_PROCESS_ID, CLAIM_SUBMITTED_MESSAGE } from '../claims/process-starter';
import { type Principal } from '../auth/principal';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { PublishedForms } from '../forms/published-forms';
import { checkDecisionVariables } from './decision-variable-check';
import { checkDmn, checkForm, lintBpmn, type ModelProblem } from './model-lint';
import { decisionCallers, workerDecisionCallers, type DecisionCaller } from './process-variables';
import { divergence, replayRoute, type DecisionEvaluator } from './process-route';
import { candidateOutcome, decisionInputsOfClaim, shadowRunId, type ChangedOutcome, type DecisionShadowRun, type ProcessShadowRun, type RouteChange, type ShadowRunResult } from './shadow-run';

/** What an analyst accepts when a deployment changes decisions' outcomes. */
export interface OutcomeAcceptance {
  readonly acceptChangedOutcomes?: boolean;
  readonly shadowRunId?: string;
}

export const SHADOW_RUN_DEFAULT_CLAIMS = 50;

export interface ModelFile {
  readonly originalname: string;
  readonly buffer: Buffer;
  readonly size: number;
}

const KINDS: Record<string, (resource: string, text: string) => Promise<ModelProblem[]> | ModelProblem[]> = {
  '.bpmn': lintBpmn,
  '.dmn': checkDmn,
  '.form': checkForm,
};

/** Analysts' deployments: every resource linted first, then all deployed together or none. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly engine: EngineClient,
    private readonly audit: AuditLog,
    private readonly dataSource: DataSource,
    private readonly forms: PublishedForms,
  ) {}

  async lint(files: readonly ModelFile[]): Promise<ModelProblem[]> {
    if (files.length === 0) throw Problem.invalidField('resources', 'must contain at least one .bpmn, .dmn or .form file');
    const problems: ModelProblem[] = [];
    for (const file of files) {
      const name = file.originalname;
      if (/[/\\]/.test(name) || name.length > 200) throw Problem.invalidField('resources', `file name "${name.slice(0, 60)}" is not a plain file name`);
      const check = KINDS[path.extname(name).toLowerCase()];
      if (!check) throw Problem.invalidField('resources', `"${name}" is not a .bpmn, .dmn or .form file`);
      const text = file.buffer.toString('utf8');
      if (text.includes('\uFFFD')) {
        problems.push({ resource: name, elementId: null, rule: 'encoding', message: 'The file is not UTF-8 text.', severity: 'error' });
        continue;
      }
      problems.push(...(await check(name, text)));
    }
    const decisions = files.filter((f) => path.extname(f.originalname).toLowerCase() === '.dmn');
    if (decisions.length > 0) {
      const callers = await this.decisionCallers(files);
      for (const file of decisions) problems.push(...(await checkDecisionVariables(file.originalname, file.buffer.toString('utf8'), callers)));
    }
    return problems;
  }

  /**
   * Who calls each decision and with which variables: the uploaded diagrams,
   * and the newest deployed version of every other process (a decision
   * table is often deployed alone), plus the decisions workers evaluate.
   */
  private async decisionCallers(files: readonly ModelFile[]): Promise<Map<string, DecisionCaller[]>> {
    const uploaded = new Map<string, DecisionCaller[]>();
    for (const file of files.filter((f) => path.extname(f.originalname).toLowerCase() === '.bpmn')) {
      for (const [decisionId, callers] of await decisionCallers(file.buffer.toString('utf8'))) uploaded.set(decisionId, [...(uploaded.get(decisionId) ?? []), ...callers]);
    }
    const uploadedProcesses = new Set([...uploaded.values()].flat().map((c) => c.processId));
    const all = workerDecisionCallers();
    const add = (found: Map<string, DecisionCaller[]>) => {
      for (const [decisionId, callers] of found) all.set(decisionId, [...(all.get(decisionId) ?? []), ...callers]);
    };
    add(uploaded);
    for (const xml of await this.latestDeployedProcessXml()) {
      const deployed = await decisionCallers(xml);
      for (const [decisionId, callers] of deployed) deployed.set(decisionId, callers.filter((c) => !uploadedProcesses.has(c.processId)));
      add(deployed);
    }
    return all;
  }

  private async latestDeployedProcessXml(): Promise<string[]> {
    const { items } = await this.processVersions();
    const newest = new Map<string, string>();
    for (const item of items as { processDefinitionId: string; processDefinitionKey: string }[]) if (!newest.has(item.processDefinitionId)) newest.set(item.processDefinitionId, String(item.processDefinitionKey));
    try {
      return await Promise.all([...newest.values()].map((key) => this.engine.getProcessDefinitionXML(key)));
    } catch (error) {
      throw engineProblem(error, 'Reading the deployed processes failed');
    }
  }

  /**
   * What the candidate decisions would have decided on the most recent
   * claims that reached a decision, against the deployed versions: the
   * deployed one evaluated by the engine (POST /v2/decision-definitions/evaluation,
   * as on Camunda 8), the candidate locally with the engine's own DMN
   * evaluator, because testing must not deploy it.
   */
  async shadowRun(files: readonly ModelFile[], claims = SHADOW_RUN_DEFAULT_CLAIMS): Promise<ShadowRunResult> {
    const candidates = files.filter((f) => path.extname(f.originalname).toLowerCase() === '.dmn');
    const diagrams = files.filter((f) => path.extname(f.originalname).toLowerCase() === '.bpmn');
    if (candidates.length === 0 && diagrams.length === 0) {
      if (files.length === 0) throw Problem.invalidField('resources', 'must contain at least one .dmn or .bpmn file');
      return { shadowRunId: shadowRunId([], []), claimsCompared: 0, changedCount: 0, decisions: [], processes: [] };
    }
    const recent = await this.dataSource.getRepository(Claim).find({ where: { fraudScore: Not(IsNull()) }, relations: { items: true }, order: { submittedAt: 'DESC' }, take: claims });
    const graphs = new Map<string, ExecutableDecisionGraph>();
    for (const file of candidates) {
      const read = await readDmn(file.buffer.toString('utf8'));
      if (!read.ok) throw Problem.unprocessable(`"${file.originalname}" cannot be evaluated.`, read.problems.map((p) => ({ name: p.elementId ? `${file.originalname}#${p.elementId}` : file.originalname, reason: p.message })));
      for (const id of read.graph.decisions.keys()) graphs.set(id, read.graph);
    }
    const decisions = candidates.length > 0 ? await this.decisionShadowRuns(graphs, files, recent) : [];
    const processes: ProcessShadowRun[] = [];
    for (const file of diagrams) processes.push(...(await this.processShadowRuns(file, graphs, recent)));
    const resources = [...candidates, ...diagrams].map((f) => ({ name: f.originalname, text: f.buffer.toString('utf8') }));
    const changedClaims = new Set([...decisions.flatMap((d) => d.changed.map((c) => c.claimId)), ...processes.flatMap((p) => p.changed.map((c) => c.claimId))]);
    return { shadowRunId: shadowRunId(resources, decisions, processes), claimsCompared: recent.length, changedCount: changedClaims.size, decisions, processes };
  }

  /** Each candidate decision the claim process calls, on each recent claim, against its deployed version. */
  private async decisionShadowRuns(graphs: ReadonlyMap<string, ExecutableDecisionGraph>, files: readonly ModelFile[], recent: readonly Claim[]): Promise<DecisionShadowRun[]> {
    const callers = await this.decisionCallers(files);
    const decisions: DecisionShadowRun[] = [];
    for (const graph of new Set(graphs.values())) {
      for (const decision of graph.decisions.values()) {
        if (!(callers.get(decision.id) ?? []).some((c) => c.processId === CLAIM_PROCESS_ID)) continue;
        const deployed = await this.deployedDecision(decision.id);
        const changed: ChangedOutcome[] = [];
        for (const claim of recent) {
          const variables = decisionInputsOfClaim(claim);
          const after = candidateOutcome(graph, decision.id, variables);
          const before = deployed ? await this.deployedOutcome(deployed.key, variables) : 'not deployed';
          if (before !== after) changed.push({ claimId: claim.id, claimReference: claim.reference, decisionId: decision.id, before, after });
        }
        decisions.push({ decisionId: decision.id, decisionName: decision.name, deployedVersion: deployed?.version ?? null, deployedKey: deployed?.key ?? null, claimsCompared: recent.length, changed });
      }
    }
    return decisions;
  }

  /**
   * A candidate claim process version replayed on each recent claim against
   * the deployed version (process-route.ts): the route each takes as far as
   * the claim's variables decide it. The candidate calls the decisions
   * uploaded with it, else the deployed ones, as it would once deployed;
   * the deployed version calls the deployed decisions, evaluated by the engine.
   */
  private async processShadowRuns(file: ModelFile, graphs: ReadonlyMap<string, ExecutableDecisionGraph>, recent: readonly Claim[]): Promise<ProcessShadowRun[]> {
    const read = await readBpmn(file.buffer.toString('utf8'));
    if (!read.ok) throw Problem.unprocessable(`"${file.originalname}" cannot be replayed.`, read.problems.map((p) => ({ name: p.elementId ? `${file.originalname}#${p.elementId}` : file.originalname, reason: p.message })));
    const candidate = read.processes.find((p) => p.bpmnProcessId === CLAIM_PROCESS_ID);
    if (!candidate) return [];
    const deployedVersion = ((await this.processVersions(CLAIM_PROCESS_ID)).items as { processDefinitionKey: string; version: number }[])[0];
    let deployed: ExecutableProcess | undefined;
    if (deployedVersion) {
      const xml = await this.processXml(String(deployedVersion.processDefinitionKey));
      const parsed = await readBpmn(xml.xml);
      deployed = parsed.ok ? parsed.processes.find((p) => p.bpmnProcessId === CLAIM_PROCESS_ID) : undefined;
    }
    const deployedKeys = new Map<string, Promise<{ key: string; version: number } | null>>();
    const deployedDecide: DecisionEvaluator = async (decisionId, variables) => {
      if (!deployedKeys.has(decisionId)) deployedKeys.set(decisionId, this.deployedDecision(decisionId));
      const found = await deployedKeys.get(decisionId)!;
      if (!found) return { ok: false, message: `no decision ${decisionId} is deployed` };
      return outcomeValue(await this.deployedOutcome(found.key, variables));
    };
    const candidateDecide: DecisionEvaluator = async (decisionId, variables) => {
      const graph = graphs.get(decisionId);
      return graph ? outcomeValue(candidateOutcome(graph, decisionId, variables)) : deployedDecide(decisionId, variables);
    };
    const changed: RouteChange[] = [];
    for (const claim of recent) {
      const variables = decisionInputsOfClaim(claim);
      const after = await replayRoute(candidate, CLAIM_SUBMITTED_MESSAGE, variables, candidateDecide);
      const before = deployed ? await replayRoute(deployed, CLAIM_SUBMITTED_MESSAGE, variables, deployedDecide) : undefined;
      const at = before ? divergence(before, after) : 0;
      if (at < 0) continue;
      const where = (after[at] ?? before?.[at])!;
      const element = candidate.elements.get(where.elementId) ?? deployed?.elements.get(where.elementId);
      changed.push({
        claimId: claim.id,
        claimReference: claim.reference,
        divergesAt: where.elementId,
        divergesAtName: element?.name?.trim() || where.elementId,
        before: before ? before.slice(at).map((s) => s.label) : ['not deployed'],
        after: after.slice(at).map((s) => s.label),
      });
    }
    return [{ processId: CLAIM_PROCESS_ID, processName: candidate.name ?? CLAIM_PROCESS_ID, deployedVersion: deployedVersion?.version ?? null, deployedKey: deployedVersion ? String(deployedVersion.processDefinitionKey) : null, claimsCompared: recent.length, changed }];
  }

  private async deployedDecision(decisionId: string): Promise<{ key: string; version: number } | null> {
    try {
      const found = await this.engine.call<{ items: { decisionDefinitionKey: string; version: number }[] }>('POST', '/v2/decision-definitions/search', { filter: { decisionDefinitionId: decisionId }, sort: [{ field: 'version', order: 'DESC' }], page: { from: 0, limit: 1 } });
      const newest = found.items[0];
      return newest ? { key: String(newest.decisionDefinitionKey), version: newest.version } : null;
    } catch (error) {
      throw engineProblem(error, `Reading the deployed decision ${decisionId} failed`);
    }
  }

  private async deployedOutcome(decisionDefinitionKey: string, variables: Record<string, unknown>): Promise<string> {
    try {
      const answer = await this.engine.call<{ output: string; failureMessage?: string }>('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionKey, variables });
      if (answer.failureMessage) return `failed: ${answer.failureMessage}`;
      return JSON.stringify(JSON.parse(answer.output === '' ? 'null' : answer.output));
    } catch (error) {
      const message = (error as { message?: string }).message ?? String(error);
      return `failed: ${message}`;
    }
  }

  async deploy(principal: Principal, files: readonly ModelFile[], acceptance: OutcomeAcceptance = {}) {
    const problems = await this.lint(files);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw Problem.unprocessable(
        `Nothing was deployed: ${errors.length} problem${errors.length === 1 ? '' : 's'} must be fixed first.`,
        errors.map((p) => ({ name: p.elementId ? `${p.resource}#${p.elementId}` : p.resource, reason: `${p.elementName ? `${p.elementName}: ` : ''}${p.message} (${p.rule})` })),
      );
    }
    // Changed outcomes go live only when someone accepted this very shadow run.
    const shadow = await this.shadowRun(files);
    if (shadow.changedCount > 0) {
      if (acceptance.acceptChangedOutcomes !== true) {
        throw Problem.unprocessable(`Nothing was deployed: the new version changes the outcome of ${shadow.changedCount} of the ${shadow.claimsCompared} most recent claims. Review the shadow run, then deploy with acceptChangedOutcomes true and its shadowRunId.`, [
          { name: 'acceptChangedOutcomes', reason: `must be true to accept shadow run ${shadow.shadowRunId}` },
        ]);
      }
      if (acceptance.shadowRunId !== shadow.shadowRunId) {
        throw Problem.unprocessable('Nothing was deployed: the outcomes accepted are not those this version changes now (the version or the recent claims changed). Run the shadow run again.', [
          { name: 'shadowRunId', reason: `must name the current shadow run ${shadow.shadowRunId}` },
        ]);
      }
    }
    let deployment: Awaited<ReturnType<EngineClient['deployResources']>>;
    try {
      deployment = await this.engine.deployResources(files.map((f) => ({ name: f.originalname, content: f.buffer.toString('utf8') })));
    } catch (error) {
      throw engineProblem(error, 'The engine refused the deployment');
    }
    // The portal serves some forms itself (Camunda returns a form only through a user task or a none start event).
    const published = await this.forms.publish(
      files.filter((f) => f.originalname.endsWith('.form')).map((f) => ({ name: f.originalname, content: f.buffer.toString('utf8') })),
      'deployment',
      principal.username,
    );
    await this.audit.recordAlone(principal, { action: 'deployment.created', entityType: 'deployment', entityId: String(deployment.deploymentKey), details: { resources: files.map((f) => f.originalname), ...(published.length > 0 ? { publishedForms: published } : {}), ...(shadow.changedCount > 0 ? { acceptedChangedOutcomes: acceptedSummary(shadow) } : {}) } });
    return { deployment, shadowRun: shadow, warnings: problems.filter((p) => p.severity === 'warning') };
  }

  async processVersions(processDefinitionId?: string) {
    const found = await this.engine.searchProcessDefinitions({
      filter: processDefinitionId ? ({ processDefinitionId } as never) : undefined,
      sort: [{ field: 'version', order: 'DESC' }],
      page: { from: 0, limit: 200 } as never,
    } as never);
    return { items: found.items };
  }

  publishedForms() {
    return this.forms.newestOfEach();
  }

  async latestPublishedForm(formId: string) {
    const form = await this.forms.latest(formId);
    if (!form) throw Problem.notFound('form', formId);
    return { schema: form.schema, formId: form.formId, version: form.version, source: form.source, publishedBy: form.publishedBy, publishedAt: form.publishedAt };
  }

  async decisionVersions() {
    const found = await this.engine.call<{ items: unknown[] }>('POST', '/v2/decision-definitions/search', { sort: [{ field: 'version', order: 'DESC' }], page: { from: 0, limit: 200 } });
    return { items: found.items };
  }

  async processXml(key: string) {
    try {
      const xml = await this.engine.getProcessDefinitionXML(key);
      return { xml, fileName: `process-${key}.bpmn` };
    } catch (error) {
      throw engineProblem(error, `Process definition ${key}`);
    }
  }

  async decisionXml(key: string) {
    try {
      const xml = await this.engine.call<string>('GET', `/v2/decision-requirements/${key}/xml`);
      return { xml, fileName: `decisions-${key}.dmn` };
    } catch (error) {
      throw engineProblem(error, `Decision requirements ${key}`);
    }
  }
}

/** What the audit log keeps of accepted changes: who accepted is the entry's actor. */
function acceptedSummary(shadow: ShadowRunResult) {
  const routeChanges = shadow.processes.flatMap((p) => p.changed.map((c) => ({ processId: p.processId, claimReference: c.claimReference, divergesAt: c.divergesAt, before: c.before.join(' → '), after: c.after.join(' → ') })));
  return {
    shadowRunId: shadow.shadowRunId,
    claimsCompared: shadow.claimsCompared,
    changedCount: shadow.changedCount,
    changes: shadow.decisions.flatMap((d) => d.changed.map((c) => ({ decisionId: d.decisionId, claimReference: c.claimReference, before: c.before, after: c.after }))),
    ...(routeChanges.length > 0 ? { routeChanges } : {}),
  };
}

/** A decision's output (JSON, or "failed: …" as candidateOutcome and deployedOutcome give it) as a value the route replay sets. */
function outcomeValue(outcome: string): { ok: true; value: unknown } | { ok: false; message: string } {
  return outcome.startsWith('failed: ') || outcome === 'not deployed' ? { ok: false, message: outcome.replace(/^failed: /, '') } : { ok: true, value: JSON.parse(outcome) as unknown };
}
