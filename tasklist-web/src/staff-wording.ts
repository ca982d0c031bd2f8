/**
 * Where a claim stands, in the words claims staff use. The portal's
 * `statusText` speaks to the client ("A claims adjuster is reviewing your
 * request"); staff read who has the claim and whether money has moved.
 * "Paid" is said only of a claim whose payout the bank confirmed.
 */
const STAFF_STATUS: Readonly<Record<string, string>> = {
  draft: 'Draft, not sent',
  received: 'Received',
  validating: 'Being validated',
  'information-requested': 'Waiting for the client\'s information',
  screening: 'Fraud screening',
  'in-review': 'With an adjuster',
  investigating: 'With an investigator',
  'awaiting-approval': 'Waiting for a manager\'s approval',
  approved: 'Approved, not paid yet',
  'payment-pending': 'Payment sent, not confirmed by the bank',
  'payment-failed': 'Payment refused by the bank',
  paid: 'Paid',
  'closed-nothing-payable': 'Closed, nothing payable',
  rejected: 'Declined',
  abandoned: 'Closed, information never arrived',
};

export function staffStatus(status: string): string {
  return STAFF_STATUS[status] ?? status.replace(/-/g, ' ');
}

/** Money has moved only once the payout is confirmed. */
export function moneyMoved(status: string): boolean {
  return status === 'paid';
}
