import { ImapFlow } from 'imapflow';
import { type Logger } from 'pino';

/** One message as the mailbox holds it: its bytes, and how the mailbox names it (to acknowledge it). */
export interface InboundMail {
  readonly mailboxId: string;
  readonly raw: Buffer;
}

/**
 * Where mail to the claims address is read from. The intake reads what is
 * new, records each message, then acknowledges it; a message read again
 * (acknowledgement lost, a restart) is recognised by its Message-ID, so the
 * mailbox only has to deliver at least once.
 */
export interface Mailbox {
  /** Messages not acknowledged yet, oldest first, at most `limit`. */
  unread(limit: number): Promise<InboundMail[]>;
  acknowledge(mail: InboundMail): Promise<void>;
  close(): Promise<void>;
}

/**
 * The local SMTP sink (the embedded outbox, or Mailpit itself: the same
 * `/api/v1` API): mail sent to the claims address through its SMTP port is
 * kept there, and read back by search and `/raw`. The sink has no read flag
 * this reader may set, so what was handled is remembered in memory; after a
 * restart the intake's Message-ID check skips what it already has.
 */
export class SinkMailbox implements Mailbox {
  private readonly handled = new Set<string>();

  constructor(
    private readonly apiUrl: string,
    private readonly address: string,
  ) {}

  async unread(limit: number): Promise<InboundMail[]> {
    const search = new URL('/api/v1/search', this.apiUrl);
    search.searchParams.set('query', `to:${this.address}`);
    search.searchParams.set('limit', '1000');
    const listing = (await this.json(search)) as { messages: { ID: string; To: { Address: string }[] }[] };
    // Newest first in the listing: oldest first for the intake. `to:` matches a part; the address must be exact.
    const fresh = listing.messages
      .filter((m) => !this.handled.has(m.ID) && m.To.some((to) => to.Address.toLowerCase() === this.address.toLowerCase()))
      .reverse()
      .slice(0, limit);
    const mails: InboundMail[] = [];
    for (const message of fresh) {
      const response = await fetch(new URL(`/api/v1/message/${encodeURIComponent(message.ID)}/raw`, this.apiUrl), { signal: AbortSignal.timeout(10_000) });
      if (response.status === 404) continue; // dropped from the sink meanwhile
      if (!response.ok) throw new Error(`the mail sink answered ${response.status} for message ${message.ID}`);
      mails.push({ mailboxId: message.ID, raw: Buffer.from(await response.arrayBuffer()) });
    }
    return mails;
  }

  acknowledge(mail: InboundMail): Promise<void> {
    this.handled.add(mail.mailboxId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async json(url: URL): Promise<unknown> {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`the mail sink answered ${response.status} for ${url.pathname}`);
    return response.json();
  }
}

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly folder: string;
}

/**
 * A production mailbox over IMAP (`imapflow`): unseen messages of the folder,
 * by UID; acknowledging one flags it `\Seen`. One connection, opened when
 * first needed and again after it drops.
 */
export class ImapMailbox implements Mailbox {
  private client: ImapFlow | undefined;

  constructor(
    private readonly settings: ImapSettings,
    private readonly logger: Logger,
  ) {}

  async unread(limit: number): Promise<InboundMail[]> {
    const client = await this.connected();
    const uids = (await client.search({ seen: false }, { uid: true })) || [];
    const mails: InboundMail[] = [];
    for (const uid of uids.sort((a, b) => a - b).slice(0, limit)) {
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (message && message.source) mails.push({ mailboxId: String(uid), raw: message.source });
    }
    return mails;
  }

  async acknowledge(mail: InboundMail): Promise<void> {
    const client = await this.connected();
    await client.messageFlagsAdd(mail.mailboxId, ['\\Seen'], { uid: true });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.usable) await client.logout().catch(() => client.close());
  }

  private async connected(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    const client = new ImapFlow({ host: this.settings.host, port: this.settings.port, secure: this.settings.secure, auth: { user: this.settings.user, pass: this.settings.password }, logger: false });
    client.on('error', (error: Error) => this.logger.warn({ err: error }, 'claims mailbox (IMAP) connection error'));
    await client.connect();
    await client.mailboxOpen(this.settings.folder);
    this.client = client;
    return client;
  }
}
