import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsString, Length, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller } from '../auth/auth.guard';
import { candidateGroupsOf, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { SavedTaskView } from './saved-task-view.entity';
import { TaskSearchQuery } from './task.dto';

/** Enough for anyone's habits; stops a script from growing the table without end. */
const MAX_VIEWS_PER_PERSON = 50;

export class SaveTaskViewInput {
  @ApiProperty({ minLength: 1, maxLength: 80, example: 'Overdue reviews' })
  @IsString() @Length(1, 80)
  name!: string;

  @ApiProperty({ type: TaskSearchQuery, description: 'The task list\'s filters and sort, as `GET /api/tasks` takes them.' })
  @ValidateNested() @Type(() => TaskSearchQuery)
  query!: TaskSearchQuery;
}

/** Staff's named task list filters, kept on the server so they follow the person. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('task-views')
export class SavedTaskViewsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'My saved task list views, by name.' })
  async list(@Caller() caller: Principal) {
    staffOnly(caller);
    const views = await this.dataSource.getRepository(SavedTaskView).find({ where: { owner: caller.subject }, order: { name: 'ASC' } });
    return { items: views.map(viewOf) };
  }

  @Post()
  @ApiOperation({ summary: 'Save the current filters under a name (the same name replaces that view).' })
  async save(@Caller() caller: Principal, @Body() input: SaveTaskViewInput) {
    staffOnly(caller);
    const repository = this.dataSource.getRepository(SavedTaskView);
    const name = input.name.trim();
    if (!name) throw Problem.invalidField('name', 'must not be blank');
    const existing = await repository.findOneBy({ owner: caller.subject, name });
    if (!existing && (await repository.countBy({ owner: caller.subject })) >= MAX_VIEWS_PER_PERSON) {
      throw Problem.conflict(`You already have ${MAX_VIEWS_PER_PERSON} saved views; delete one first.`);
    }
    const query = Object.fromEntries(Object.entries(input.query).filter(([, value]) => value !== undefined)) as TaskSearchQuery;
    const saved = await repository.save({ ...(existing ?? {}), owner: caller.subject, name, query });
    return viewOf(saved);
  }

  @Delete(':viewId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of my saved views.' })
  async remove(@Caller() caller: Principal, @Param('viewId', new ParseUUIDPipe({ exceptionFactory: () => Problem.invalidField('viewId', 'must be a UUID') })) viewId: string): Promise<void> {
    staffOnly(caller);
    const deleted = await this.dataSource.getRepository(SavedTaskView).delete({ id: viewId, owner: caller.subject });
    if (!deleted.affected) throw Problem.notFound('saved view', viewId);
  }
}

function staffOnly(caller: Principal): void {
  if (candidateGroupsOf(caller).length === 0) throw Problem.forbidden('Saved task views are for claims staff.');
}

function viewOf(view: SavedTaskView) {
  return { id: view.id, name: view.name, query: view.query, createdAt: view.createdAt.toISOString() };
}
