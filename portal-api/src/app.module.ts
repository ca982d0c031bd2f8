import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ApplicationsController, UnderwritingController } from './applications/applications.controller';
import { ApplicationsService } from './applications/applications.service';
import { InternalApplicationsController } from './applications/internal-applications.controller';
import { MyDocumentsController } from './applications/my-documents.controller';
import { AuditController } from './audit/audit.controller';
import { AuditLog } from './audit/audit-log';
import { AuthGuard } from './auth/auth.guard';
import { BillingModule } from './billing/billing.module';
import { AdjustmentsService } from './billing/adjustments.service';
import { BillingStaffController, MyInvoicePdfController } from './billing/billing-staff.controller';
import { CancellationRefunds } from './billing/cancellation-refunds.service';
import { ReconciliationService } from './billing/reconciliation.service';
import { REFUND_PAYMENT_PROVIDER, RefundPayoutSweep } from './billing/refund-payout-sweep';
import { StaffBillingService } from './billing/staff-billing.service';
import { CollectionStarter } from './billing/collections/collection-starter';
import { CollectionProcessController, MyInvoiceCollectionController, MyPaymentMethodsController } from './billing/collections/collections.controller';
import { CollectionsService } from './billing/collections/collections.service';
import { PaymentMethodsService } from './billing/collections/payment-methods.service';
import { BenefitService } from './benefits/benefit.service';
import { TokenVerifier } from './auth/token-verifier';
import { ClaimAccess } from './claims/claim-access';
import { ClaimEventsRepository } from './claims/claim-events.repository';
import { ClaimLiveUpdates } from './claims/claim-live-updates';
import { ClaimsController } from './claims/claims.controller';
import { ClaimsService } from './claims/claims.service';
import { ProcessStarter } from './claims/process-starter';
import { InformationPublisher } from './claims/information-publisher';
import { IncidentWatch } from './claims/incident-watch';
import { CustomersRepository } from './customers/customers.repository';
import { MeController } from './customers/me.controller';
import { ClaimPaymentDetailsController } from './customers/claim-payment-details.controller';
import { PaymentDetailsService } from './customers/payment-details.service';
import { ClientMailer } from './notifications/client-mailer';
import { DashboardsModule } from './dashboards/dashboards.module';
import { DeploymentsController } from './deployments/deployments.controller';
import { DeploymentsService } from './deployments/deployments.service';
import { DocumentStorage } from './documents/document-storage';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { EngineClient } from './engine/engine-client';
import { PublishedForms } from './forms/published-forms';
import { HealthController } from './http/health.controller';
import { ClaimProcessController } from './internal/claim-process.controller';
import { InternalController } from './internal/internal.controller';
import { InternalService } from './internal/internal.service';
import { OperationsModule } from './operations/operations.module';
import { PayoutsService } from './payouts/payouts.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { TaskCommands } from './tasks/task-commands';
import { WebConfigController } from './web/web-config.controller';
import { ClaimDraftsController } from './claims/claim-drafts.controller';
import { DraftItemsController } from './claims/draft-items.controller';
import { SavedTaskViewsController } from './tasks/saved-task-views.controller';
import { PremiumPricing } from './products/premium-pricing';
import { ProductCatalog } from './products/product-catalog';
import { ProductsController } from './products/products.controller';
import { QuotesController } from './products/quotes.controller';
import { QuotesService } from './products/quotes.service';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
import { ContractPricing } from './contracts/contract-pricing';
import { ContractsController, MyContractController, RenewalProcessController } from './contracts/contracts.controller';
import { ContractsService } from './contracts/contracts.service';
import { RenewalStarter } from './contracts/renewal-starter';
import { PolicyStatusSweep } from './contracts/policy-status-sweep';
import { RenewalsService } from './contracts/renewals.service';
import { CustomerOverview } from './service/customer-overview';
import { CustomerServiceController, FollowUpProcessController, FollowUpsController } from './service/customer-service.controller';
import { FollowUpStarter } from './service/follow-up-starter';
import { FollowUpsService } from './service/follow-ups.service';
import { InteractionsService } from './service/interactions.service';
import { PhoneClaimsService } from './service/phone-claims.service';
import { EmailIntake } from './service/email-intake';
import { IntakeController } from './service/intake.controller';
import { IntakePoller } from './service/intake-poller';
import { SatisfactionSurveys } from './service/satisfaction-surveys';
import { SurveysController } from './service/surveys.controller';
import { type PortalSettings } from './settings';
import { LOGGER, PORTAL_SETTINGS } from './tokens';
import { LedgerPaymentProvider } from '@claims/workers/src/payments/ledger-provider';

/** What the application module is built from; tests pass their own parts. */
export interface PortalParts {
  readonly settings: PortalSettings;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly engine: EngineClient;
  readonly storage: DocumentStorage;
  readonly verifier: TokenVerifier;
}

@Module({})
export class PortalModule {
  static with(parts: PortalParts): DynamicModule {
    return {
      module: PortalModule,
      imports: [
        // Uploads are held in memory up to the limit, checked, then written to the storage.
        // preservePath: the name as sent, so that names with path parts are refused, not silently cut;
        // browsers send file names as UTF-8.
        MulterModule.register({ storage: memoryStorage(), preservePath: true, defParamCharset: 'utf8', limits: { fileSize: parts.settings.maxUploadBytes, files: 20, fields: 10, parts: 30, fieldSize: 64 * 1024 } }),
        OperationsModule.with(parts),
        DashboardsModule.with(parts),
        BillingModule.with(parts),
      ],
      controllers: [HealthController, MeController, ClaimPaymentDetailsController, ClaimsController, DocumentsController, TasksController, DeploymentsController, InternalController, ClaimProcessController, AuditController, WebConfigController, ClaimDraftsController, SavedTaskViewsController, ProductsController, QuotesController, SearchController, ContractsController, MyContractController, RenewalProcessController, ApplicationsController, UnderwritingController, InternalApplicationsController, MyDocumentsController, CustomerServiceController, FollowUpsController, FollowUpProcessController, IntakeController, SurveysController, DraftItemsController, BillingStaffController, MyInvoicePdfController, MyPaymentMethodsController, MyInvoiceCollectionController, CollectionProcessController],
      providers: [
        { provide: PORTAL_SETTINGS, useValue: parts.settings },
        { provide: LOGGER, useValue: parts.logger },
        { provide: DataSource, useValue: parts.dataSource },
        { provide: EngineClient, useValue: parts.engine },
        { provide: DocumentStorage, useValue: parts.storage },
        { provide: TokenVerifier, useValue: parts.verifier },
        { provide: APP_GUARD, useClass: AuthGuard },
        AuditLog,
        AdjustmentsService,
        CancellationRefunds,
        ReconciliationService,
        // Premium refunds go out through the provider claim payouts use (the embedded ledger here), sharing its journal with the workers.
        { provide: REFUND_PAYMENT_PROVIDER, useValue: new LedgerPaymentProvider(0, parts.settings.refundPayouts.ledgerJournal) },
        RefundPayoutSweep,
        StaffBillingService,
        BenefitService,
        ClaimAccess,
        ClaimEventsRepository,
        ClaimLiveUpdates,
        ClaimsService,
        ProcessStarter,
        InformationPublisher,
        ClientMailer,
        CustomersRepository,
        PaymentDetailsService,
        DeploymentsService,
        PublishedForms,
        DocumentsService,
        InternalService,
        PayoutsService,
        TasksService,
        TaskCommands,
        ProductCatalog,
        PremiumPricing,
        QuotesService,
        SearchService,
        InteractionsService,
        FollowUpsService,
        FollowUpStarter,
        CustomerOverview,
        PhoneClaimsService,
        IncidentWatch,
        ContractPricing,
        ContractsService,
        RenewalsService,
        RenewalStarter,
        PaymentMethodsService,
        CollectionsService,
        CollectionStarter,
        PolicyStatusSweep,
        ApplicationsService,
        EmailIntake,
        IntakePoller,
        SatisfactionSurveys,
      ],
    };
  }
}
