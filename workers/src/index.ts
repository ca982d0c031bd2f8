export * from './claim-workers';
export * from './settings';
export * from './models/lifecycle-models';
export { LedgerPaymentProvider } from './payments/ledger-provider';
export type { PaymentProvider, PayoutRequest, PayoutOutcome } from './payments/payment-provider';
