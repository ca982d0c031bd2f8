import { type CamundaRestClient } from '@camunda8/sdk';
import { type Logger } from 'pino';
import { formatDateTime } from './dates';
import { type Notifier } from './notifier';

/**
 * Emails each candidate group's mailbox when a user task opens, with the link
 * that opens the task in the staff app. It watches the engine's user-task
 * search (the same API on Camunda 8) rather than a step in the diagram, so
 * every human step of every diagram is announced without modelling it. The
 * portal's notification records make a task announced once, across restarts
 * and several worker processes.
 */
export class TaskNotifier {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Tasks created at or after this instant are still looked at. */
  private watermark: number;
  private readonly announced = new Map<string, number>();

  constructor(
    private readonly engine: CamundaRestClient,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly intervalMs = 2_000,
    lookBackMs = 60 * 60_000,
  ) {
    this.watermark = Date.now() - lookBackMs;
  }

  start(): void {
    const tick = () => {
      this.running = this.poll()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'task notifications: poll failed; trying again'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: every open task created since the watermark (a little overlap, since clocks and commits race). */
  async poll(): Promise<void> {
    const since = new Date(this.watermark - 5_000).toISOString();
    const found = await this.engine.searchUserTasks({
      filter: { state: 'CREATED', creationDate: { $gte: since } } as never,
      sort: [{ field: 'creationDate', order: 'ASC' }],
      page: { from: 0, limit: 200 },
    });
    for (const task of found.items) {
      if (this.announced.has(task.userTaskKey)) continue;
      const claim = await this.claimOf(task.processInstanceKey);
      // A customer follow-up is about a customer, not a claim: its mail names the customer.
      const customer = claim.claimId === undefined && claim.followUpCustomerId ? await this.notifier.customerName(claim.followUpCustomerId) : undefined;
      for (const group of task.candidateGroups ?? []) {
        await this.notifier.toStaff({
          dedupKey: `task-created:${task.userTaskKey}:${group}`,
          claimId: claim.claimId,
          group,
          userTaskKey: task.userTaskKey,
          template: customer ? 'follow-up-task-created' : 'task-created',
          values: { taskName: task.name || task.elementId, reference: claim.reference ?? task.processInstanceKey, customerName: customer ?? '', due: formatDateTime(task.dueDate) },
        });
      }
      const created = Date.parse(task.creationDate);
      this.announced.set(task.userTaskKey, created);
      this.watermark = Math.max(this.watermark, created);
    }
    for (const [key, created] of this.announced) if (created < this.watermark - 60_000) this.announced.delete(key);
  }

  private async claimOf(processInstanceKey: string): Promise<{ claimId?: string; reference?: string; followUpCustomerId?: string }> {
    const variables = await this.engine.searchVariables({ filter: { processInstanceKey, name: { $in: ['claimId', 'claimReference', 'followUpId', 'customerId'] } }, page: { from: 0, limit: 10 } }) as { items: { name: string; value: string }[] };
    const value = (name: string) => {
      const raw = variables.items.find((v) => v.name === name)?.value;
      return raw ? (JSON.parse(raw) as string) : undefined;
    };
    return { claimId: value('claimId'), reference: value('claimReference'), followUpCustomerId: value('followUpId') ? value('customerId') : undefined };
  }
}
