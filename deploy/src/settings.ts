import path from 'node:path';
import { OperatorError } from './operator-error';

/**
 * Every setting of the system, in one place: the README's settings table is
 * generated from this list (`npm run docs:settings -w deploy`) and a unit test
 * keeps the two in step. Each default serves the embedded stack; production
 * overrides them through the environment.
 */
export interface SettingSpec {
  readonly name: string;
  /** The default as a person reads it in the README. */
  readonly defaultText: string;
  readonly meaning: string;
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'DATA_DIR', defaultText: '`.data/` in the repository', meaning: 'Where the embedded stack keeps its state: PostgreSQL cluster, documents, lock file.' },
  { name: 'DATABASE_URL', defaultText: 'unset: embedded PostgreSQL', meaning: 'An external PostgreSQL server (`postgres://user:pass@host:5432/db`). When set, no embedded PostgreSQL starts; each component uses its own database on this server (`engine`, `portal`), created if missing.' },
  { name: 'POSTGRES_PORT', defaultText: 'a free port', meaning: 'Port of the embedded PostgreSQL (loopback only).' },
  { name: 'ENGINE_DATABASE_URL', defaultText: '`DATABASE_URL` with database `engine`', meaning: 'The engine\'s own database, used as given.' },
  { name: 'ENGINE_PORT', defaultText: '`8080`', meaning: 'HTTP port of the embedded engine (Camunda 8 REST API under `/v2`).' },
  { name: 'ENGINE_HOST', defaultText: '`127.0.0.1`', meaning: 'Address the embedded engine listens on.' },
  { name: 'ENGINE_CLOCK_CONTROLLED', defaultText: '`false`', meaning: 'When `true`, the engine\'s clock may be pinned and reset through `PUT /v2/clock` and `POST /v2/clock/reset` (Camunda\'s `ZEEBE_CLOCK_CONTROLLED`); otherwise both answer 409. For tests only: pinning fires every timer then due.' },
  { name: 'ENGINE_BATCH_CHUNK_SIZE', defaultText: '`100`', meaning: 'Items of a batch operation (cancel, resolve incidents, migrate, modify over a filter) the engine processes per command; progress is durable after each chunk.' },
  { name: 'ENGINE_LOG_RETENTION', defaultText: '`keep`', meaning: '`compact` deletes the engine log behind the oldest kept snapshot at each snapshot; `keep` keeps it all. The audit trail the product needs lives in the portal.' },
  { name: 'IDENTITY_PORT', defaultText: '`8180`', meaning: 'HTTP port of the embedded OpenID Connect issuer.' },
  { name: 'IDENTITY_HOST', defaultText: '`127.0.0.1`', meaning: 'Address the embedded issuer listens on.' },
  { name: 'IDENTITY_PUBLIC_URL', defaultText: '`http://localhost:8180`', meaning: 'Origin the issuer is reached at; its issuer URL is this plus `/realms/claims`.' },
  { name: 'IDENTITY_ACCESS_TOKEN_TTL', defaultText: '`3600`', meaning: 'Lifetime in seconds of the embedded issuer\'s access tokens (5 to 86400). The web apps renew theirs silently with the refresh token before it ends.' },
  { name: 'IDENTITY_EXTRA_CLIENTS', defaultText: '`0`', meaning: 'Client accounts the embedded issuer adds to the demo realm for load tests (`client-1` … `client-N`, password `demo`; 0 to 100000); none has a customer record until one is made for it.' },
  { name: 'OIDC_ISSUER_URL', defaultText: 'the embedded issuer', meaning: 'Issuer URL of the identity provider whose tokens the portal accepts (a Keycloak realm: `https://sso.example.com/realms/claims`). Keys are found by discovery.' },
  { name: 'OIDC_AUDIENCE', defaultText: '`claims-api`', meaning: 'The `aud` access tokens must carry for the portal API.' },
  { name: 'PORTAL_DATABASE_URL', defaultText: '`DATABASE_URL` with database `portal`', meaning: 'The portal\'s domain database, used as given.' },
  { name: 'PORTAL_PORT', defaultText: '`3000`', meaning: 'HTTP port of the portal (API under `/api`, extranet at `/`, staff app at `/staff`).' },
  { name: 'PORTAL_HOST', defaultText: '`127.0.0.1`', meaning: 'Address the portal listens on.' },
  { name: 'PORTAL_PUBLIC_URL', defaultText: '`http://localhost:3000`', meaning: 'Origin people reach the portal at: links in notifications, sign-in redirects.' },
  { name: 'CAMUNDA_REST_ADDRESS', defaultText: '`http://127.0.0.1:8080`', meaning: 'The Camunda 8 REST API the portal and workers use (the embedded engine by default). With Camunda 8 SaaS or Self-Managed, also set `CAMUNDA_AUTH_STRATEGY=OAUTH` and the SDK\'s `CAMUNDA_*` OAuth variables.' },
  { name: 'DOCUMENTS_DIR', defaultText: '`documents/` in `DATA_DIR`', meaning: 'Where the local-disk document storage keeps uploaded files.' },
  { name: 'DOCUMENT_MAX_MIB', defaultText: '`10`', meaning: 'Largest document upload accepted, in MiB.' },
  { name: 'OIDC_WEB_CLIENT_ID', defaultText: '`claims-web`', meaning: 'OpenID Connect client of the extranet and the staff app (public client, authorization code with PKCE; redirect URIs `/callback` and `/staff/callback`).' },
  { name: 'FORMS_DIR', defaultText: "the repository's `forms/`", meaning: "Forms the portal publishes at start and serves itself (the extranet's request form); a version deployed through the modeler stays newest across restarts." },
  { name: 'WEB_APPS_ROOT', defaultText: 'the repository', meaning: 'Folder with `portal-web/dist` and `tasklist-web/dist`, the built web apps the portal serves at `/` and `/staff` (`npm start` builds them).' },
  { name: 'DEMO_DATA', defaultText: '`true`', meaning: 'Create demo customers and policies on first start (`false` for production).' },
  { name: 'BILLING_RUN_ENABLED', defaultText: '`true`', meaning: "The daily premium billing run (portal-api/src/billing/README.md); `false` leaves billing to `POST /api/billing/runs`." },
  { name: 'BILLING_RUN_HOUR', defaultText: '`2`', meaning: "Hour (UTC, 0–23) from which the day's billing run starts; a portal started later that day runs it at once." },
  { name: 'BILLING_LEAD_DAYS', defaultText: '`14`', meaning: "Billing periods starting up to this many days ahead (0–90) are invoiced by the day's run." },
  { name: 'BILLING_ADJUSTMENT_APPROVAL_CENTS', defaultText: '`5000`', meaning: 'Manual billing adjustments up to this many cents (either sign) apply at once; above, a second manager approves (never the requester).' },
  { name: 'BILLING_PAYEE_NAME', defaultText: '`Claims Mutual Insurance`', meaning: 'Account holder invoices name for clients paying by bank transfer.' },
  { name: 'BILLING_PAYEE_IBAN', defaultText: 'a demo account', meaning: "The insurer's account invoices ask transfers to be paid into (set the real one in production)." },
  { name: 'BILLING_PAYEE_BIC', defaultText: '`AGRIFRPPXXX`', meaning: "BIC of that account." },
  { name: 'SMTP_HOST', defaultText: '`127.0.0.1`', meaning: 'SMTP server the workers (and the portal, for notices of staff actions) send mail through (the embedded outbox, or your relay).' },
  { name: 'SMTP_PORT', defaultText: '`1025`', meaning: 'Port of that SMTP server; also the port the embedded outbox listens on.' },
  { name: 'SMTP_SECURE', defaultText: '`false`', meaning: '`true` for SMTP over TLS (port 465); otherwise STARTTLS is used when the relay offers it.' },
  { name: 'SMTP_USER', defaultText: 'unset', meaning: 'SMTP user name, when the relay needs one (with `SMTP_PASSWORD`).' },
  { name: 'SMTP_PASSWORD', defaultText: 'unset', meaning: 'SMTP password.' },
  { name: 'MAIL_FROM', defaultText: '`Claims <claims@claims.example>`', meaning: 'Sender of every notification email.' },
  { name: 'MAIL_API_PORT', defaultText: '`8025`', meaning: 'Port of the embedded outbox\'s web view of the mail and SMS sent (`/`), its Mailpit-compatible API (`/api/v1/messages`) and SMS capture (`/api/v1/sms`).' },
  { name: 'OUTBOX_HOST', defaultText: '`127.0.0.1`', meaning: 'Address the embedded outbox listens on.' },
  { name: 'OUTBOX_AUTHSERV_ID', defaultText: "`claims-outbox.local`", meaning: "The authserv-id the embedded outbox writes its own sender checks under: it checks SPF, DKIM and DMARC of each mail it receives against a local DNS table (none by default: locally a sender is not authenticated unless `OUTBOX_DNS_RECORDS` or a test publishes records)." },
  { name: 'OUTBOX_DNS_RECORDS', defaultText: "unset", meaning: "That local DNS table, as JSON names to TXT records: `{\"example.com\": [\"v=spf1 ip4:127.0.0.1 -all\"]}` lets mail sent from this machine as example.com pass SPF, so the claims mailbox takes it for the customer with that address (dev only: it vouches for whoever sends from here)." },
  { name: 'INTAKE_MAILBOX', defaultText: '`claims@claims.example`', meaning: 'The claims mailbox clients email receipts to: a receipt from a customer opens a draft claim, a subject with their claim reference adds to that claim, the rest waits for an agent (staff app, Mailbox).' },
  { name: 'INTAKE_SOURCE', defaultText: '`imap` when `INTAKE_IMAP_URL` is set, else `sink`', meaning: 'Where that mailbox is read: `sink` (the local SMTP sink\'s Mailpit API, the embedded outbox by default), `imap`, or `none`.' },
  { name: 'INTAKE_SINK_URL', defaultText: '`http://$OUTBOX_HOST:$MAIL_API_PORT`', meaning: 'Mailpit-compatible API the `sink` source reads the mailbox\'s mail from.' },
  { name: 'INTAKE_IMAP_URL', defaultText: 'unset', meaning: 'The production mailbox: `imaps://user:password@mail.example.com:993/INBOX`; unseen messages are read and flagged seen once taken in.' },
  { name: 'INTAKE_POLL_MS', defaultText: '`5000`', meaning: 'How often the claims mailbox is read, in milliseconds (50 to 3600000).' },
  { name: 'INTAKE_AUTHSERV_ID', defaultText: "the outbox's (`OUTBOX_AUTHSERV_ID`); required with `imap`", meaning: "The authserv-id your receiving mail server writes its `Authentication-Results` under (RFC 8601; e.g. `mx.example.com`). A sender is matched to a customer only when that header (the topmost with this id) says DMARC passed, or DKIM/SPF passed aligned with the From domain; other mail waits for an agent (`unverified-sender`). The server must drop such headers a sender wrote under its id (Postfix with OpenDMARC/OpenDKIM, rspamd and Exchange do)." },
  { name: 'INTAKE_MAX_ATTEMPTS', defaultText: "`3`", meaning: "How often a message the intake fails to take in is tried (one try per round) before it goes to the agents' queue as `unreadable` and is acknowledged, so failing messages never block the mailbox (1 to 100)." },
  { name: 'INTAKE_MAX_MESSAGE_MIB', defaultText: "`40`", meaning: "Messages larger than this (MiB, 1 to 1024) are not downloaded: they go to the queue as `too-large`, from their envelope (sender, subject, size)." },
  { name: 'SURVEY_LINK_SECRET', defaultText: 'a key made once per database', meaning: 'HMAC key (32 characters or more) of the satisfaction survey links; set it to share one key between databases or to rotate it.' },
  { name: 'SURVEY_LINK_DAYS', defaultText: '`30`', meaning: 'How many days a survey link works (1 to 365).' },
  { name: 'STAFF_MAILBOX', defaultText: '`{group}@claims.example`', meaning: 'Team mailbox a task link is emailed to; `{group}` becomes the candidate group (`adjuster`, `manager`…).' },
  { name: 'TWILIO_ACCOUNT_SID', defaultText: 'unset: SMS go to the local capture', meaning: 'Twilio account for SMS (with `TWILIO_AUTH_TOKEN` and `TWILIO_FROM`).' },
  { name: 'TWILIO_AUTH_TOKEN', defaultText: 'unset', meaning: 'Twilio auth token.' },
  { name: 'TWILIO_FROM', defaultText: '`+15005550006`', meaning: 'Sender number of SMS.' },
  { name: 'TWILIO_API_URL', defaultText: 'the outbox\'s `/twilio` when no account is set', meaning: 'Origin the Twilio client talks to instead of `api.twilio.com`.' },
  { name: 'PORTAL_API_URL', defaultText: '`http://127.0.0.1:$PORTAL_PORT/api`', meaning: 'Where the workers reach the portal API\'s internal endpoints.' },
  { name: 'WORKERS_CLIENT_ID', defaultText: '`claims-workers`', meaning: 'The workers\' OAuth client (client credentials) at the identity provider.' },
  { name: 'WORKERS_CLIENT_SECRET', defaultText: '`claims-workers-secret`', meaning: 'Its secret (set a real one in production).' },
  { name: 'INFORMATION_DEADLINE', defaultText: '`P14D`', meaning: 'ISO 8601 duration a client has to answer a request for information before the claim is closed.' },
  { name: 'JOB_TIMEOUT_MS', defaultText: '`60000`', meaning: 'How long a worker holds a job before the engine hands it to another worker.' },
  { name: 'WATCH_LISTED_PROVIDERS', defaultText: '`PRV-WATCH-001`', meaning: 'Comma-separated provider ids the fraud screening flags.' },
  { name: 'LEDGER_DELAY_MS', defaultText: '`0`', meaning: 'Embedded payment provider only: answer time, to stand in for a slow bank.' },
  { name: 'LEDGER_JOURNAL', defaultText: '`ledger/payments.jsonl` in `DATA_DIR`', meaning: 'Embedded payment provider only: its JSON-lines record of every payment call (idempotency key, amount, outcome), shared by worker processes and the portal (premium refunds) and kept across restarts, so a repeated key is answered without paying again.' },
  { name: 'WORKERS_METRICS_PORT', defaultText: '`9464`', meaning: "Port of the workers' Prometheus endpoint (`GET /metrics`); the portal serves its own at `PORTAL_PORT` `/metrics`, the engine at `ENGINE_PORT` `/metrics`." },
  { name: 'WORKERS_METRICS_HOST', defaultText: '`127.0.0.1`', meaning: "Address the workers' metrics endpoint listens on." },
  { name: 'DEPLOY_MODELS', defaultText: '`true`', meaning: 'The workers deploy `bpmn/` and `forms/` when they start (`false` when models are deployed another way).' },
  { name: 'LOG_LEVEL', defaultText: '`info`', meaning: 'pino log level: `trace`, `debug`, `info`, `warn`, `error`.' },
  { name: 'LOG_FORMAT', defaultText: '`pretty` in a terminal, else `json`', meaning: '`json` for one JSON object a line (log collectors), `pretty` for people.' },
];

export function settingsTableMarkdown(): string {
  const rows = SETTINGS.map((s) => `| \`${s.name}\` | ${s.defaultText} | ${s.meaning} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Reads a TCP port setting, or fails naming the variable at fault. */
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number;
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback?: undefined): number | undefined;
export function readPort(env: NodeJS.ProcessEnv, name: string, fallback?: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new OperatorError(`${name} must be a TCP port between 1 and 65535, but it is "${raw}".`);
  }
  return port;
}

/** Reads a PostgreSQL connection URL setting, or fails naming the variable at fault. */
export function readDatabaseUrl(env: NodeJS.ProcessEnv, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OperatorError(`${name} is not a URL: "${redactUrl(raw)}".`, 'Expected postgres://user:password@host:5432/database.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new OperatorError(`${name} must be a postgres:// URL, but its scheme is "${url.protocol}".`);
  }
  return url;
}

export function resolveDataDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : path.join(REPOSITORY_ROOT, '.data'));
}

/** The same server and credentials as `server`, another database. */
export function withDatabase(server: URL, database: string): URL {
  const url = new URL(server.href);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url;
}

/** A URL fit for logs and terminals: the password replaced. */
export function redactUrl(value: string | URL): string {
  try {
    const url = new URL(typeof value === 'string' ? value : value.href);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return '<unparseable URL>';
  }
}
