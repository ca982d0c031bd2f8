import { type CollectionMethod, type DeclineKind } from '../payments/collection-provider';

/** What the portal's collection endpoints answer (internal/invoices/{id}/…, internal/collection-attempts/{id}; see its OpenAPI document). */
export type CollectionPlan =
  | { readonly planned: false; readonly why: string }
  | {
      readonly planned: true;
      /** What the case's paid message correlates on (the invoice and its round). */
      readonly caseKey: string;
      readonly invoiceNumber: string;
      readonly policyId: string;
      readonly policyNumber: string;
      readonly customerId: string;
      readonly currency: string;
      readonly amountCents: number;
      readonly dueOn: string;
      readonly graceEndsOn: string;
      readonly lapsesOn: string;
      readonly reinstatableUntil: string;
      readonly lastReminderAt: string;
      readonly lapseAt: string;
      readonly writeOffAt: string;
      readonly attempt: number;
    };

export interface CollectionChargeRequest {
  readonly attemptId: string;
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: CollectionMethod;
  readonly reference: string;
}

export type CollectionAttemptOpening =
  | { readonly status: 'charge'; readonly request: CollectionChargeRequest; readonly replayed: boolean }
  | { readonly status: 'settled' }
  | { readonly status: 'busy' }
  | { readonly status: 'declined'; readonly declineKind: DeclineKind; readonly declineCode: string; readonly reason: string };

export interface CollectionAttemptAnswer {
  readonly collected: boolean;
  readonly declineKind: DeclineKind | null;
  readonly declineCode: string | null;
  readonly reason: string | null;
  readonly replayed: boolean;
}

export interface CollectionNotice {
  readonly invoiceNumber: string;
  readonly policyId: string;
  readonly policyNumber: string;
  readonly customerId: string;
  readonly currency: string;
  readonly openCents: number;
  readonly totalCents: number;
  readonly reason: string;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly lapsesOn: string;
  readonly reinstatableUntil: string;
  readonly reinstatedOn: string | null;
}
