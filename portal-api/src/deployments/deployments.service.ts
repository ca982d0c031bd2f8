import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { checkDmn, checkForm, lintBpmn, type ModelProblem } from './model-lint';

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
    return problems;
  }

  async deploy(principal: Principal, files: readonly ModelFile[]) {
    const problems = await this.lint(files);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw Problem.unprocessable(
        `Nothing was deployed: ${errors.length} problem${errors.length === 1 ? '' : 's'} must be fixed first.`,
        errors.map((p) => ({ name: p.elementId ? `${p.resource}#${p.elementId}` : p.resource, reason: `${p.message} (${p.rule})` })),
      );
    }
    let deployment: Awaited<ReturnType<EngineClient['deployResources']>>;
    try {
      deployment = await this.engine.deployResources(files.map((f) => ({ name: f.originalname, content: f.buffer.toString('utf8') })));
    } catch (error) {
      throw engineProblem(error, 'The engine refused the deployment');
    }
    await this.audit.recordAlone(principal, { action: 'deployment.created', entityType: 'deployment', entityId: String(deployment.deploymentKey), details: { resources: files.map((f) => f.originalname) } });
    return { deployment, warnings: problems.filter((p) => p.severity === 'warning') };
  }

  async processVersions(processDefinitionId?: string) {
    const found = await this.engine.searchProcessDefinitions({
      filter: processDefinitionId ? ({ processDefinitionId } as never) : undefined,
      sort: [{ field: 'version', order: 'DESC' }],
      page: { from: 0, limit: 200 } as never,
    } as never);
    return { items: found.items };
  }

  async latestStartForm(processDefinitionId: string): Promise<unknown> {
    let schema: unknown;
    try {
      schema = await this.engine.latestStartFormSchema(processDefinitionId);
    } catch (error) {
      throw engineProblem(error, 'Reading the start form failed');
    }
    if (!schema) throw Problem.notFound('start form of process', processDefinitionId);
    return schema;
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
