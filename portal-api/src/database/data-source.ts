import { DataSource, type DataSourceOptions } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Policy } from '../customers/policy.entity';
import { PolicyBenefit } from '../customers/policy-benefit.entity';
import { Claim } from '../claims/claim.entity';
import { ClaimItem } from '../claims/claim-item.entity';
import { ClaimEvent } from '../claims/claim-event.entity';
import { ClaimDocument } from '../documents/document.entity';
import { DocumentVersion } from '../documents/document-version.entity';
import { Payout } from '../payouts/payout.entity';
import { NotificationRecord } from '../notifications/notification.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { ClaimDraft } from '../claims/claim-draft.entity';
import { SavedTaskView } from '../tasks/saved-task-view.entity';
import { ClientNotice } from '../notifications/client-notice.entity';
import { ClaimInformationAnswer } from '../claims/claim-information-answer.entity';
import { PublishedForm } from '../forms/published-form.entity';
import { Product } from '../products/product.entity';
import { ProductVersion } from '../products/product-version.entity';
import { ProductBenefit } from '../products/product-benefit.entity';
import { Quote } from '../products/quote.entity';
import { PolicyStatusPeriod } from '../contracts/policy-status-period.entity';
import { PolicyVersion } from '../contracts/policy-version.entity';
import { PolicyMember } from '../contracts/policy-member.entity';
import { PolicyRenewal } from '../contracts/policy-renewal.entity';
import { InitialDomain1763712000000 } from './migrations/1763712000000-InitialDomain';
import { DraftsAndSavedViews1763971200000 } from './migrations/1763971200000-DraftsAndSavedViews';
import { ClientNotices1764590000000 } from './migrations/1764590000000-ClientNotices';
import { InformationAnswers1764633600000 } from './migrations/1764633600000-InformationAnswers';
import { PayoutIntents1764650000000 } from './migrations/1764650000000-PayoutIntents';
import { AuditStreams1764700000000 } from './migrations/1764700000000-AuditStreams';
import { InformationOutbox1764700000001 } from './migrations/1764700000001-InformationOutbox';
import { TaskCommands1764700000002 } from './migrations/1764700000002-TaskCommands';
import { ProductCatalog1764720000000 } from './migrations/1764720000000-ProductCatalog';
import { StaffSearch1764800000000 } from './migrations/1764800000000-StaffSearch';
import { PublishedForms1764800000001 } from './migrations/1764800000001-PublishedForms';
import { PolicyApplications1764810000018 } from './migrations/1764810000018-PolicyApplications';
import { ContractAdministration1764900000000 } from './migrations/1764900000000-ContractAdministration';
import { DashboardIndexes1764910000017 } from './migrations/1764910000017-DashboardIndexes';
import { ApplicationPaymentAccount1764920000000 } from './migrations/1764920000000-ApplicationPaymentAccount';
import { UnderwriterNotes1764930000000 } from './migrations/1764930000000-UnderwriterNotes';
import { PremiumBilling1765000000019 } from './migrations/1765000000019-PremiumBilling';
import { CustomerService1765000000020 } from './migrations/1765000000020-CustomerService';
import { ServiceIntake1765000000030 } from './migrations/1765000000030-ServiceIntake';
import { IntakeReasons1765000000031 } from './migrations/1765000000031-IntakeReasons';
import { BillingStaff1765000000029 } from './migrations/1765000000029-BillingStaff';
import { PremiumCollections1765000000119 } from './migrations/1765000000119-PremiumCollections';
import { ApplicationDirectDebit1765000000120 } from './migrations/1765000000120-ApplicationDirectDebit';
import { OverpaymentRefunds1765000000121 } from './migrations/1765000000121-OverpaymentRefunds';

export const ENTITIES = [
  Customer,
  Policy,
  PolicyBenefit,
  Claim,
  ClaimItem,
  ClaimEvent,
  ClaimDocument,
  DocumentVersion,
  Payout,
  NotificationRecord,
  AuditEntry,
  ClaimDraft,
  SavedTaskView,
  ClientNotice,
  ClaimInformationAnswer,
  PublishedForm,
  Product,
  ProductVersion,
  ProductBenefit,
  Quote,
  PolicyStatusPeriod,
  PolicyVersion,
  PolicyMember,
  PolicyRenewal,
];

/** Migrations in order of their timestamps; a landed migration is never edited, a new one is added. */
export const MIGRATIONS = [
  InitialDomain1763712000000,
  DraftsAndSavedViews1763971200000,
  ClientNotices1764590000000,
  InformationAnswers1764633600000,
  PayoutIntents1764650000000,
  AuditStreams1764700000000,
  InformationOutbox1764700000001,
  TaskCommands1764700000002,
  ProductCatalog1764720000000,
  StaffSearch1764800000000,
  PublishedForms1764800000001,
  PolicyApplications1764810000018,
  ContractAdministration1764900000000,
  DashboardIndexes1764910000017,
  ApplicationPaymentAccount1764920000000,
  UnderwriterNotes1764930000000,
  PremiumBilling1765000000019,
  CustomerService1765000000020,
  ServiceIntake1765000000030,
  IntakeReasons1765000000031,
  BillingStaff1765000000029,
  PremiumCollections1765000000119,
  ApplicationDirectDebit1765000000120,
  OverpaymentRefunds1765000000121,
];

export function dataSourceOptions(databaseUrl: URL, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl.href,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    extra: { max: poolSize, application_name: 'portal-api' },
  };
}

/** Any advisory lock id works as long as every API instance uses the same one. */
const MIGRATION_LOCK = 7_341_802;

/**
 * Brings the schema up to date. Several API instances may start at once
 * (that is how the portal scales out); a session advisory lock lets one of
 * them migrate while the others wait.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
