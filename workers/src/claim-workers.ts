import { CamundaRestClient } from '@camunda8/sdk';
import { ENGINE_CLIENT_RETRY } from '@claims/deploy';
import { type Logger } from 'pino';
import { readLifecycleModels } from './models/lifecycle-models';
import { MailChannel, SmsChannel } from './notifications/channels';
import { Notifier } from './notifications/notifier';
import { TaskNotifier } from './notifications/task-notifier';
import { type CollectionProvider } from './payments/collection-provider';
import { EmbeddedCollectionProvider } from './payments/embedded-collection-provider';
import { LedgerPaymentProvider } from './payments/ledger-provider';
import { type PaymentProvider } from './payments/payment-provider';
import { PortalClient } from './portal/portal-client';
import { ServiceToken } from './portal/service-token';
import { type WorkerSettings } from './settings';
import { APPLICATION_STEPS } from './steps/applications/application-steps';
import { COLLECTION_STEPS } from './steps/billing/premium-collection.steps';
import { calculateBenefitStep } from './steps/calculate-benefit.step';
import { declineClaimStep } from './steps/decline-claim.step';
import { escalateAssessmentStep } from './steps/escalate-assessment.step';
import { FOLLOW_UP_STEPS } from './steps/follow-up.steps';
import { type JobStep } from './steps/job-step';
import { notifyClientStep } from './steps/notify-client.step';
import { payBenefitStep } from './steps/pay-benefit.step';
import { RENEWAL_STEPS } from './steps/policy-renewal.steps';
import { requestInformationStep } from './steps/request-information.step';
import { screenFraudStep } from './steps/screen-fraud.step';
import { validateClaimStep } from './steps/validate-claim.step';
import { startJobWorkers } from './worker-host';

/** Every job type of the claim lifecycle, of policy renewal, of policy applications, of customer follow-ups and of premium collection, and the step that carries it out. */
export const CLAIM_STEPS: readonly JobStep[] = [validateClaimStep, requestInformationStep, screenFraudStep, calculateBenefitStep, payBenefitStep, declineClaimStep, notifyClientStep, escalateAssessmentStep, ...RENEWAL_STEPS, ...APPLICATION_STEPS, ...FOLLOW_UP_STEPS, ...COLLECTION_STEPS];

export interface ClaimWorkers {
  stop(): Promise<void>;
}

/** The engine client the workers use: the SDK's, against the embedded engine or Camunda 8. */
export function engineClient(settings: WorkerSettings, env: NodeJS.ProcessEnv = process.env): CamundaRestClient {
  return new CamundaRestClient({
    config: {
      ZEEBE_REST_ADDRESS: settings.engineRestAddress,
      // Production sets CAMUNDA_AUTH_STRATEGY (OAUTH) and its credentials in the environment.
      CAMUNDA_AUTH_STRATEGY: (env.CAMUNDA_AUTH_STRATEGY as 'NONE' | 'OAUTH' | undefined) ?? 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    },
    retry: ENGINE_CLIENT_RETRY,
  });
}

/** Deploys the diagrams, decisions and forms; unchanged files are not new versions (the engine compares checksums). */
export async function deployLifecycleModels(engine: CamundaRestClient, logger: Logger): Promise<void> {
  const resources = await readLifecycleModels();
  const deployment = await engine.deployResources(resources.map((r) => ({ name: r.name, content: r.content })));
  logger.info({ deploymentKey: deployment.deploymentKey, resources: resources.map((r) => r.name) }, 'lifecycle models deployed');
}

/** Starts every job worker and the task announcements. */
export async function startClaimWorkers(settings: WorkerSettings, logger: Logger, options: { payments?: PaymentProvider; collections?: CollectionProvider; announceTasks?: boolean } = {}): Promise<ClaimWorkers> {
  const engine = engineClient(settings);
  if (settings.deployModels) await deployLifecycleModels(engine, logger);
  const portal = new PortalClient(settings.portalApiUrl, new ServiceToken(settings.oidcIssuer, settings.clientId, settings.clientSecret));
  const mail = new MailChannel(settings);
  const notifier = new Notifier(portal, mail, new SmsChannel(settings), settings, logger);
  const context = { portal, engine, notifier, payments: options.payments ?? new LedgerPaymentProvider(settings.ledgerDelayMs, settings.ledgerJournal), collections: options.collections ?? new EmbeddedCollectionProvider(), settings, logger };
  const workers = startJobWorkers(engine, CLAIM_STEPS, context, { timeoutMs: settings.jobTimeoutMs });
  const announcer = options.announceTasks === false ? undefined : new TaskNotifier(engine, notifier, logger);
  announcer?.start();
  logger.info({ jobTypes: CLAIM_STEPS.map((s) => s.type) }, 'claim workers started');
  return {
    async stop() {
      await announcer?.stop();
      await Promise.all(workers.map((w) => w.stop(10_000).catch(() => undefined)));
      mail.close();
    },
  };
}
