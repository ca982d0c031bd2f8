import path from 'node:path';
import { OperatorError, readPort, resolveDataDir, type SmtpSettings } from '@claims/deploy';

/** What the workers need to know; every value has an embedded default (see the README's settings table). */
export interface WorkerSettings {
  readonly engineRestAddress: string;
  readonly portalApiUrl: string;
  readonly portalPublicUrl: string;
  readonly oidcIssuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly smtp: SmtpSettings;
  readonly mailFrom: string;
  readonly staffMailbox: (group: string) => string;
  readonly twilio: { readonly accountSid: string; readonly authToken: string; readonly from: string; readonly apiUrl?: string };
  readonly informationDeadline: string;
  /** How long a worker holds a job before the engine hands it to another (ms). */
  readonly jobTimeoutMs: number;
  /** The embedded ledger's answer time, to stand in for a slow bank (ms). */
  readonly ledgerDelayMs: number;
  /** The embedded ledger's journal of payments, one JSON line per call: its record of what it paid, kept across restarts. */
  readonly ledgerJournal: string;
  /** Provider ids whose claims the fraud screening flags. */
  readonly watchListedProviders: ReadonlySet<string>;
  readonly deployModels: boolean;
  /** Where `GET /metrics` (Prometheus) is served by the workers process. */
  readonly metricsPort: number;
  readonly metricsHost: string;
}

export function readWorkerSettings(env: NodeJS.ProcessEnv): WorkerSettings {
  const identity = env.IDENTITY_PUBLIC_URL || 'http://localhost:8180';
  const portalPort = env.PORTAL_PORT || '3000';
  const mailbox = env.STAFF_MAILBOX || '{group}@claims.example';
  if (!mailbox.includes('{group}')) throw new OperatorError(`STAFF_MAILBOX must contain {group}, but it is "${mailbox}".`);
  return {
    engineRestAddress: env.CAMUNDA_REST_ADDRESS || `http://127.0.0.1:${env.ENGINE_PORT || '8080'}`,
    portalApiUrl: trimSlash(env.PORTAL_API_URL || `http://127.0.0.1:${portalPort}/api`),
    portalPublicUrl: trimSlash(env.PORTAL_PUBLIC_URL || `http://localhost:${portalPort}`),
    oidcIssuer: trimSlash(env.OIDC_ISSUER_URL || `${trimSlash(identity)}/realms/claims`),
    clientId: env.WORKERS_CLIENT_ID || 'claims-workers',
    clientSecret: env.WORKERS_CLIENT_SECRET || 'claims-workers-secret',
    smtp: {
      host: env.SMTP_HOST || '127.0.0.1',
      port: positiveInteger(env, 'SMTP_PORT', 1025),
      secure: env.SMTP_SECURE === 'true',
      user: env.SMTP_USER || undefined,
      password: env.SMTP_PASSWORD || undefined,
    },
    mailFrom: env.MAIL_FROM || 'Claims <claims@claims.example>',
    staffMailbox: (group) => mailbox.replace('{group}', group),
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID || 'AC00000000000000000000000000000000',
      authToken: env.TWILIO_AUTH_TOKEN || 'local-capture',
      from: env.TWILIO_FROM || '+15005550006',
      apiUrl: env.TWILIO_API_URL ?? (env.TWILIO_ACCOUNT_SID ? undefined : `http://127.0.0.1:${env.MAIL_API_PORT || '8025'}/twilio`),
    },
    informationDeadline: isoDuration(env, 'INFORMATION_DEADLINE', 'P14D'),
    jobTimeoutMs: positiveInteger(env, 'JOB_TIMEOUT_MS', 60_000),
    ledgerDelayMs: env.LEDGER_DELAY_MS ? positiveInteger(env, 'LEDGER_DELAY_MS', 1) : 0,
    ledgerJournal: env.LEDGER_JOURNAL?.trim() || path.join(resolveDataDir(env), 'ledger', 'payments.jsonl'),
    watchListedProviders: new Set((env.WATCH_LISTED_PROVIDERS ?? 'PRV-WATCH-001').split(',').map((s) => s.trim()).filter(Boolean)),
    deployModels: env.DEPLOY_MODELS !== 'false',
    metricsPort: readPort(env, 'WORKERS_METRICS_PORT', 9464),
    metricsHost: env.WORKERS_METRICS_HOST || '127.0.0.1',
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new OperatorError(`${name} must be a positive whole number, but it is "${raw}".`);
  return value;
}

function isoDuration(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(raw)) throw new OperatorError(`${name} must be an ISO 8601 duration such as P14D, but it is "${raw}".`);
  return raw;
}
