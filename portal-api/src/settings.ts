import path from 'node:path';
import { OperatorError, readDatabaseUrl, readPort, REPOSITORY_ROOT, resolveDataDir, type SmtpSettings } from '@claims/deploy';
import { identitySettings } from '@claims/deploy/src/identity/identity-settings';
import { issuerUrl } from '@claims/deploy/src/identity/issuer-url';
import { API_AUDIENCE } from '@claims/deploy/src/identity/demo-realm';
import { readIntakeSettings, readSurveySettings, type IntakeSettings } from './service/service-settings';

/** Everything the portal API reads from its environment, checked once at start. */
export interface PortalSettings {
  readonly databaseUrl: URL;
  readonly port: number;
  readonly host: string;
  /** Issuer URL of the OpenID Connect provider (Keycloak realm or the embedded issuer). */
  readonly oidcIssuer: string;
  /** The `aud` access tokens must carry. */
  readonly oidcAudience: string;
  /** Camunda 8 REST API address (the embedded engine by default). */
  readonly engineRestAddress: string;
  /** Where uploaded documents are kept by the local-disk storage. */
  readonly documentsDir: string;
  readonly maxUploadBytes: number;
  /** Public origin of the portal, for links in answers. */
  readonly publicUrl: string;
  /** Create demo customers, policies and claims on first start. */
  readonly demoData: boolean;
  /** The OpenID Connect client the two web apps sign in with (public, PKCE). */
  readonly webClientId: string;
  /** Folder holding the built web apps (`portal-web/dist`, `tasklist-web/dist`); none served when absent. */
  readonly webAppsRoot: string;
  /** The repository's forms folder, published at start (the extranet's request form comes from it until an analyst deploys a new version). */
  readonly formsDir: string;
  /** The SMTP server the workers send through too (`SMTP_*`): the portal mails the notices staff actions owe a client. */
  readonly smtp: SmtpSettings;
  readonly mailFrom: string;
  /** The daily premium billing run (billing/billing-run-scheduler.ts): on or off, its hour (UTC), and how many days ahead of a period it invoices. */
  readonly billingRun: { readonly enabled: boolean; readonly hourUtc: number; readonly leadDays: number };
  /** The claims mailbox clients send receipts to (service/intake-settings.ts). */
  readonly intake: IntakeSettings;
  /** Satisfaction survey links: the HMAC key (`SURVEY_LINK_SECRET`; else one kept in the database) and how long a link works. */
  readonly survey: { readonly linkSecret: string | undefined; readonly linkDays: number };
  /** Manual billing adjustments up to this many cents (either sign) apply at once; above, a second manager approves (`BILLING_ADJUSTMENT_APPROVAL_CENTS`). */
  readonly adjustmentApprovalCents: number;
  /** Whom invoices ask clients paying by transfer to pay (`BILLING_PAYEE_NAME`, `_IBAN`, `_BIC`). */
  readonly billingPayee: { readonly name: string; readonly iban: string; readonly bic: string };
  /** Sending pending premium refunds through the payment provider (billing/refund-payout-sweep.ts): on or off (`REFUND_PAYOUTS_ENABLED`), and the embedded provider's journal, shared with the workers (`LEDGER_JOURNAL`). */
  readonly refundPayouts: { readonly enabled: boolean; readonly ledgerJournal: string };
}

/**
 * The insurer's own account that invoices ask clients to pay into, until
 * the operator sets theirs: a published test IBAN of a French bank, valid
 * by checksum, and no client's (the demo clients' accounts are others), so
 * a demo invoice never tells a client to pay themselves.
 */
export const INSURER_DEMO_PAYEE = { name: 'Claims Mutual Insurance', iban: 'FR3330002005500000157841Z25', bic: 'CRLYFRPPXXX' } as const;

export function readPortalSettings(env: NodeJS.ProcessEnv): PortalSettings {
  const databaseUrl = readDatabaseUrl(env, 'PORTAL_DATABASE_URL');
  if (!databaseUrl) throw new OperatorError('PORTAL_DATABASE_URL is not set.', 'Start the portal with `npm start`, which provides a database.');
  const identity = identitySettings(env);
  const maxUploadMiB = Number(env.DOCUMENT_MAX_MIB?.trim() || '10');
  if (!Number.isFinite(maxUploadMiB) || maxUploadMiB <= 0 || maxUploadMiB > 1024) {
    throw new OperatorError(`DOCUMENT_MAX_MIB must be a number of MiB between 0 and 1024, but it is "${env.DOCUMENT_MAX_MIB}".`);
  }
  return {
    databaseUrl,
    port: readPort(env, 'PORTAL_PORT', 3000),
    host: env.PORTAL_HOST?.trim() || '127.0.0.1',
    oidcIssuer: env.OIDC_ISSUER_URL?.trim() || issuerUrl(identity.publicOrigin),
    oidcAudience: env.OIDC_AUDIENCE?.trim() || API_AUDIENCE,
    engineRestAddress: env.CAMUNDA_REST_ADDRESS?.trim() || `http://127.0.0.1:${env.ENGINE_PORT?.trim() || '8080'}`,
    documentsDir: env.DOCUMENTS_DIR?.trim() || path.join(resolveDataDir(env), 'documents'),
    maxUploadBytes: Math.round(maxUploadMiB * 1024 * 1024),
    publicUrl: identity.portalOrigin,
    demoData: (env.DEMO_DATA?.trim() || 'true') !== 'false',
    webClientId: env.OIDC_WEB_CLIENT_ID?.trim() || 'claims-web',
    webAppsRoot: env.WEB_APPS_ROOT?.trim() || REPOSITORY_ROOT,
    formsDir: env.FORMS_DIR?.trim() || path.join(REPOSITORY_ROOT, 'forms'),
    smtp: {
      host: env.SMTP_HOST?.trim() || '127.0.0.1',
      port: readPort(env, 'SMTP_PORT', 1025),
      secure: env.SMTP_SECURE?.trim() === 'true',
      user: env.SMTP_USER?.trim() || undefined,
      password: env.SMTP_PASSWORD || undefined,
    },
    mailFrom: env.MAIL_FROM?.trim() || 'Claims <claims@claims.example>',
    adjustmentApprovalCents: wholeSetting(env, 'BILLING_ADJUSTMENT_APPROVAL_CENTS', 5_000, 0, 100_000_000),
    billingPayee: {
      name: env.BILLING_PAYEE_NAME?.trim() || INSURER_DEMO_PAYEE.name,
      iban: env.BILLING_PAYEE_IBAN?.trim() || INSURER_DEMO_PAYEE.iban,
      bic: env.BILLING_PAYEE_BIC?.trim() || INSURER_DEMO_PAYEE.bic,
    },
    refundPayouts: {
      enabled: (env.REFUND_PAYOUTS_ENABLED?.trim() || 'true') !== 'false',
      ledgerJournal: env.LEDGER_JOURNAL?.trim() || path.join(resolveDataDir(env), 'ledger', 'payments.jsonl'),
    },
    billingRun: {
      enabled: (env.BILLING_RUN_ENABLED?.trim() || 'true') !== 'false',
      hourUtc: wholeSetting(env, 'BILLING_RUN_HOUR', 2, 0, 23),
      leadDays: wholeSetting(env, 'BILLING_LEAD_DAYS', 14, 0, 90),
    },
    intake: readIntakeSettings(env),
    survey: readSurveySettings(env),
  };
}

function wholeSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new OperatorError(`${name} must be a whole number from ${min} to ${max}, but it is "${raw}".`);
  return value;
}
