import { Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { DeploymentsService, type ModelFile } from './deployments.service';

@ApiTags('deployments')
@ApiBearerAuth()
@Controller('deployments')
@Roles(ROLES.analyst, ROLES.admin)
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Post()
  @UseInterceptors(FilesInterceptor('resources', 20))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { resources: { type: 'array', items: { type: 'string', format: 'binary' }, description: '.bpmn, .dmn and .form files' } } } })
  @ApiOperation({ summary: 'Lint, then deploy BPMN diagrams, DMN decisions and forms. Refused with every problem listed.' })
  deploy(@Caller() caller: Principal, @UploadedFiles() files: ModelFile[] | undefined) {
    return this.deployments.deploy(caller, files ?? []);
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

  @Get('processes/latest/:processDefinitionId/start-form')
  @ApiOperation({ summary: 'The start form (form-js schema) of the newest version of a process, for the form editor.' })
  async startForm(@Param('processDefinitionId') processDefinitionId: string) {
    return { schema: await this.deployments.latestStartForm(processDefinitionId) };
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
