/**
 * Where a claim stands, as clients and staff see it. The workers move a claim
 * along as the process runs; the portal only records and shows it.
 */
export const CLAIM_STATUSES = [
  'draft', // filed by the client, receipts being attached; not sent, no process yet
  'received', // submitted; the process is being started
  'validating',
  'information-requested',
  'screening',
  'in-review',
  'investigating',
  'awaiting-approval',
  'approved',
  'payment-pending',
  'payment-failed',
  'paid',
  'closed-nothing-payable', // assessed, but nothing is payable (deductible, limits, declined items)
  'rejected',
  'abandoned',
] as const;

export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Where a submitted claim can be: every status but `draft` (the workers never move a claim back to draft). */
export const SUBMITTED_STATUSES = CLAIM_STATUSES.filter((status) => status !== 'draft');

/** Statuses after which a claim never moves again. */
export const FINAL_STATUSES: ReadonlySet<ClaimStatus> = new Set(['paid', 'closed-nothing-payable', 'rejected', 'abandoned']);

/** What each status means, in words a client reads on the timeline. */
export const STATUS_WORDING: Record<ClaimStatus, string> = {
  draft: 'Not sent yet: add your receipts, then send the request.',
  received: 'We have received your request.',
  validating: 'We are checking your request against your policy.',
  'information-requested': 'We need more information from you.',
  screening: 'We are running our standard checks.',
  'in-review': 'A claims adjuster is reviewing your request.',
  investigating: 'Your request needs a closer look; this can take a few more days.',
  'awaiting-approval': 'Your request is waiting for a manager\'s approval.',
  approved: 'Your request has been approved.',
  'payment-pending': 'We are paying your reimbursement.',
  'payment-failed': 'We could not pay to your bank account; we are fixing it.',
  paid: 'Your reimbursement has been paid.',
  'closed-nothing-payable': 'Your request is closed: under your policy nothing is payable for it.',
  rejected: 'Your request has been declined.',
  abandoned: 'Your request was closed because the information we asked for did not arrive in time.',
};

/** The way a claim went after screening (the claim-routing decision's `route`). */
export const CLAIM_ROUTES = ['straight-through', 'review', 'investigation'] as const;
export type ClaimRoute = (typeof CLAIM_ROUTES)[number];

const PAST_ROUTING: ReadonlySet<ClaimStatus> = new Set(['approved', 'payment-pending', 'payment-failed', 'paid', 'closed-nothing-payable']);

/**
 * The route a claim has taken once it moves to `status`, read from the
 * statuses each route passes through: an investigation is what it is even if
 * a review follows, a review is what it is when the claim goes on to be paid,
 * and a claim paid or closed without either went straight through. Kept on the
 * claim so staff can search by route without asking the engine.
 */
export function routeAfter(current: ClaimRoute | null, status: ClaimStatus): ClaimRoute | null {
  if (status === 'investigating') return 'investigation';
  if (current) return current;
  if (status === 'in-review') return 'review';
  return PAST_ROUTING.has(status) ? 'straight-through' : null;
}

export const ITEM_STATUSES = ['pending', 'accepted', 'adjusted', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Reasons an item is rejected or reduced, with the words a client reads. */
export const REASON_WORDING: Record<string, string> = {
  POLICY_INACTIVE: 'Your policy was not active on the date of this care.',
  POLICY_PENDING: 'Your policy had not started yet on the date of this care.',
  POLICY_SUSPENDED: 'Your policy was suspended on the date of this care, so it did not cover it.',
  POLICY_LAPSED: 'Your policy had lapsed on the date of this care (its premium was not paid), so it did not cover it.',
  POLICY_CANCELLED: 'Your policy was cancelled before the date of this care.',
  POLICY_EXPIRED: 'Your policy had ended before the date of this care.',
  NOT_COVERED: 'This kind of care is not covered by your policy.',
  WAITING_PERIOD: 'This care falls within the waiting period of your policy.',
  ITEM_LIMIT: 'The amount is above what your policy pays for one item of this kind.',
  ANNUAL_LIMIT: 'You have reached the yearly limit of your policy for this kind of care.',
  POLICY_LIMIT: 'You have reached the most your policy pays in a policy year.',
  MISSING_DOCUMENT: 'A required document (for example a receipt or prescription) is missing.',
  DUPLICATE: 'This receipt was already claimed.',
  ADJUSTER_DECISION: 'Our adjuster changed this amount after review.',
  FRAUD_SUSPECTED: 'We could not accept this item after our checks.',
};
