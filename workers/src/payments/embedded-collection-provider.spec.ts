import fc from 'fast-check';
import { type CollectionMethod, type CollectionOutcome, type CollectionRequest } from './collection-provider';
import { CARD_DECLINE_CODES, meaningOfDecline, SEPA_REASON_CODES } from './decline-codes';
import { EmbeddedCollectionProvider, TEST_CARD_TOKENS, TEST_IBANS } from './embedded-collection-provider';

const sepa = (iban: string, mandateReference = 'MNDT-2026-000042'): CollectionMethod => ({ kind: 'sepa-direct-debit', iban, accountHolder: 'Anna Client', mandateReference });
const card = (token: string): CollectionMethod => ({ kind: 'card', token });
const request = (idempotencyKey: string, method: CollectionMethod, amountCents = 12_345): CollectionRequest => ({ idempotencyKey, amountCents, currency: 'EUR', method, reference: 'Premium December 2026' });

describe('decline codes', () => {
  it('classifies the SEPA R-transaction reasons and the card decline codes soft or hard', () => {
    const kinds = (table: Record<string, { kind: string }>) => Object.fromEntries(Object.entries(table).map(([code, m]) => [code, m.kind]));
    expect(kinds(SEPA_REASON_CODES)).toEqual({
      AM04: 'soft', MS03: 'soft', AC01: 'hard', AC04: 'hard', AC06: 'hard', MD01: 'hard',
      MS02: 'hard', MD06: 'hard', MD07: 'hard', AM05: 'hard', AG01: 'hard', SL01: 'hard',
    });
    expect(kinds(CARD_DECLINE_CODES)).toEqual({
      insufficient_funds: 'soft', do_not_honor: 'soft', try_again_later: 'soft', processing_error: 'soft',
      stolen_card: 'hard', lost_card: 'hard', expired_card: 'hard', card_not_supported: 'hard',
      pickup_card: 'hard', fraudulent: 'hard', restricted_card: 'hard', security_violation: 'hard', transaction_not_allowed: 'hard',
      invalid_account: 'hard', incorrect_number: 'hard', revocation_of_authorization: 'hard', revocation_of_all_authorizations: 'hard',
      stop_payment_order: 'hard', authentication_required: 'hard',
    });
    // Unknown codes are not retried (the schemes fine retries of declines that never pass); inherited names are unknown too.
    expect(meaningOfDecline('XX99').kind).toBe('hard');
    expect(meaningOfDecline('constructor').kind).toBe('hard');
    expect(meaningOfDecline('fraudulent').reason).not.toMatch(/fraud/i);
  });

  it('never tells the client a card was reported stolen or lost', () => {
    expect(meaningOfDecline('stolen_card').reason).not.toMatch(/stolen|lost/i);
    expect(meaningOfDecline('lost_card').reason).not.toMatch(/stolen|lost/i);
  });
});

describe('EmbeddedCollectionProvider', () => {
  it('collects from a valid IBAN under a mandate and from an ordinary card token', async () => {
    const provider = new EmbeddedCollectionProvider();
    expect(await provider.collect(request('invoice:1:collection:1', sepa('DE89 3704 0044 0532 0130 00')))).toEqual({ status: 'collected', providerReference: expect.stringMatching(/^COLLECT-[0-9A-F]{16}$/) });
    expect(await provider.collect(request('invoice:2:collection:1', card('tok_visa')))).toEqual({ status: 'collected', providerReference: expect.any(String) });
    expect(provider.charges().map((c) => [c.idempotencyKey, c.method])).toEqual([['invoice:1:collection:1', 'sepa-direct-debit'], ['invoice:2:collection:1', 'card']]);
  });

  it.each(Object.entries(TEST_IBANS))('a direct debit from test IBAN %s returns with %s', async (iban, code) => {
    const outcome = await new EmbeddedCollectionProvider().collect(request('invoice:3:collection:1', sepa(iban)));
    expect(outcome).toEqual({ status: 'declined', ...meaningOfDecline(code), code });
  });

  it.each(Object.entries(TEST_CARD_TOKENS))('a charge on test token %s declines with %s', async (token, code) => {
    const outcome = await new EmbeddedCollectionProvider().collect(request('invoice:4:collection:1', card(token)));
    expect(outcome).toEqual({ status: 'declined', ...meaningOfDecline(code), code });
  });

  it('refuses for good an IBAN that fails its checksum (AC01) and a debit without a mandate (MD01)', async () => {
    const provider = new EmbeddedCollectionProvider();
    expect(await provider.collect(request('invoice:5:collection:1', sepa('DE89370400440532013001')))).toMatchObject({ status: 'declined', kind: 'hard', code: 'AC01' });
    expect(await provider.collect(request('invoice:5:collection:2', sepa('DE89370400440532013000', '  ')))).toMatchObject({ status: 'declined', kind: 'hard', code: 'MD01' });
  });

  it('declines the next N new attempts when told to, then collects; repeats of a key do not use one up', async () => {
    const provider = new EmbeddedCollectionProvider();
    provider.declineNext(2, 'AM04');
    const method = sepa('DE89370400440532013000');
    expect(await provider.collect(request('invoice:6:collection:1', method))).toMatchObject({ status: 'declined', kind: 'soft', code: 'AM04' });
    expect(await provider.collect(request('invoice:6:collection:1', method))).toMatchObject({ status: 'declined', code: 'AM04' }); // a replay, same answer
    expect(await provider.collect(request('invoice:6:collection:2', method))).toMatchObject({ status: 'declined', code: 'AM04' });
    expect(await provider.collect(request('invoice:6:collection:3', method))).toMatchObject({ status: 'collected' });
    expect(provider.charges()).toHaveLength(3);
    provider.declineNext(1, 'expired_card');
    expect(await provider.collect(request('invoice:7:collection:1', card('tok_visa')))).toMatchObject({ status: 'declined', kind: 'hard', code: 'expired_card' });
    expect(() => provider.declineNext(-1)).toThrow(RangeError);
  });

  it('charges once for many parallel calls with one key, all getting the same answer', async () => {
    const provider = new EmbeddedCollectionProvider(20);
    const answers = await Promise.all(Array.from({ length: 25 }, () => provider.collect(request('invoice:8:collection:1', card('tok_visa')))));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.status).toBe('collected');
    expect(provider.charges()).toHaveLength(1);
  });

  it('refuses a repeat of a key for another amount, method or reference, and amounts that are not positive whole cents', async () => {
    const provider = new EmbeddedCollectionProvider();
    await provider.collect(request('invoice:9:collection:1', card('tok_visa'), 5_000));
    await expect(provider.collect(request('invoice:9:collection:1', card('tok_visa'), 5_001))).rejects.toThrow(/already made for 5000 EUR/);
    // A key reused after the client changed the card must not answer the old card's outcome.
    await expect(provider.collect(request('invoice:9:collection:1', card('tok_mastercard'), 5_000))).rejects.toThrow(/differs is refused/);
    await expect(provider.collect({ ...request('invoice:9:collection:1', card('tok_visa'), 5_000), reference: 'Premium January 2027' })).rejects.toThrow(/differs is refused/);
    expect(await provider.collect(request('invoice:9:collection:1', card('tok_visa'), 5_000))).toMatchObject({ status: 'collected' });
    await expect(provider.collect(request('invoice:10:collection:1', card('tok_visa'), 0))).rejects.toThrow(RangeError);
    await expect(provider.collect(request('invoice:10:collection:1', card('tok_visa'), 10.5))).rejects.toThrow(RangeError);
    expect(provider.charges()).toHaveLength(1);
  });

  // Reference: what the method alone decides, and that a key is charged at most once, whatever the order and overlap of calls.
  it('matches a reference model over random interleavings of replayed and parallel calls', async () => {
    const methods: readonly CollectionMethod[] = [sepa('DE89370400440532013000'), sepa('DE08370400440532013003'), sepa('DE62370400440532013001'), card('tok_visa'), card('tok_chargeDeclinedStolenCard'), card('tok_chargeDeclinedInsufficientFunds')];
    const expected = (method: CollectionMethod): Pick<CollectionOutcome, 'status'> & { code?: string } => {
      if (method.kind === 'card') return method.token === 'tok_visa' ? { status: 'collected' } : { status: 'declined', code: method.token === 'tok_chargeDeclinedStolenCard' ? 'stolen_card' : 'insufficient_funds' };
      return method.iban.endsWith('000') ? { status: 'collected' } : { status: 'declined', code: method.iban.endsWith('003') ? 'AC04' : 'AM04' };
    };
    const call = fc.record({ invoice: fc.integer({ min: 1, max: 6 }), attempt: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(call, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), async (batches) => {
        const provider = new EmbeddedCollectionProvider(1);
        const answers = new Map<string, string>();
        for (const batch of batches) {
          const results = await Promise.all(batch.map(({ invoice, attempt }) => {
            const key = `invoice:${invoice}:collection:${attempt}`;
            return provider.collect(request(key, methods[invoice - 1]!, invoice * 1_000)).then((outcome) => ({ key, invoice, outcome }));
          }));
          for (const { key, invoice, outcome } of results) {
            const want = expected(methods[invoice - 1]!);
            expect(outcome.status).toBe(want.status);
            if (outcome.status === 'declined') expect(outcome.code).toBe(want.code);
            const seen = answers.get(key);
            if (seen) expect(JSON.stringify(outcome)).toBe(seen);
            answers.set(key, JSON.stringify(outcome));
          }
        }
        const keys = provider.charges().map((c) => c.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(answers.keys()));
      }),
      { numRuns: 60 },
    );
  });
});
