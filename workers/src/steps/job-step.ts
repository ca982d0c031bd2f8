import { type CamundaRestClient } from '@camunda8/sdk';
import { type Logger } from 'pino';
import { type Notifier } from '../notifications/notifier';
import { type CollectionProvider } from '../payments/collection-provider';
import { type PaymentProvider } from '../payments/payment-provider';
import { type PortalClient } from '../portal/portal-client';
import { type WorkerSettings } from '../settings';

/** What every step may use. */
export interface StepContext {
  readonly portal: PortalClient;
  readonly engine: CamundaRestClient;
  readonly notifier: Notifier;
  readonly payments: PaymentProvider;
  /** Takes premiums (SEPA direct debit, card). */
  readonly collections: CollectionProvider;
  readonly settings: WorkerSettings;
  readonly logger: Logger;
}

/** The part of an activated job a step reads. */
export interface StepJob {
  readonly jobKey: string;
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly retries: number;
}

/** A step ends by completing with variables, or with a BPMN error the diagram catches. */
export type StepResult = { readonly variables: Record<string, unknown> } | { readonly bpmnError: { readonly code: string; readonly message: string; readonly variables?: Record<string, unknown> } };

/** One job type of the diagram and what carries it out. */
export interface JobStep {
  readonly type: string;
  /** Process variables the step reads (the engine sends only these). */
  readonly variables: readonly string[];
  run(job: StepJob, context: StepContext): Promise<StepResult>;
}

/** Reads a variable the diagram guarantees; a missing one is a modelling error, worth an incident. */
export function required<T = string>(job: StepJob, name: string, check: (value: unknown) => boolean = (v) => typeof v === 'string' && v !== ''): T {
  const value = job.variables[name];
  if (!check(value)) throw new ModelError(`The process variable "${name}" is missing or malformed at ${job.elementId}.`);
  return value as T;
}

/** Not yet: the job is handed out again after the wait, its retries untouched. */
export class NotYet extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
  }
}

/** A fault in the model or its data that retrying cannot fix: the job goes straight to an incident. */
export class ModelError extends Error {}

/**
 * The step's process instance cancelled itself (a second instance for a claim
 * that already has one): its job is gone, there is nothing to complete.
 */
export class InstanceStoodDown extends Error {}
