import { Injectable } from '@nestjs/common';
import { type CamundaRestApiTypes } from '@camunda8/sdk';
import { DataSource, In, Not } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { candidateGroupsOf, type Principal } from '../auth/principal';
import { ClaimAccess } from '../claims/claim-access';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { Claim } from '../claims/claim.entity';
import { ClaimsService } from '../claims/claims.service';
import { coverageDate } from '../customers/coverage';
import { CustomersRepository } from '../customers/customers.repository';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { validateFormData, type FormComponent } from './form-data-validation';
import { type CompleteTaskInput, type TaskSearchQuery } from './task.dto';
import { TaskCommands, type TaskCommandKind } from './task-commands';
import { takenWording } from './task-conflicts';
import { keepUnderwriterWords, POLICY_APPLICATION_PROCESS, withoutFreeText } from './underwriter-words';

type UserTask = CamundaRestApiTypes.UserTask;

/**
 * Four eyes: the person who completed a claim's assessment may not complete
 * its payment approval, whatever roles they hold.
 */
const ASSESSMENT_TASK = 'assess-claim';
const APPROVAL_TASK = 'approve-payment';

/**
 * Fields of the task forms that are notes for the file: staff read them on
 * the claim's history; the client never does (the forms ask separately for
 * the reason the client reads).
 */
const FILE_NOTE_FIELDS: Readonly<Record<string, string>> = {
  decisionNote: 'Note for the file',
  approvalNote: 'Approver\'s note',
  investigationFindings: 'Findings',
  contactNote: 'Contact note',
};

/** The staff-only history entry of a completed task, with the notes written for the file. */
function staffNoteOf(task: UserTask, principal: Principal, variables: Record<string, unknown>): string {
  const notes = Object.entries(FILE_NOTE_FIELDS).flatMap(([key, label]) => {
    const note = variables[key];
    return typeof note === 'string' && note.trim() !== '' ? [`${label}: ${note.trim()}`] : [];
  });
  return [`${task.name ?? task.elementId} completed by ${principal.username}.`, ...notes].join('\n');
}

/** A filter by amount names at most this many claims (the newest); narrower filters find the rest. */
const MAX_CLAIMS_PER_FILTER = 1000;

/**
 * Staff work on user tasks, through the engine's API: the engine keeps the
 * tasks, the portal decides who may see, claim and complete which, and adds
 * the claim each task is about.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly engine: EngineClient,
    private readonly dataSource: DataSource,
    private readonly access: ClaimAccess,
    private readonly claims: ClaimsService,
    private readonly customers: CustomersRepository,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
    private readonly commands: TaskCommands,
  ) {}

  async search(principal: Principal, query: TaskSearchQuery) {
    const groups = this.groupsOf(principal);
    const scope = query.scope ?? 'open';
    const filter: Record<string, unknown> = { state: scope === 'completed' ? 'COMPLETED' : 'CREATED' };
    if (scope === 'mine') filter.assignee = principal.username;
    else filter.candidateGroup = { $in: groups };
    if (scope === 'unassigned') filter.assignee = { $exists: false };
    if (query.processDefinitionId) filter.processDefinitionId = query.processDefinitionId;
    const instances = await this.instancesOfClaims(principal, query);
    if (instances !== undefined) {
      if (instances.length === 0) return { items: [], total: 0, hasMoreTotalItems: false };
      filter.processInstanceKey = { $in: instances };
    }
    if (query.dueBefore || query.dueAfter) filter.dueDate = { ...(query.dueBefore ? { $lt: query.dueBefore } : {}), ...(query.dueAfter ? { $gt: query.dueAfter } : {}) };
    if (query.minPriority !== undefined) filter.priority = { $gte: query.minPriority };
    let page: CamundaRestApiTypes.SearchUserTasksResponse;
    try {
      page = await this.engine.searchUserTasks({
        filter: filter,
        sort: [{ field: query.sort ?? 'dueDate', order: (query.order ?? 'asc').toUpperCase() as 'ASC' | 'DESC' }],
        page: { from: query.from ?? 0, limit: query.limit ?? 50 },
      });
    } catch (error) {
      throw engineProblem(error, 'Searching tasks failed');
    }
    const claims = await this.claimsOf(page.items);
    const pageInfo = page.page as { totalItems: number; hasMoreTotalItems?: boolean };
    return { items: page.items.map((task) => this.taskView(task, claims.get(String(task.processInstanceKey)))), total: Number(pageInfo.totalItems), hasMoreTotalItems: pageInfo.hasMoreTotalItems ?? false };
  }

  /**
   * The process instances of the claims a search names (by id, reference or
   * amount), or undefined when it names none. Amounts live in the domain
   * database, not the engine, so they become a list of instance keys.
   */
  private async instancesOfClaims(principal: Principal, query: TaskSearchQuery): Promise<string[] | undefined> {
    if (!query.claimId && !query.claimReference && query.minAmount === undefined && query.maxAmount === undefined) return undefined;
    if (query.claimId) await this.access.claim(principal, query.claimId, 'read');
    const builder = this.dataSource.getRepository(Claim).createQueryBuilder('c').select('c.processInstanceKey', 'key').where('c.process_instance_key IS NOT NULL');
    if (query.claimId) builder.andWhere('c.id = :id', { id: query.claimId });
    if (query.claimReference) builder.andWhere('c.reference = :reference', { reference: query.claimReference.trim().toUpperCase() });
    if (query.minAmount !== undefined) builder.andWhere('c.total_claimed >= :min', { min: query.minAmount });
    if (query.maxAmount !== undefined) builder.andWhere('c.total_claimed <= :max', { max: query.maxAmount });
    const rows = await builder.orderBy('c.submitted_at', 'DESC').limit(MAX_CLAIMS_PER_FILTER).getRawMany<{ key: string }>();
    return rows.map((row) => row.key);
  }

  /** One task with its form and the values the form shows, if the caller may work on it. */
  async get(principal: Principal, taskKey: string) {
    const task = await this.reach(principal, taskKey);
    const [form, claims, variables] = await Promise.all([this.engine.getUserTaskFormSchema(task.userTaskKey).catch(() => undefined), this.claimsOf([task]), this.variablesOf(task)]);
    return { ...this.taskView(task, claims.get(String(task.processInstanceKey))), form: form ?? null, variables };
  }

  /** The variables visible at the task (its own scope over the process's), as the form's initial data. */
  private async variablesOf(task: UserTask): Promise<Record<string, unknown>> {
    const found = await this.engine.call<{ items: { name: string; value: string }[] }>('POST', `/v2/user-tasks/${task.userTaskKey}/variables/search`, { page: { from: 0, limit: 500 } }).catch(() => ({ items: [] }));
    const variables: Record<string, unknown> = {};
    for (const variable of found.items) {
      try {
        variables[variable.name] = JSON.parse(variable.value);
      } catch {
        variables[variable.name] = variable.value;
      }
    }
    return variables;
  }

  /** Claim the task: assign it to the caller; someone else's task is not taken over. */
  async claim(principal: Principal, taskKey: string) {
    const task = await this.reach(principal, taskKey);
    if (task.state !== 'CREATED') throw Problem.conflict(`Expected task ${taskKey} to be open, but it is ${task.state}.`);
    if (task.assignee && task.assignee !== principal.username) throw Problem.conflict(await this.takenBy(task));
    try {
      await this.command(principal, task, { kind: 'assign', action: 'task.claimed' });
    } catch (error) {
      // Two people claiming at once: the engine refuses the second; say who won, in words.
      const now = await this.engine.getUserTask(taskKey).catch(() => undefined);
      if (now?.assignee && now.assignee !== principal.username) throw Problem.conflict(await this.takenBy(now));
      throw error;
    }
    return this.get(principal, taskKey);
  }

  /** Give the task back to the group; only its assignee may. */
  async unclaim(principal: Principal, taskKey: string) {
    const task = await this.reach(principal, taskKey);
    if (task.assignee !== principal.username) throw Problem.conflict(task.assignee ? `${await this.takenBy(task)} Only they can give it back.` : 'Nobody has this task any more: it is back with the group.');
    await this.command(principal, task, { kind: 'unassign', action: 'task.unclaimed' });
    return this.get(principal, taskKey);
  }

  /** Complete with the form's data, checked against the task's form first. */
  async complete(principal: Principal, taskKey: string, input: CompleteTaskInput) {
    const task = await this.reach(principal, taskKey);
    if (task.state !== 'CREATED') throw Problem.conflict(`Expected task ${taskKey} to be open, but it is ${task.state}.`);
    if (task.assignee !== principal.username) throw Problem.conflict(task.assignee ? `${await this.takenBy(task)} Only they can complete it.` : `Claim task ${taskKey} before completing it.`);
    if (task.elementId === APPROVAL_TASK) await this.refuseOwnAssessment(principal, task);
    const variables = input.variables ?? {};
    const form = (await this.engine.getUserTaskFormSchema(task.userTaskKey)) as { components?: FormComponent[] } | undefined;
    if (form) {
      // Read-only fields are checked against what the task presented: its variables.
      const errors = validateFormData(form, variables, await this.variablesOf(task));
      if (errors.length > 0) throw Problem.badRequest(`The form's data is not valid: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);
    }
    let sent = variables;
    if (task.processDefinitionId === POLICY_APPLICATION_PROCESS) {
      // Free text about an applicant's health stays on the application, out of the process variables.
      await keepUnderwriterWords(this.dataSource, (await this.variablesOf(task)).applicationId, variables);
      sent = withoutFreeText(variables);
    }
    await this.command(principal, task, { kind: 'complete', variables: sent, action: 'task.completed', details: { variables: Object.keys(sent) }, staffNote: staffNoteOf(task, principal, sent) });
    return { userTaskKey: task.userTaskKey, state: 'COMPLETED' };
  }

  /**
   * The engine keeps who completed each task (its assignee at completion, as
   * only the assignee may complete): an approver who assessed the same process
   * instance is refused, by user name.
   */
  private async refuseOwnAssessment(principal: Principal, task: UserTask): Promise<void> {
    let assessed: CamundaRestApiTypes.SearchUserTasksResponse;
    try {
      assessed = await this.engine.searchUserTasks({
        filter: { processInstanceKey: String(task.processInstanceKey), elementId: ASSESSMENT_TASK, state: 'COMPLETED', assignee: principal.username },
        page: { from: 0, limit: 1 },
      });
    } catch (error) {
      throw engineProblem(error, 'Checking who assessed the claim failed');
    }
    if (assessed.items.length > 0) {
      // An attempt to approve one's own assessment is itself worth an auditor's eye.
      const claim = (await this.claimsOf([task])).get(String(task.processInstanceKey));
      await this.audit.recordAlone(principal, { action: 'task.completion-refused', entityType: 'user-task', entityId: String(task.userTaskKey), details: { claimId: claim?.id ?? null, elementId: task.elementId, reason: 'four-eyes' } });
      throw Problem.forbidden(`You assessed this claim, so another manager must approve its payment (four eyes): ${principal.username} may not approve their own assessment.`);
    }
  }

  /** "Adam took this task a moment ago.": who has it, and since when by the audit log's claim entry. */
  private async takenBy(task: UserTask): Promise<string> {
    const [claimed] = await this.dataSource.query<{ at: Date }[]>(
      `SELECT at FROM audit_entry WHERE entity_type = 'user-task' AND entity_id = $1 AND action = 'task.claimed' AND actor_name = $2 ORDER BY seq DESC LIMIT 1`,
      [String(task.userTaskKey), task.assignee],
    );
    return takenWording(task.assignee!, claimed?.at);
  }

  /**
   * Who assessed the claim and why, for the approver: the newest completed
   * assessment of the same process instance and the decision it wrote.
   */
  private async assessmentOf(task: UserTask): Promise<{ assessedBy: string | null; assessedAt: string | null; decision: string | null; note: string | null; clientReason: string | null } | null> {
    if (task.elementId !== APPROVAL_TASK) return null;
    const found = await this.engine.searchUserTasks({
      filter: { processInstanceKey: String(task.processInstanceKey), elementId: ASSESSMENT_TASK, state: 'COMPLETED' },
      sort: [{ field: 'completionDate', order: 'DESC' }],
      page: { from: 0, limit: 1 },
    });
    const assessed = found.items[0];
    if (!assessed) return null;
    const variables = await this.variablesOf(task);
    const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
    return { assessedBy: assessed.assignee ?? null, assessedAt: assessed.completionDate ?? null, decision: text(variables.assessment), note: text(variables.decisionNote), clientReason: text(variables.clientReason) };
  }

  /** Everything a person needs beside the task: the claim, its policy and history, the diagram. */
  async context(principal: Principal, taskKey: string) {
    const task = await this.reach(principal, taskKey);
    const claim = (await this.claimsOf([task])).get(String(task.processInstanceKey));
    if (!claim) throw Problem.notFound('claim of task', taskKey);
    const detail = await this.claims.detail(principal, claim.id);
    const policy = await this.customers.policy(claim.policyId);
    const earlier = await this.dataSource.getRepository(Claim).find({ where: { customerId: claim.customerId, status: Not('draft') }, order: { submittedAt: 'DESC' }, take: 20 });
    const [xml, elements] = await Promise.all([
      this.engine.getProcessDefinitionXML(String(task.processDefinitionKey)),
      this.engine.searchElementInstances({ filter: { processInstanceKey: String(task.processInstanceKey) }, page: { from: 0, limit: 500 } }),
    ]);
    const active = elements.items.filter((e) => e.state === 'ACTIVE').map((e) => e.elementId);
    const completed = elements.items.filter((e) => e.state === 'COMPLETED').map((e) => e.elementId);
    return {
      task: this.taskView(task, claim),
      claim: detail,
      policy: policy && { id: policy.id, number: policy.number, product: policy.product, status: policy.status, startsOn: policy.startsOn, endsOn: policy.endsOn, coverage: await this.customers.coverage(policy, coverageDate(policy)) },
      earlierClaims: earlier.filter((c) => c.id !== claim.id).map((c) => ({ id: c.id, reference: c.reference, status: c.status, totalClaimed: c.totalClaimed, totalPaid: c.totalPaid, submittedAt: c.submittedAt.toISOString() })),
      fraud: { score: claim.fraudScore, flags: claim.fraudFlags },
      informationAnswers: await this.claims.informationAnswers(claim.id),
      assessment: await this.assessmentOf(task),
      diagram: { processDefinitionKey: String(task.processDefinitionKey), xml, activeElementIds: [...new Set(active)], completedElementIds: [...new Set(completed)] },
    };
  }

  private groupsOf(principal: Principal): string[] {
    const groups = candidateGroupsOf(principal);
    if (groups.length === 0) throw Problem.forbidden('User tasks are for claims staff.');
    return groups;
  }

  /**
   * The task, if the caller may work on it: assigned to them, offered to them
   * by name, or offered to one of their groups. Otherwise 404, as if absent.
   */
  private async reach(principal: Principal, taskKey: string): Promise<UserTask> {
    const groups = this.groupsOf(principal);
    if (!/^\d{1,19}$/.test(taskKey)) throw Problem.notFound('task', taskKey);
    let task: UserTask;
    try {
      task = await this.engine.getUserTask(taskKey);
    } catch (error) {
      const problem = engineProblem(error, `Task ${taskKey}`);
      throw problem.getStatus() === 404 ? Problem.notFound('task', taskKey) : problem;
    }
    const mine = task.assignee === principal.username || (task.candidateUsers ?? []).includes(principal.username) || (task.candidateGroups ?? []).some((g) => groups.includes(g));
    if (!mine) throw Problem.notFound('task', taskKey);
    return task;
  }

  /**
   * Sends a staff action to the engine through the task command outbox (no
   * transaction held across the call); its audit entry and staff note are
   * written once the engine has applied it.
   */
  private async command(principal: Principal, task: UserTask, command: { kind: TaskCommandKind; variables?: Record<string, unknown>; action: string; details?: Record<string, unknown>; staffNote?: string }): Promise<void> {
    const claim = (await this.claimsOf([task])).get(String(task.processInstanceKey));
    await this.commands.run(principal, {
      userTaskKey: String(task.userTaskKey),
      kind: command.kind,
      variables: command.variables,
      auditAction: command.action,
      auditDetails: { ...(command.details ?? {}), claimId: claim?.id ?? null, elementId: task.elementId },
      claimId: claim?.id,
      staffNote: claim ? command.staffNote : undefined,
    });
  }

  private async claimsOf(tasks: readonly UserTask[]): Promise<Map<string, Claim>> {
    const keys = [...new Set(tasks.map((t) => String(t.processInstanceKey)))];
    if (keys.length === 0) return new Map();
    const claims = await this.dataSource.getRepository(Claim).find({ where: { processInstanceKey: In(keys) }, relations: { customer: true } });
    return new Map(claims.map((c) => [c.processInstanceKey!, c]));
  }

  private taskView(task: UserTask, claim: Claim | undefined) {
    const due = task.dueDate ? Date.parse(task.dueDate) : undefined;
    return {
      userTaskKey: String(task.userTaskKey),
      name: task.name ?? task.elementId,
      elementId: task.elementId,
      state: task.state,
      assignee: task.assignee ?? null,
      candidateGroups: task.candidateGroups ?? [],
      candidateUsers: task.candidateUsers ?? [],
      processDefinitionId: task.processDefinitionId,
      processInstanceKey: String(task.processInstanceKey),
      creationDate: task.creationDate,
      completionDate: task.completionDate ?? null,
      dueDate: task.dueDate ?? null,
      followUpDate: task.followUpDate ?? null,
      priority: task.priority ?? 50,
      overdue: task.state === 'CREATED' && due !== undefined && due < Date.now(),
      claim: claim ? { id: claim.id, reference: claim.reference, status: claim.status, totalClaimed: claim.totalClaimed, currency: claim.currency, customerName: claim.customer?.fullName ?? null } : null,
    };
  }
}
