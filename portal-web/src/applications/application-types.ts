/** A policy application as the portal shows it to its client (portal-api/src/applications/applications.service.ts, clientView). */
export type ApplicationStatus = 'submitted' | 'referred' | 'information-requested' | 'offered' | 'accepted' | 'issued' | 'declined' | 'expired';

export interface ApplicationView {
  readonly id: string;
  readonly reference: string;
  readonly status: ApplicationStatus;
  readonly quoteId: string;
  readonly product: { code: string; name: string };
  readonly startsOn: string;
  readonly currency: string;
  readonly yearlyPremiumCents: number;
  readonly periodPremiumCents: number;
  readonly paymentFrequency: string;
  readonly deductibleCents: number;
  readonly people: readonly { role: 'policyholder' | 'dependant'; fullName: string; birthDate: string }[];
  readonly declineReasons: readonly string[];
  readonly informationRequest: { question: string; kind: 'information' | 'medical-exam'; due: string | null; answered: boolean } | null;
  readonly offer: { validUntil: string; acceptedAt: string | null } | null;
  readonly policy: { id: string; number: string } | null;
  readonly documents: readonly { id: string; name: string; mediaType: string; createdAt: string }[];
  readonly createdAt: string;
}

/** Each status in the client's words: what happens now. */
export const STATUS_WORDS: Readonly<Record<ApplicationStatus, string>> = {
  submitted: 'Received: we are checking it',
  referred: 'With an underwriter',
  'information-requested': 'We need something from you',
  offered: 'Offer ready: accept it to start your cover',
  accepted: 'Accepted: we are issuing your policy',
  issued: 'Policy issued',
  declined: 'Declined',
  expired: 'Offer expired',
};

/** The statuses that change without the client: the page looks again while in one. */
export const MOVING: readonly ApplicationStatus[] = ['submitted', 'referred', 'accepted'];

/** While the application is being decided, documents may go with it. */
export const OPEN_TO_DOCUMENTS: readonly ApplicationStatus[] = ['submitted', 'referred', 'information-requested'];
