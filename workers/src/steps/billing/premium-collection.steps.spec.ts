import pino from 'pino';
import { type CollectionOutcome } from '../../payments/collection-provider';
import { EmbeddedCollectionProvider } from '../../payments/embedded-collection-provider';
import { type CollectionAttemptOpening } from '../../portal/collection-types';
import { type StepContext, type StepJob, ModelError, NotYet } from '../job-step';
import { collectPremiumStep, notifyCollectionStep } from './premium-collection.steps';

/**
 * The collect step against a recording stand-in of the portal (its only
 * collaborator besides the embedded provider, which is the real one): what
 * it charges, what it records, and what it answers the diagram.
 */
function context(opening: CollectionAttemptOpening) {
  const recorded: { attemptId: string; outcome: CollectionOutcome }[] = [];
  const provider = new EmbeddedCollectionProvider();
  const portal = {
    openCollectionAttempt: () => Promise.resolve(opening),
    recordCollectionOutcome: (attemptId: string, outcome: CollectionOutcome) => {
      recorded.push({ attemptId, outcome });
      const declined = outcome.status === 'declined';
      return Promise.resolve({ collected: !declined, declineKind: declined ? outcome.kind : null, declineCode: declined ? outcome.code : null, reason: declined ? outcome.reason : null, replayed: recorded.length > 1 });
    },
  };
  return { recorded, provider, step: { portal, collections: provider, logger: pino({ level: 'silent' }) } as unknown as StepContext };
}

const job = (variables: Record<string, unknown>): StepJob => ({ jobKey: '1', processInstanceKey: '2', elementId: 'collect', elementInstanceKey: '3', variables, customHeaders: {}, retries: 3 });
const charge = (token: string) => ({ status: 'charge', replayed: false, request: { attemptId: 'a1', idempotencyKey: 'invoice:i1:collection:1', amountCents: 4_321, currency: 'EUR', method: { kind: 'card', token }, reference: 'INV-2026-000001' } }) as const;

describe('the collect step', () => {
  test('charges the attempt once under its key, records the answer and tells the diagram it is paid', async () => {
    const { recorded, provider, step } = context(charge('tok_visa'));
    expect(await collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 1 }), step)).toEqual({ variables: { collected: true } });
    // A retried job (the worker died after the provider answered) asks again with the same key: no second charge.
    await collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 1 }), step);
    expect(provider.charges().map((c) => [c.idempotencyKey, c.amountCents])).toEqual([['invoice:i1:collection:1', 4_321]]);
    expect(recorded.map((r) => r.attemptId)).toEqual(['a1', 'a1']);
    expect(recorded[0]!.outcome).toEqual(expect.objectContaining({ status: 'collected' }));
  });

  test('a declined card is the decline kind and code the retry table reads', async () => {
    const { step } = context(charge('tok_chargeDeclinedInsufficientFunds'));
    expect(await collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 1 }), step)).toEqual({ variables: { collected: false, declineKind: 'soft', declineCode: 'insufficient_funds' } });
  });

  test('nothing open is collected without a charge; no method is a hard decline; a charge in flight comes back later', async () => {
    const settled = context({ status: 'settled' });
    expect(await collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 2 }), settled.step)).toEqual({ variables: { collected: true } });
    expect(settled.provider.charges()).toEqual([]);
    const none = context({ status: 'declined', declineKind: 'hard', declineCode: 'no_payment_method', reason: 'No method.' });
    expect(await collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 1 }), none.step)).toEqual({ variables: { collected: false, declineKind: 'hard', declineCode: 'no_payment_method' } });
    await expect(collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 1 }), context({ status: 'busy' }).step)).rejects.toBeInstanceOf(NotYet);
  });

  test('an attempt that is not a whole number from 1 is a modelling error, not a charge', async () => {
    const { provider, step } = context(charge('tok_visa'));
    await expect(collectPremiumStep.run(job({ invoiceId: 'i1', attempt: 0 }), step)).rejects.toBeInstanceOf(ModelError);
    await expect(collectPremiumStep.run(job({ invoiceId: 'i1', attempt: '1' }), step)).rejects.toBeInstanceOf(ModelError);
    expect(provider.charges()).toEqual([]);
  });

  test('the notify step refuses a template the collection does not send', async () => {
    const { step } = context({ status: 'settled' });
    await expect(notifyCollectionStep.run({ ...job({ invoiceId: 'i1' }), customHeaders: { template: 'renewal-offer' } }, step)).rejects.toBeInstanceOf(ModelError);
  });
});
