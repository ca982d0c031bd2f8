import { OperatorError, readPort } from '@claims/deploy';
import { DEFAULT_AUTHSERV_ID } from '@claims/deploy/src/outbox/sender-authentication';
import { type ImapSettings } from './mailbox';

/**
 * Where the claims mailbox is read from. `INTAKE_MAILBOX` is the address
 * clients write to; `INTAKE_SOURCE` picks the reader: `sink` (the local SMTP
 * sink's Mailpit API at `INTAKE_SINK_URL`, by default the embedded outbox on
 * `MAIL_API_PORT`), `imap` (`INTAKE_IMAP_URL`, e.g.
 * `imaps://user:password@mail.example.com:993/INBOX`) or `none`.
 * `INTAKE_AUTHSERV_ID` is the authserv-id our receiving host writes its
 * `Authentication-Results` under: only its verdict lets a sender be matched
 * to a customer (the sink's by default; required with IMAP).
 * `INTAKE_MAX_ATTEMPTS` is how often a message that cannot be taken in is
 * tried before it is put in the queue as `unreadable`;
 * `INTAKE_MAX_MESSAGE_MIB` the size above which a message is not downloaded
 * but queued as `too-large`.
 */
export interface IntakeSettings {
  readonly address: string;
  readonly source: 'sink' | 'imap' | 'none';
  readonly sinkUrl: string;
  readonly imap: ImapSettings | undefined;
  readonly pollMs: number;
  readonly authservId: string;
  readonly maxAttempts: number;
  readonly maxMessageBytes: number;
}

export function readIntakeSettings(env: NodeJS.ProcessEnv): IntakeSettings {
  const address = (env.INTAKE_MAILBOX?.trim() || 'claims@claims.example').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new OperatorError(`INTAKE_MAILBOX must be an email address, but it is "${env.INTAKE_MAILBOX}".`);
  const imapUrl = env.INTAKE_IMAP_URL?.trim();
  const source = env.INTAKE_SOURCE?.trim() || (imapUrl ? 'imap' : 'sink');
  if (source !== 'sink' && source !== 'imap' && source !== 'none') throw new OperatorError(`INTAKE_SOURCE must be sink, imap or none, but it is "${source}".`);
  if (source === 'imap' && !imapUrl) throw new OperatorError('INTAKE_SOURCE is imap but INTAKE_IMAP_URL is not set.', 'Set INTAKE_IMAP_URL to imaps://user:password@host:993/INBOX.');
  const pollMs = Number(env.INTAKE_POLL_MS?.trim() || '5000');
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 3_600_000) throw new OperatorError(`INTAKE_POLL_MS must be a whole number of milliseconds between 50 and 3600000, but it is "${env.INTAKE_POLL_MS}".`);
  const authservId = (env.INTAKE_AUTHSERV_ID?.trim() || (source === 'imap' ? '' : env.OUTBOX_AUTHSERV_ID?.trim() || DEFAULT_AUTHSERV_ID)).toLowerCase();
  if (!authservId) throw new OperatorError('INTAKE_SOURCE is imap but INTAKE_AUTHSERV_ID is not set.', 'Set INTAKE_AUTHSERV_ID to the authserv-id your receiving mail server writes in Authentication-Results (e.g. mx.example.com).');
  if (!/^[a-z0-9.-]+$/.test(authservId)) throw new OperatorError(`INTAKE_AUTHSERV_ID must be a host name, but it is "${env.INTAKE_AUTHSERV_ID}".`);
  const maxAttempts = Number(env.INTAKE_MAX_ATTEMPTS?.trim() || '3');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new OperatorError(`INTAKE_MAX_ATTEMPTS must be a whole number between 1 and 100, but it is "${env.INTAKE_MAX_ATTEMPTS}".`);
  const maxMessageMib = Number(env.INTAKE_MAX_MESSAGE_MIB?.trim() || '40');
  if (!Number.isInteger(maxMessageMib) || maxMessageMib < 1 || maxMessageMib > 1024) throw new OperatorError(`INTAKE_MAX_MESSAGE_MIB must be a whole number of MiB between 1 and 1024, but it is "${env.INTAKE_MAX_MESSAGE_MIB}".`);
  return {
    address,
    source,
    sinkUrl: env.INTAKE_SINK_URL?.trim() || `http://${env.OUTBOX_HOST?.trim() || '127.0.0.1'}:${readPort(env, 'MAIL_API_PORT', 8025)}`,
    imap: source === 'imap' ? imapSettings(imapUrl!) : undefined,
    pollMs,
    authservId,
    maxAttempts,
    maxMessageBytes: maxMessageMib * 1024 * 1024,
  };
}

function imapSettings(text: string): ImapSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OperatorError('INTAKE_IMAP_URL is not a URL.', 'Write it as imaps://user:password@host:993/INBOX.');
  }
  if (url.protocol !== 'imaps:' && url.protocol !== 'imap:') throw new OperatorError(`INTAKE_IMAP_URL must start with imaps:// or imap://, but it starts with ${url.protocol}//.`);
  const secure = url.protocol === 'imaps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    folder: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function readSurveySettings(env: NodeJS.ProcessEnv): { linkSecret: string | undefined; linkDays: number } {
  const linkSecret = env.SURVEY_LINK_SECRET || undefined;
  if (linkSecret !== undefined && linkSecret.length < 32) throw new OperatorError('SURVEY_LINK_SECRET must be at least 32 characters long.');
  const linkDays = Number(env.SURVEY_LINK_DAYS?.trim() || '30');
  if (!Number.isInteger(linkDays) || linkDays < 1 || linkDays > 365) throw new OperatorError(`SURVEY_LINK_DAYS must be a whole number of days between 1 and 365, but it is "${env.SURVEY_LINK_DAYS}".`);
  return { linkSecret, linkDays };
}
