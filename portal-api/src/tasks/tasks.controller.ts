import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.guard';
import { type Principal } from '../auth/principal';
import { CompleteTaskInput, TaskSearchQuery } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'User tasks for me and my groups: filters, sort and paging.' })
  search(@Caller() caller: Principal, @Query() query: TaskSearchQuery) {
    return this.tasks.search(caller, query);
  }

  @Get(':taskKey')
  @ApiOperation({ summary: 'A task with its form and claim summary. The target of task links in emails.' })
  get(@Caller() caller: Principal, @Param('taskKey') taskKey: string) {
    return this.tasks.get(caller, taskKey);
  }

  @Get(':taskKey/context')
  @ApiOperation({ summary: 'The claim behind a task: documents, policy, earlier claims, fraud flags, the diagram with its active elements, the history.' })
  context(@Caller() caller: Principal, @Param('taskKey') taskKey: string) {
    return this.tasks.context(caller, taskKey);
  }

  @Post(':taskKey/assignment')
  @ApiOperation({ summary: 'Claim the task (assign it to me).' })
  claim(@Caller() caller: Principal, @Param('taskKey') taskKey: string) {
    return this.tasks.claim(caller, taskKey);
  }

  @Delete(':taskKey/assignment')
  @ApiOperation({ summary: 'Unclaim the task (back to the group).' })
  unclaim(@Caller() caller: Principal, @Param('taskKey') taskKey: string) {
    return this.tasks.unclaim(caller, taskKey);
  }

  @Post(':taskKey/completion')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the task with its form\'s data (validated against the form).' })
  complete(@Caller() caller: Principal, @Param('taskKey') taskKey: string, @Body() input: CompleteTaskInput) {
    return this.tasks.complete(caller, taskKey, input);
  }
}
