import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '../auth/auth.guard';
import { type Principal, ROLES } from '../auth/principal';
import { BatchInput, IncidentListQuery, InstanceListQuery, MigrateInput, ModifyInput, RetryInput } from './operations.dto';
import { OperationsActions } from './operations-actions';
import { OperationsReads } from './operations-reads';

/** Who runs the processes: the operations role and admins. Process variables are visible to them, as to Operate's users. */
export const OPERATIONS_ROLES = [ROLES.operations, ROLES.admin];

@ApiTags('operations')
@ApiBearerAuth()
@Controller('operations')
@Roles(...OPERATIONS_ROLES)
export class OperationsController {
  constructor(
    private readonly reads: OperationsReads,
    private readonly actions: OperationsActions,
  ) {}

  @Get('process-definitions')
  @ApiOperation({ summary: 'Every deployed version of every process: the filters of the list, the targets of a migration.' })
  processVersions() {
    return this.reads.processVersions();
  }

  @Get('process-instances')
  @ApiOperation({ summary: 'Process instances by process, version, state and incident; newest first, paged; each with its claim.' })
  instances(@Query() query: InstanceListQuery) {
    return this.reads.instances(query);
  }

  @Get('process-instances/:processInstanceKey')
  @ApiOperation({ summary: 'One instance: BPMN XML, counts per element, taken flows, variables, incidents with the job\'s last error and retries left, history, claim.' })
  instance(@Param('processInstanceKey') processInstanceKey: string) {
    return this.reads.instance(processInstanceKey);
  }

  @Get('incidents')
  @ApiOperation({ summary: 'Open incidents, oldest first: the message, the job\'s last error and retries left, the claim.' })
  incidents(@Query() query: IncidentListQuery) {
    return this.reads.incidents(query);
  }

  @Post('incidents/:incidentKey/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry: the job\'s retries raised and the incident resolved; answers once the job ran again (completed, or failed again with its new error), or after the wait.' })
  retry(@Caller() caller: Principal, @Param('incidentKey') incidentKey: string, @Body() input: RetryInput) {
    return this.actions.retry(caller, incidentKey, input);
  }

  @Post('process-instances/:processInstanceKey/cancellation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an active instance.' })
  cancel(@Caller() caller: Principal, @Param('processInstanceKey') processInstanceKey: string) {
    return this.actions.cancel(caller, processInstanceKey);
  }

  @Post('process-instances/:processInstanceKey/modification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the tokens at one element to another.' })
  modify(@Caller() caller: Principal, @Param('processInstanceKey') processInstanceKey: string, @Body() input: ModifyInput) {
    return this.actions.modify(caller, processInstanceKey, input);
  }

  @Post('process-instances/:processInstanceKey/migration')
  @HttpCode(200)
  @ApiOperation({ summary: 'Migrate an active instance to another process version (each element to the one of the same id unless mapped).' })
  migrate(@Caller() caller: Principal, @Param('processInstanceKey') processInstanceKey: string, @Body() input: MigrateInput) {
    return this.actions.migrate(caller, processInstanceKey, input);
  }

  @Post('batches')
  @ApiOperation({ summary: 'Retry, cancel, move or migrate every instance matching a filter, as an engine batch operation; answers its key.' })
  batch(@Caller() caller: Principal, @Body() input: BatchInput) {
    return this.actions.batch(caller, input);
  }

  @Get('batches/:batchOperationKey')
  @ApiOperation({ summary: 'A batch\'s progress: state, total, completed, failed and why.' })
  batchProgress(@Param('batchOperationKey') batchOperationKey: string) {
    return this.actions.batchProgress(batchOperationKey);
  }
}
