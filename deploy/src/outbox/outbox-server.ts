import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { type Logger } from '../logger';
import { OUTBOX_PAGE_CSP, renderMessagePage, renderNotFoundPage, renderOutboxPage } from './outbox-page';
import { DEFAULT_AUTHSERV_ID, stampAuthenticationResults, type LocalDnsRecords } from './sender-authentication';

/**
 * The embedded system's outbox: an SMTP server that keeps every message it is
 * given (nothing is relayed), a read API shaped like Mailpit's (`/api/v1/…`,
 * so Mailpit's tools and habits work), and a capture of SMS sent through
 * Twilio's Messages API (`/twilio/2010-04-01/Accounts/{sid}/Messages.json`),
 * which the official `twilio` client is pointed at. Messages live in memory,
 * newest first, up to a cap. People read them at `/` (outbox-page.ts).
 * As a receiving host does, it checks each sender (SPF, DKIM, DMARC, against
 * a local DNS table: sender-authentication.ts) and prepends its verdict as
 * `Authentication-Results`, which the claims mailbox intake relies on.
 */
export interface Address {
  readonly Name: string;
  readonly Address: string;
}

export interface StoredMail {
  readonly ID: string;
  readonly MessageID: string;
  readonly From: Address;
  readonly To: Address[];
  readonly Subject: string;
  readonly Created: string;
  readonly Size: number;
  readonly Text: string;
  readonly HTML: string;
  readonly Headers: Record<string, string[]>;
  /** The message as received (Mailpit's `/raw`): what a mailbox reader such as the portal's claims intake parses. */
  readonly Raw: Buffer;
}

export interface StoredSms {
  readonly sid: string;
  readonly account_sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly status: 'queued';
  readonly date_created: string;
  readonly num_segments: string;
  readonly direction: 'outbound-api';
  readonly uri: string;
}

export interface OutboxOptions {
  readonly smtpPort: number;
  readonly apiPort: number;
  readonly host?: string;
  readonly maxMessages?: number;
  readonly maxMessageBytes?: number;
  /** The authserv-id of the verdicts it prepends (`DEFAULT_AUTHSERV_ID`). */
  readonly authservId?: string;
  /** The DNS TXT records senders are checked against (none: nobody is authenticated). */
  readonly dnsRecords?: LocalDnsRecords;
  readonly logger: Logger;
}

export class Outbox {
  readonly mails: StoredMail[] = [];
  readonly sms: StoredSms[] = [];
  private smtp?: SMTPServer;
  private api?: Server;

  constructor(private readonly options: OutboxOptions) {}

  get smtpPort(): number {
    return ((this.smtp as unknown as { server: Server }).server.address() as AddressInfo).port;
  }

  get apiPort(): number {
    return (this.api!.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    const maxBytes = this.options.maxMessageBytes ?? 25 * 1024 * 1024;
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: maxBytes,
      banner: 'claims outbox (messages are kept, not delivered)',
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (size > maxBytes) return callback(Object.assign(new Error(`Message is larger than ${maxBytes} bytes`), { responseCode: 552 }));
          const received = { ip: session.remoteAddress, helo: session.hostNameAppearsAs, mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '' };
          this.stamped(Buffer.concat(chunks), received)
            .then((raw) => this.store(raw, session.envelope.rcptTo.map((r) => r.address)))
            .then(() => callback(), (error: Error) => callback(error));
        });
      },
    });
    this.smtp.on('error', (error) => this.options.logger.warn({ err: error }, 'outbox SMTP error'));
    await listen(this.smtp as unknown as { listen: Server['listen'] } & { server: Server }, this.options.smtpPort, host);
    this.api = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'outbox API error');
        if (!response.headersSent) send(response, 500, { error: 'internal error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.api!.once('error', reject);
      this.api!.listen(this.options.apiPort, host, () => resolve());
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.smtp ? this.smtp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.api ? this.api.close(() => resolve()) : resolve()));
  }

  /** The message with our verdict on its sender; unstamped (so: not authenticated) if the check itself fails. */
  private async stamped(raw: Buffer, received: Parameters<typeof stampAuthenticationResults>[1]): Promise<Buffer> {
    try {
      return await stampAuthenticationResults(raw, received, this.options.authservId ?? DEFAULT_AUTHSERV_ID, this.options.dnsRecords ?? {});
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox could not check the sender of a message; kept without a verdict');
      return raw;
    }
  }

  private async store(raw: Buffer, envelopeTo: string[]): Promise<void> {
    const parsed = await PostalMime.parse(raw);
    const headers: Record<string, string[]> = {};
    for (const header of parsed.headers) (headers[canonicalHeader(header.key)] ??= []).push(header.value);
    const to = (parsed.to ?? []).flatMap((a) => ('address' in a && a.address ? [{ Name: a.name ?? '', Address: a.address }] : []));
    this.mails.unshift({
      ID: randomUUID(),
      MessageID: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
      From: { Name: parsed.from?.name ?? '', Address: (parsed.from && 'address' in parsed.from ? parsed.from.address : '') ?? '' },
      To: to.length > 0 ? to : envelopeTo.map((address) => ({ Name: '', Address: address })),
      Subject: parsed.subject ?? '',
      Created: new Date().toISOString(),
      Size: raw.length,
      Text: parsed.text ?? '',
      HTML: parsed.html ?? '',
      Headers: headers,
      Raw: raw,
    });
    this.mails.splice(this.options.maxMessages ?? 5_000);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://outbox');
    const path = url.pathname;
    if (request.method === 'GET' && path === '/') return sendPage(response, 200, renderOutboxPage(this.mails, this.sms));
    const view = /^\/view\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && view) {
      const found = this.mails.find((m) => m.ID === decodeURIComponent(view[1]!));
      return found ? sendPage(response, 200, renderMessagePage(found)) : sendPage(response, 404, renderNotFoundPage());
    }
    if (request.method === 'GET' && path === '/api/v1/messages') return send(response, 200, this.listing(this.mails, url));
    if (request.method === 'GET' && path === '/api/v1/search') return send(response, 200, this.listing(this.search(url.searchParams.get('query') ?? ''), url));
    if (request.method === 'DELETE' && path === '/api/v1/messages') {
      this.mails.splice(0);
      return send(response, 200, 'ok');
    }
    const message = /^\/api\/v1\/message\/([^/]+)(\/headers|\/raw)?$/.exec(path);
    if (request.method === 'GET' && message) {
      const found = message[1] === 'latest' ? this.mails[0] : this.mails.find((m) => m.ID === message[1]);
      if (!found) return send(response, 404, 'message not found');
      if (message[2] === '/raw') return void response.writeHead(200, { 'content-type': 'message/rfc822' }).end(found.Raw);
      const { Raw: _raw, ...shown } = found;
      return send(response, 200, message[2] ? found.Headers : { ...shown, ReplyTo: [], Cc: [], Bcc: [], Attachments: [], Inline: [], Tags: [], Date: found.Created });
    }
    const twilio = /^\/twilio\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (twilio && request.method === 'POST') return this.captureSms(twilio[1]!, request, response);
    if (twilio && request.method === 'GET') return send(response, 200, { messages: this.sms.filter((m) => m.account_sid === twilio[1]), page: 0, page_size: this.sms.length });
    if (request.method === 'GET' && path === '/api/v1/sms') return send(response, 200, { total: this.sms.length, messages: this.sms });
    if (request.method === 'GET' && (path === '/livez' || path === '/readyz')) return send(response, 200, 'ok');
    send(response, 404, 'not found');
  }

  private listing(messages: readonly StoredMail[], url: URL) {
    const start = Math.max(0, Number(url.searchParams.get('start') ?? 0) || 0);
    const limit = Math.max(1, Math.min(1000, Number(url.searchParams.get('limit') ?? 50) || 50));
    const page = messages.slice(start, start + limit);
    return {
      total: this.mails.length,
      unread: 0,
      count: page.length,
      messages_count: messages.length,
      start,
      tags: [],
      messages: page.map((m) => ({ ID: m.ID, MessageID: m.MessageID, Read: false, From: m.From, To: m.To, Cc: [], Bcc: [], ReplyTo: [], Subject: m.Subject, Created: m.Created, Tags: [], Size: m.Size, Attachments: 0, Snippet: m.Text.replace(/\s+/g, ' ').slice(0, 250) })),
    };
  }

  /** Mailpit's search terms that matter here: `to:`, `from:`, `subject:` and free words (all must match). */
  private search(query: string): StoredMail[] {
    const terms = [...query.matchAll(/(\w+:)?("[^"]*"|\S+)/g)].map((m) => ({ field: m[1]?.slice(0, -1).toLowerCase(), value: m[2]!.replace(/^"|"$/g, '').toLowerCase() }));
    return this.mails.filter((mail) =>
      terms.every(({ field, value }) => {
        if (field === 'to') return mail.To.some((a) => a.Address.toLowerCase().includes(value));
        if (field === 'from') return mail.From.Address.toLowerCase().includes(value);
        if (field === 'subject') return mail.Subject.toLowerCase().includes(value);
        return `${mail.Subject}\n${mail.Text}`.toLowerCase().includes(value);
      }),
    );
  }

  private async captureSms(accountSid: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(request, 64 * 1024)).toString('utf8'));
    const to = form.get('To');
    const body = form.get('Body');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    // Twilio's own answers to a malformed request: 400 with a code and message.
    if (!to || !/^\+[1-9]\d{6,14}$/.test(to)) return send(response, 400, { code: 21211, message: `The 'To' number ${to ?? ''} is not a valid phone number.`, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
    if (!body) return send(response, 400, { code: 21602, message: 'Message body is required.', more_info: 'https://www.twilio.com/docs/errors/21602', status: 400 });
    if (!from) return send(response, 400, { code: 21603, message: "A 'From' phone number is required.", more_info: 'https://www.twilio.com/docs/errors/21603', status: 400 });
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    const sms: StoredSms = { sid, account_sid: accountSid, to, from, body, status: 'queued', date_created: new Date().toUTCString(), num_segments: String(Math.ceil(body.length / 160)), direction: 'outbound-api', uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` };
    this.sms.unshift(sms);
    this.sms.splice(this.options.maxMessages ?? 5_000);
    send(response, 201, sms);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }).end(text);
}

function sendPage(response: ServerResponse, status: number, html: string): void {
  response
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': OUTBOX_PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' })
    .end(html);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function canonicalHeader(key: string): string {
  return key.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function listen(server: { listen: Server['listen']; server: Server }, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
