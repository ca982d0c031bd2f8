import { ImapFlow } from 'imapflow';
import { type Logger } from 'pino';

/**
 * One message as the mailbox holds it: how the mailbox names it (to
 * acknowledge it), its size, what its envelope says, and its bytes — not
 * loaded when it is larger than the reader was asked to load.
 */
export interface InboundMail {
  readonly mailboxId: string;
  readonly size: number;
  readonly envelope: MailEnvelope;
  readonly raw: Buffer | undefined;
}

/** What the mailbox knows of a message without reading it (for one that is not read). */
export interface MailEnvelope {
  readonly messageId: string;
  readonly fromAddress: string;
  readonly fromName: string;
  readonly subject: string;
}

/**
 * Where mail to the claims address is read from. The intake reads what is
 * new, records each message, then acknowledges it; a message read again
 * (acknowledgement lost, a restart) is recognised by its Message-ID, so the
 * mailbox only has to deliver at least once.
 */
export interface Mailbox {
  /** Messages not acknowledged yet, oldest first, at most `limit`; the bytes of those up to `maxBytes` only. */
  unread(limit: number, maxBytes: number): Promise<InboundMail[]>;
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

  async unread(limit: number, maxBytes: number): Promise<InboundMail[]> {
    const search = new URL('/api/v1/search', this.apiUrl);
    search.searchParams.set('query', `to:${this.address}`);
    search.searchParams.set('limit', '1000');
    const listing = (await this.json(search)) as { messages: { ID: string; MessageID: string; From: { Name: string; Address: string } | null; Subject: string; Size: number; To: { Address: string }[] }[] };
    // Newest first in the listing: oldest first for the intake. `to:` matches a part; the address must be exact.
    const fresh = listing.messages
      .filter((m) => !this.handled.has(m.ID) && m.To.some((to) => to.Address.toLowerCase() === this.address.toLowerCase()))
      .reverse()
      .slice(0, limit);
    const mails: InboundMail[] = [];
    for (const message of fresh) {
      const envelope = { messageId: message.MessageID, fromAddress: message.From?.Address ?? '', fromName: message.From?.Name ?? '', subject: message.Subject };
      if (message.Size > maxBytes) {
        mails.push({ mailboxId: message.ID, size: message.Size, envelope, raw: undefined });
        continue;
      }
      const response = await fetch(new URL(`/api/v1/message/${encodeURIComponent(message.ID)}/raw`, this.apiUrl), { signal: AbortSignal.timeout(10_000) });
      if (response.status === 404) continue; // dropped from the sink meanwhile
      if (!response.ok) throw new Error(`the mail sink answered ${response.status} for message ${message.ID}`);
      mails.push({ mailboxId: message.ID, size: message.Size, envelope, raw: Buffer.from(await response.arrayBuffer()) });
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

  async unread(limit: number, maxBytes: number): Promise<InboundMail[]> {
    const client = await this.connected();
    const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b).slice(0, limit);
    if (uids.length === 0) return [];
    // Sizes and envelopes first (RFC822.SIZE, ENVELOPE), so a huge message is never downloaded.
    const listed = await client.fetchAll(uids.join(','), { uid: true, size: true, envelope: true }, { uid: true });
    const mails: InboundMail[] = [];
    for (const message of listed.sort((a, b) => a.uid - b.uid)) {
      const from = message.envelope?.from?.[0];
      const envelope = { messageId: (message.envelope?.messageId ?? '').replace(/^<|>$/g, ''), fromAddress: from?.address ?? '', fromName: from?.name ?? '', subject: message.envelope?.subject ?? '' };
      const size = message.size ?? 0;
      if (size > maxBytes) {
        mails.push({ mailboxId: String(message.uid), size, envelope, raw: undefined });
        continue;
      }
      const full = await client.fetchOne(String(message.uid), { source: true }, { uid: true });
      if (full && full.source) mails.push({ mailboxId: String(message.uid), size, envelope, raw: full.source });
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
