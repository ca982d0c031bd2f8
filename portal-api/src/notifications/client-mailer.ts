import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { smtpTransportOptions } from '@claims/deploy';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { ClientNotice } from './client-notice.entity';
import { isNoticeTemplate, renderNotice, type ClientNoticeTemplate } from './client-notice-templates';
import { NotificationRecord } from './notification.entity';

const RETRY_EVERY_MS = 15_000;

/**
 * Sends the notices staff actions owe clients (a transactional outbox): the
 * action writes a `client_notice` row in its own transaction (`queue`), the
 * mailer sends it right after the commit (`deliver`) and a sweep retries what
 * SMTP refused. The row is locked while it is sent, so two API instances never
 * send one notice twice; each sent mail is recorded among the notifications
 * (`client-notice:<id>:email`) like the workers' messages.
 *
 * Why the portal sends these itself rather than the workers: the workers only
 * act on process jobs, and a bank-details change is a staff action outside any
 * job; the portal already owns the data and the notification records, and
 * uses the same SMTP settings (`SMTP_*`, `MAIL_FROM`) as the workers.
 */
@Injectable()
export class ClientMailer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.transport = nodemailer.createTransport({
      ...smtpTransportOptions(settings.smtp),
      // A staff member waits on the first attempt: fail fast, the sweep retries.
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), RETRY_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.transport.close();
  }

  /** Writes a notice in the caller's transaction; send it with `deliver` once that commits. */
  async queue(manager: EntityManager, notice: { customerId: string; claimId: string | null; template: ClientNoticeTemplate; values: Record<string, string> }): Promise<string> {
    const saved = await manager.getRepository(ClientNotice).save(manager.getRepository(ClientNotice).create(notice));
    return saved.id;
  }

  /** Sends one notice unless already sent; true when it has been sent (now or before). */
  async deliver(noticeId: string): Promise<boolean> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const notice = await manager.getRepository(ClientNotice).createQueryBuilder('n').setLock('pessimistic_write').setOnLocked('skip_locked').where('n.id = :noticeId', { noticeId }).getOne();
        if (!notice) return false; // being sent by another instance right now
        if (notice.sentAt) return true;
        await this.send(manager, notice);
        return true;
      });
    } catch (error) {
      await this.dataSource.getRepository(ClientNotice).increment({ id: noticeId }, 'attempts', 1).catch(() => undefined);
      await this.dataSource.getRepository(ClientNotice).update({ id: noticeId }, { lastError: error instanceof Error ? error.message.slice(0, 500) : String(error) }).catch(() => undefined);
      this.logger.warn({ noticeId, err: error }, 'could not send a client notice; it will be retried');
      return false;
    }
  }

  /** Notices left unsent (SMTP down at the time, or the process stopped before sending). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const unsent = await this.dataSource
        .getRepository(ClientNotice)
        .createQueryBuilder('n')
        .select('n.id')
        .where('n.sent_at IS NULL AND n.created_at < :before', { before: new Date(Date.now() - RETRY_EVERY_MS) })
        .orderBy('n.created_at', 'ASC')
        .take(50)
        .getMany();
      for (const notice of unsent) await this.deliver(notice.id);
    } catch (error) {
      this.logger.warn({ err: error }, 'client notice sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  private async send(manager: EntityManager, notice: ClientNotice): Promise<void> {
    if (!isNoticeTemplate(notice.template)) throw new Error(`No client notice template "${notice.template}".`);
    const customer = await manager.getRepository(Customer).findOneByOrFail({ id: notice.customerId });
    // A notice may carry a link of its own (a survey's signed link); by default its claim's page.
    const link = notice.values.link ?? (notice.claimId ? `${this.settings.publicUrl}/claims/${encodeURIComponent(notice.claimId)}` : `${this.settings.publicUrl}/`);
    const message = renderNotice(notice.template, { ...notice.values, name: customer.fullName }, link);
    const info = (await this.transport.sendMail({
      from: this.settings.mailFrom,
      to: customer.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: notice.claimId ? { 'X-Claim-Id': notice.claimId } : {},
    })) as { messageId: string };
    await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationRecord)
      .values({ dedupKey: `client-notice:${notice.id}:email`, claimId: notice.claimId, channel: 'email', recipient: customer.email, template: notice.template, subject: message.subject, providerMessageId: info.messageId })
      .orIgnore()
      .execute();
    await manager.getRepository(ClientNotice).update({ id: notice.id }, { sentAt: new Date(), attempts: notice.attempts + 1, lastError: null });
    this.logger.info({ noticeId: notice.id, claimId: notice.claimId, template: notice.template }, 'client notice sent');
  }
}
