import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { DeploymentsService, SHADOW_RUN_DEFAULT_CLAIMS, type ModelFile, type OutcomeAcceptance } from './deployments.service';

/** Multipart fields arrive as text: `acceptChangedOutcomes` is "true" or "false", `shadowRunId` the id a shadow run answered. */
function acceptanceOf(body: Record<string, unknown> | undefined): OutcomeAcceptance {
  const accept = body?.acceptChangedOutcomes;
  const id = body?.shadowRunId;
  if (accept !== undefined && accept !== 'true' && accept !== 'false' && typeof accept !== 'boolean') throw Problem.invalidField('acceptChangedOutcomes', 'must be true or false');
  if (id !== undefined && (typeof id !== 'string' || !/^shadow-[0-9a-f]{32}$/.test(id))) throw Problem.invalidField('shadowRunId', 'must be the shadowRunId a shadow run answered');
  return { acceptChangedOutcomes: accept === true || accept === 'true', shadowRunId: id };
}

function claimCountOf(body: Record<string, unknown> | undefined): number {
  const raw = body?.claims;
  if (raw === undefined || raw === '') return SHADOW_RUN_DEFAULT_CLAIMS;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 500) throw Problem.invalidField('claims', 'must be a whole number from 1 to 500');
  return count;
}

@ApiTags('deployments')
@ApiBearerAuth()
@Controller('deployments')
@Roles(ROLES.analyst, ROLES.admin)
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Post()
  @UseInterceptors(FilesInterceptor('resources', 20))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        resources: { type: 'array', items: { type: 'string', format: 'binary' }, description: '.bpmn, .dmn and .form files' },
        acceptChangedOutcomes: { type: 'boolean', description: 'Needed when the shadow run finds changed outcomes: the caller accepts them (recorded in the audit log).' },
        shadowRunId: { type: 'string', description: 'The shadow run whose changes are accepted.' },
      },
    },
  })
  @ApiOperation({ summary: 'Lint, shadow-run, then deploy BPMN diagrams, DMN decisions and forms. Refused with every problem listed, or when decisions change outcomes of recent claims unless accepted.' })
  deploy(@Caller() caller: Principal, @UploadedFiles() files: ModelFile[] | undefined, @Body() body: Record<string, unknown> | undefined) {
    const acceptance = acceptanceOf(body);
    return this.deployments.deploy(caller, files ?? [], acceptance);
  }

  @Post('shadow-run')
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('resources', 20))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { resources: { type: 'array', items: { type: 'string', format: 'binary' } }, claims: { type: 'integer', minimum: 1, maximum: 500, default: SHADOW_RUN_DEFAULT_CLAIMS } } } })
  @ApiOperation({ summary: 'What the candidate decisions would have decided on the most recent claims, against the deployed versions: how many change, and which. Deploys nothing.' })
  shadowRun(@UploadedFiles() files: ModelFile[] | undefined, @Body() body: Record<string, unknown> | undefined) {
    const claims = claimCountOf(body);
    return this.deployments.shadowRun(files ?? [], claims);
  }

  @Post('lint')
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('resources', 20))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Lint without deploying.' })
  async lint(@UploadedFiles() files: ModelFile[] | undefined) {
    return { problems: await this.deployments.lint(files ?? []) };
  }

  @Get('processes')
  @ApiOperation({ summary: 'Deployed process versions, newest first.' })
  @ApiQuery({ name: 'processDefinitionId', required: false })
  processes(@Query('processDefinitionId') processDefinitionId?: string) {
    return this.deployments.processVersions(processDefinitionId);
  }

  @Get('forms')
  @ApiOperation({ summary: 'Every form deployed (task forms and the request form), newest version of each: what the form editor opens.' })
  async forms() {
    return { items: await this.deployments.publishedForms() };
  }

  @Get('forms/:formId/latest')
  @ApiOperation({ summary: 'The newest published version of a form the portal serves itself (the extranet request form), for the form editor.' })
  async latestForm(@Param('formId') formId: string) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(formId)) throw Problem.invalidField('formId', 'must be a form id (letters, digits, dot, dash, underscore)');
    return this.deployments.latestPublishedForm(formId);
  }

  @Get('decisions')
  @ApiOperation({ summary: 'Deployed decision versions, newest first.' })
  decisions() {
    return this.deployments.decisionVersions();
  }

  @Get('processes/:processDefinitionKey/xml')
  @ApiOperation({ summary: 'Download one process version as BPMN XML.' })
  async processXml(@Param('processDefinitionKey') key: string, @Res({ passthrough: true }) res: Response) {
    if (!/^\d{1,19}$/.test(key)) throw Problem.notFound('process definition', key);
    const { xml, fileName } = await this.deployments.processXml(key);
    res.set({ 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"` });
    return xml;
  }

  @Get('decisions/:decisionRequirementsKey/xml')
  @ApiOperation({ summary: 'Download one decision requirements version as DMN XML.' })
  async decisionXml(@Param('decisionRequirementsKey') key: string, @Res({ passthrough: true }) res: Response) {
    if (!/^\d{1,19}$/.test(key)) throw Problem.notFound('decision requirements', key);
    const { xml, fileName } = await this.deployments.decisionXml(key);
    res.set({ 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"` });
    return xml;
  }
}
