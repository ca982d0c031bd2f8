import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { EmailIntake } from './email-intake';
import { ImapMailbox, SinkMailbox, type InboundMail, type Mailbox } from './mailbox';

/** Messages read per round: a full mailbox is worked through over a few rounds, not in one burst. */
const BATCH = 20;

/**
 * Reads the claims mailbox every `INTAKE_POLL_MS` and hands each message to
 * the intake, acknowledging it only once it is recorded (so a crash between
 * the two reads it again, and the Message-ID makes that a no-op). One round
 * at a time; a mailbox that cannot be reached is logged and tried next round.
 * A message that fails is left for the next round and the others are taken
 * in meanwhile; after `INTAKE_MAX_ATTEMPTS` failures it is put in the agents'
 * queue as `unreadable` and acknowledged, so failing messages never fill the
 * batch for good. A message above `INTAKE_MAX_MESSAGE_MIB` is not downloaded:
 * it is queued as `too-large` from its envelope. Failures are counted in
 * memory: a restart gives a failing message its tries again, no more.
 */
@Injectable()
export class IntakePoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly mailbox: Mailbox | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Failed tries per message not yet acknowledged, by the mailbox's id of it. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly intake: EmailIntake,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const { intake: config } = settings;
    this.mailbox = config.source === 'imap' ? new ImapMailbox(config.imap!, logger) : config.source === 'sink' ? new SinkMailbox(config.sinkUrl, config.address) : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.mailbox) return;
    this.timer = setInterval(() => void this.poll(), this.settings.intake.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.mailbox?.close();
  }

  /** One round (the timer's, or a test's): how many messages were handled. */
  poll(): Promise<number> {
    if (!this.mailbox) return Promise.resolve(0);
    this.running ??= this.round(this.mailbox).finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(mailbox: Mailbox): Promise<number> {
    let handled = 0;
    try {
      for (const mail of await mailbox.unread(BATCH, this.settings.intake.maxMessageBytes)) {
        if (await this.takeIn(mailbox, mail)) handled += 1;
      }
    } catch (error) {
      this.logger.warn({ err: error, source: this.settings.intake.source }, 'could not read the claims mailbox');
    }
    return handled;
  }

  /** One message taken in (or queued as too large, or as unreadable at its last try) and acknowledged; false if it failed. */
  private async takeIn(mailbox: Mailbox, mail: InboundMail): Promise<boolean> {
    try {
      if (mail.raw) await this.intake.receive(mail.raw);
      else await this.intake.queueUnread(mail, 'too-large');
      await mailbox.acknowledge(mail);
      this.failures.delete(mail.mailboxId);
      return true;
    } catch (error) {
      const tries = (this.failures.get(mail.mailboxId) ?? 0) + 1;
      const { maxAttempts } = this.settings.intake;
      this.logger.error({ err: error, mailboxId: mail.mailboxId, tries, maxAttempts }, tries < maxAttempts ? 'could not take in a message from the claims mailbox; it is read again next round' : 'could not take in a message from the claims mailbox; it goes to the queue as unreadable');
      if (tries < maxAttempts) {
        this.failures.set(mail.mailboxId, tries);
        return false;
      }
      try {
        await this.intake.queueUnread(mail, 'unreadable');
        await mailbox.acknowledge(mail);
        this.failures.delete(mail.mailboxId);
        return true;
      } catch (queueError) {
        this.failures.set(mail.mailboxId, tries);
        this.logger.error({ err: queueError, mailboxId: mail.mailboxId }, 'could not queue an unreadable message of the claims mailbox; it is read again next round');
        return false;
      }
    }
  }
}
