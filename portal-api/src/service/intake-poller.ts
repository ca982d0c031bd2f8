import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { EmailIntake } from './email-intake';
import { ImapMailbox, SinkMailbox, type Mailbox } from './mailbox';

/** Messages read per round: a full mailbox is worked through over a few rounds, not in one burst. */
const BATCH = 20;

/**
 * Reads the claims mailbox every `INTAKE_POLL_MS` and hands each message to
 * the intake, acknowledging it only once it is recorded (so a crash between
 * the two reads it again, and the Message-ID makes that a no-op). One round
 * at a time; a mailbox that cannot be reached is logged and tried next round.
 */
@Injectable()
export class IntakePoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly mailbox: Mailbox | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

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
      for (const mail of await mailbox.unread(BATCH)) {
        try {
          await this.intake.receive(mail.raw);
          await mailbox.acknowledge(mail);
          handled += 1;
        } catch (error) {
          this.logger.error({ err: error, mailboxId: mail.mailboxId }, 'could not take in a message from the claims mailbox; it is read again next round');
        }
      }
    } catch (error) {
      this.logger.warn({ err: error, source: this.settings.intake.source }, 'could not read the claims mailbox');
    }
    return handled;
  }
}
