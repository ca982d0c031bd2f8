import nodemailer, { type Transporter } from 'nodemailer';
import twilio from 'twilio';
import { smtpTransportOptions } from '@claims/deploy';
import { type WorkerSettings } from '../settings';

/** Sends email through SMTP: the local sink in the embedded system, the relay in production. */
export class MailChannel {
  private readonly transport: Transporter;

  constructor(private readonly settings: WorkerSettings) {
    this.transport = nodemailer.createTransport({
      ...smtpTransportOptions(settings.smtp),
      pool: true,
      maxConnections: 4,
    });
  }

  async send(message: { to: string; subject: string; text: string; html: string; headers?: Record<string, string> }): Promise<string> {
    const info = (await this.transport.sendMail({ from: this.settings.mailFrom, ...message })) as { messageId: string };
    return info.messageId;
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Sends SMS through Twilio's Messages API with the official client. Without
 * Twilio credentials the client talks to the local capture, which speaks the
 * same API (TWILIO_API_URL), so the code path is the production one.
 */
export class SmsChannel {
  private readonly client: twilio.Twilio;

  constructor(private readonly settings: WorkerSettings) {
    const { accountSid, authToken, apiUrl } = settings.twilio;
    this.client = twilio(accountSid, authToken, apiUrl ? { httpClient: new RedirectingRequestClient(apiUrl) } : {});
  }

  async send(to: string, body: string): Promise<string> {
    const message = await this.client.messages.create({ to, from: this.settings.twilio.from, body });
    return message.sid;
  }
}

/** Twilio's request client, pointed at another origin (the local capture) instead of *.twilio.com. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super();
  }

  override request: twilio.RequestClient['request'] = (options) => {
    const url = new URL(options.uri);
    return super.request({ ...options, uri: `${this.origin.replace(/\/+$/, '')}${url.pathname}${url.search}` });
  };
}
