import { type StartedService } from '../launcher/component-process';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { readPort } from '../settings';
import { Outbox } from './outbox-server';

/**
 * `OUTBOX_DNS_RECORDS`: the local DNS TXT table senders are checked against,
 * as JSON (`{"example.com": ["v=spf1 ip4:127.0.0.1 -all"]}` lets mail sent
 * from this machine as example.com pass SPF, so the claims mailbox matches it).
 */
function readDnsRecords(env: NodeJS.ProcessEnv): Record<string, string[]> | undefined {
  const text = env.OUTBOX_DNS_RECORDS?.trim();
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => Array.isArray(v) && v.every((r) => typeof r === 'string'));
  if (!valid) throw new OperatorError('OUTBOX_DNS_RECORDS must be a JSON object of names to lists of TXT records.', 'For example {"example.com": ["v=spf1 ip4:127.0.0.1 -all"]}.');
  return Object.fromEntries(Object.entries(parsed as Record<string, string[]>).map(([name, records]) => [name.toLowerCase(), records]));
}

/** The embedded outbox (SMTP sink, Mailpit-shaped API, SMS capture) on SMTP_PORT and MAIL_API_PORT. */
export async function startOutboxService(env: NodeJS.ProcessEnv, logger: Logger): Promise<StartedService> {
  const smtpPort = readPort(env, 'SMTP_PORT', 1025);
  const apiPort = readPort(env, 'MAIL_API_PORT', 8025);
  const outbox = new Outbox({ smtpPort, apiPort, host: env.OUTBOX_HOST || '127.0.0.1', authservId: env.OUTBOX_AUTHSERV_ID?.trim() || undefined, dnsRecords: readDnsRecords(env), logger });
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
