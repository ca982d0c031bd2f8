/** What the portal answers for a client's invoices (GET /api/me/invoices…) and their collection (…/collection). */
export interface InvoiceSummary {
  readonly id: string;
  readonly number: string;
  readonly policyId: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly status: 'open' | 'paid' | 'void' | 'written_off';
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly currency: string;
  readonly totalCents: number;
  readonly amountPaidCents: number;
  readonly amountOpenCents: number;
}

export interface InvoiceLine {
  readonly position: number;
  readonly kind: string;
  readonly code: string | null;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly cents: number;
}

export interface PaymentMethod {
  readonly kind: 'sepa-direct-debit' | 'card';
  readonly accountHolder: string | null;
  readonly ibanMasked: string | null;
  readonly mandateReference: string | null;
  readonly cardBrand: string | null;
  readonly cardLast4: string | null;
}

export interface CollectionView {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly policyId: string;
  readonly status: 'scheduled' | 'collecting' | 'paid' | 'overdue' | 'lapsed' | 'reinstated' | 'written-off';
  readonly currency: string;
  readonly totalCents: number;
  readonly openCents: number;
  readonly paymentMethod: PaymentMethod | null;
  readonly canPayNow: boolean;
  readonly paymentInProgress: boolean;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly lapsesOn: string;
  readonly reinstatableUntil: string;
  readonly retryOn: readonly string[];
  readonly lastReminderOn: string;
  readonly lapsedFrom: string | null;
  readonly reinstatedOn: string | null;
  readonly attempts: readonly { id: string; trigger: 'schedule' | 'pay-now'; at: string; amountCents: number; outcome: string; declineKind: 'soft' | 'hard' | null; reason: string | null }[];
}

export const INVOICE_STATUS_WORDS: Record<InvoiceSummary['status'], string> = { open: 'To pay', paid: 'Paid', void: 'Cancelled', written_off: 'Closed unpaid' };

export const COLLECTION_STATUS_WORDS: Record<CollectionView['status'], string> = {
  scheduled: 'Collected on its due date',
  collecting: 'Being collected',
  paid: 'Paid',
  overdue: 'Payment failed',
  lapsed: 'Unpaid: your cover has lapsed',
  reinstated: 'Paid: your cover is back',
  'written-off': 'Closed unpaid',
};

export function methodWords(method: PaymentMethod | null): string {
  if (!method) return 'No payment method yet';
  return method.kind === 'card' ? `Card ending ${method.cardLast4}` : `Direct debit from ${method.ibanMasked} (mandate ${method.mandateReference})`;
}
