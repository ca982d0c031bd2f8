import { type StartedService } from '../launcher/component-process';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { readPort } from '../settings';
import { Outbox } from './outbox-server';

/** The embedded outbox (SMTP sink, Mailpit-shaped API, SMS capture) on SMTP_PORT and MAIL_API_PORT. */
export async function startOutboxService(env: NodeJS.ProcessEnv, logger: Logger): Promise<StartedService> {
  const smtpPort = readPort(env, 'SMTP_PORT', 1025);
  const apiPort = readPort(env, 'MAIL_API_PORT', 8025);
  const outbox = new Outbox({ smtpPort, apiPort, host: env.OUTBOX_HOST || '127.0.0.1', authservId: env.OUTBOX_AUTHSERV_ID?.trim() || undefined, logger });
  try {
    await outbox.start();
  } catch (error) {
    await outbox.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new OperatorError(`Port ${smtpPort} or ${apiPort} (outbox, SMTP_PORT / MAIL_API_PORT) is already in use by another program.`, 'Stop that program (another Mailpit?), or set SMTP_PORT and MAIL_API_PORT to free ports.');
    }
    throw error;
  }
  const api = `http://localhost:${apiPort}`;
  return {
    endpoints: [
      { label: 'Mail and SMS sent', url: `${api}/`, note: 'kept here, never delivered', forPeople: 3 },
      { label: 'Mail (SMTP sink)', url: `smtp://localhost:${smtpPort}`, note: 'keeps mail, delivers nothing' },
      { label: 'Mail API (Mailpit-compatible)', url: `${api}/api/v1/messages` },
      { label: 'SMS sent (Twilio capture)', url: `${api}/api/v1/sms` },
    ],
    stop: () => outbox.stop(),
  };
}
