import { type ClaimItem } from '../claims/claim-item.entity';

/** Claims whose receipts and invoices are not claimed: drafts never sent, declined and abandoned claims. */
export const NOT_CLAIMED_AGAIN: ReadonlySet<string> = new Set(['draft', 'rejected', 'abandoned']);

/** The same provider: by id where both items name one, else by name, ignoring case, accents, spaces and punctuation. */
export function sameProvider(a: Pick<ClaimItem, 'providerId' | 'providerName'>, b: Pick<ClaimItem, 'providerId' | 'providerName'>): boolean {
  if (a.providerId && b.providerId) return a.providerId.trim().toUpperCase() === b.providerId.trim().toUpperCase();
  return normalisedProviderName(a.providerName) === normalisedProviderName(b.providerName);
}

export function normalisedProviderName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
