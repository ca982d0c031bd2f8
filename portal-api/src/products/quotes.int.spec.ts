import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PortalFixture, upload } from '../testing/portal-fixture';
import { addDays, todayUtc } from './quote-dates';

/**
 * Quotes on the real stack: the repository's pricing table deployed to the
 * engine, evaluated through /v2/decision-definitions/evaluation, the factors
 * multiplied in cents and kept with the quote.
 */
describe('product catalog and quotes', () => {
  let portal: PortalFixture;
  const today = todayUtc();
  const startsOn = addDays(today, 10);
  const year = Number(startsOn.slice(0, 4));
  const bornAged = (age: number) => `${year - age}-01-01`;
  const family = [{ role: 'policyholder', birthDate: bornAged(40) }, { role: 'dependant', birthDate: bornAged(8) }];
  const plusQuote = { productCode: 'HEALTH_PLUS', startsOn, region: 'metropolitan', deductibleCents: 25_000, paymentFrequency: 'monthly', insured: family };

  beforeAll(async () => {
    portal = await PortalFixture.start('quotes');
    await portal.deployPricing();
  });

  afterAll(() => portal?.stop());

  test('the catalog is public and shows each product on the terms sold today', async () => {
    const answer = await portal.call(undefined, 'GET', '/products');
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((p: { code: string; version: number }) => [p.code, p.version])).toEqual([['HEALTH_ESSENTIAL', 1], ['HEALTH_PLUS', 2], ['HEALTH_PREMIUM', 1]]);
    const plus = answer.body.items[1];
    expect(plus).toMatchObject({ currency: 'EUR', annualLimitCents: 2_500_000, coinsurancePermille: 800, deductibleOptionsCents: [10_000, 25_000, 50_000], maxEntryAge: 70 });
    expect(plus.benefits.find((b: { careCode: string }) => b.careCode === 'SPECIALIST')).toEqual({ careCode: 'SPECIALIST', label: 'Specialist consultation', perItemLimitCents: 25_000, annualLimitCents: 250_000, waitingPeriodDays: 0, requiredDocuments: ['receipt'] });
    expect((await portal.call(undefined, 'GET', '/products/NOPE')).status).toBe(404);
  });

  test('a policy keeps the product version it was sold on, with that version\'s schedule', async () => {
    const rows = await portal.portal.dataSource.query<{ number: string; version: number; same: boolean }[]>(`
      SELECT p.number, v.version,
             NOT EXISTS (SELECT 1 FROM policy_benefit pb LEFT JOIN product_benefit b ON b.product_version_id = v.id AND b.care_code = pb.care_code
                         WHERE pb.policy_id = p.id AND (b.id IS NULL OR round(pb.per_item_limit * 100) <> b.per_item_limit_cents OR round(pb.annual_limit * 100) <> b.annual_limit_cents OR pb.waiting_period_days <> b.waiting_period_days)) AS same
        FROM policy p JOIN product_version v ON v.id = p.product_version_id ORDER BY p.number`);
    // Alice's Health Plus was sold on version 1: version 2's higher specialist limit is not hers.
    expect(rows).toEqual([
      { number: 'POL-090017', version: 1, same: true },
      { number: 'POL-100001', version: 1, same: true },
      { number: 'POL-100002', version: 1, same: true },
      { number: 'POL-100003', version: 1, same: true },
    ]);
    const specialist = await portal.portal.dataSource.query<{ version: number; cents: string }[]>(`
      SELECT v.version, b.per_item_limit_cents AS cents FROM product_benefit b JOIN product_version v ON v.id = b.product_version_id JOIN product p ON p.id = v.product_id
       WHERE p.code = 'HEALTH_PLUS' AND b.care_code = 'SPECIALIST' ORDER BY v.version`);
    expect(specialist).toEqual([{ version: 1, cents: '20000' }, { version: 2, cents: '25000' }]);
  });

  test('a quote gives the price per instalment and per year, what each factor did, and a validity date', async () => {
    const answer = await portal.call('alice', 'POST', '/quotes', { json: plusQuote });
    expect(answer.status).toBe(201);
    // By hand: 2 × 1,080.00 base; age 40 × 1.000 and age 8 × 0.450 → 1,566.00; metropolitan × 1.15 → 1,800.90;
    // one dependant × 0.970 → 1,746.873 → 1,746.87; deductible 250 × 0.95 → 1,659.5265 → 1,659.53;
    // monthly × 1.04 → 1,725.9112 → 1,725.91; / 12 = 143.8258 → 143.83 a month, 1,725.96 a year.
    expect(answer.body).toMatchObject({
      startsOn,
      region: 'metropolitan',
      deductibleCents: 25_000,
      paymentFrequency: 'monthly',
      periodsPerYear: 12,
      currency: 'EUR',
      periodPremiumCents: 14_383,
      yearlyPremiumCents: 172_596,
      validUntil: addDays(today, 30),
      valid: true,
      insured: [{ role: 'policyholder', birthDate: bornAged(40), age: 40 }, { role: 'dependant', birthDate: bornAged(8), age: 8 }],
      product: { code: 'HEALTH_PLUS', version: 2 },
    });
    expect(answer.body.breakdown).toEqual([
      { factor: 'base', label: 'Health Plus base premium', permille: null, changeCents: 216_000, subtotalCents: 216_000 },
      { factor: 'age', label: 'Age 36 to 45; Age 0 to 17', permille: null, changeCents: -59_400, subtotalCents: 156_600 },
      { factor: 'region', label: 'Metropolitan area', permille: 1150, changeCents: 23_490, subtotalCents: 180_090 },
      { factor: 'dependants', label: '1 dependant: 3 % family discount', permille: 970, changeCents: -5_403, subtotalCents: 174_687 },
      { factor: 'deductible', label: 'Deductible 250.00 a year: 5 % off', permille: 950, changeCents: -8_734, subtotalCents: 165_953 },
      { factor: 'frequency', label: 'Paid monthly: 4 % instalment charge', permille: 1040, changeCents: 6_643, subtotalCents: 172_596 },
    ]);
    const again = await portal.call('alice', 'GET', `/quotes/${answer.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answer.body);
    const [audit] = await portal.portal.dataSource.query<{ action: string; actor_name: string }[]>('SELECT action, actor_name FROM audit_entry WHERE entity_id = $1', [answer.body.id]);
    expect(audit).toEqual({ action: 'quote.created', actor_name: 'alice' });
  });

  test('a quote is its owner\'s alone', async () => {
    const mine = (await portal.call('alice', 'POST', '/quotes', { json: plusQuote })).body.id as string;
    expect((await portal.call('bruno', 'GET', `/quotes/${mine}`)).status).toBe(404);
    expect((await portal.call('bruno', 'GET', '/quotes')).body.items.map((q: { id: string }) => q.id)).not.toContain(mine);
    expect((await portal.call('alice', 'GET', '/quotes')).body.items.map((q: { id: string }) => q.id)).toContain(mine);
    expect((await portal.call('adam', 'GET', `/quotes/${mine}`)).status).toBe(403);
  });

  test('two products side by side, each with its own deductible, and their schedules row by row', async () => {
    const answer = await portal.call('bruno', 'POST', '/quotes/comparison', {
      json: { startsOn, region: 'rural', paymentFrequency: 'yearly', insured: [{ role: 'policyholder', birthDate: bornAged(30) }], products: [{ productCode: 'HEALTH_ESSENTIAL', deductibleCents: 50_000 }, { productCode: 'HEALTH_PREMIUM', deductibleCents: 0 }] },
    });
    expect(answer.status).toBe(201);
    // Essential: 600.00 × 0.900 (26-35) → 540.00 × 0.900 rural → 486.00 × 0.920 → 447.12. Premium: 1,650.00 × 0.9 × 0.9 → 1,336.50.
    expect(answer.body.quotes.map((q: { product: { code: string }; yearlyPremiumCents: number; periodPremiumCents: number }) => [q.product.code, q.yearlyPremiumCents, q.periodPremiumCents])).toEqual([
      ['HEALTH_ESSENTIAL', 44_712, 44_712],
      ['HEALTH_PREMIUM', 133_650, 133_650],
    ]);
    const dental = answer.body.benefits.find((b: { careCode: string }) => b.careCode === 'DENTAL');
    expect(dental).toEqual({ careCode: 'DENTAL', label: 'Dental care', offers: [null, { perItemLimitCents: 80_000, annualLimitCents: 250_000, waitingPeriodDays: 90 }] });
    for (const quote of answer.body.quotes) expect((await portal.call('bruno', 'GET', `/quotes/${quote.id}`)).status).toBe(200);
  });

  test('what the product or the pricing table does not offer is refused, naming the field', async () => {
    const before = await portal.count('quote');
    const refused = async (body: unknown, url = '/quotes') => {
      const answer = await portal.call('alice', 'POST', url, { json: body });
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      return answer.body.errors;
    };
    expect(await refused({ ...plusQuote, deductibleCents: 20_000 })).toEqual([{ name: 'deductibleCents', reason: 'must be one of 10000, 25000, 50000 for Health Plus' }]);
    expect(await refused({ ...plusQuote, region: 'moon' })).toEqual([{ name: 'region', reason: 'is not a region we price' }]);
    expect(await refused({ ...plusQuote, insured: [{ role: 'policyholder', birthDate: bornAged(71) }] })).toEqual([{ name: 'insured[0].birthDate', reason: `makes 71 on ${startsOn}; Health Plus takes people up to 70` }]);
    expect(await refused({ ...plusQuote, insured: [{ role: 'dependant', birthDate: bornAged(8) }] })).toEqual([{ name: 'insured', reason: 'must name exactly one policyholder' }]);
    expect(await refused({ ...plusQuote, productCode: 'HEALTH_GOLD' })).toEqual([{ name: 'productCode', reason: `is not a product we sell on ${startsOn}` }]);
    expect(await refused({ ...plusQuote, startsOn: addDays(today, -1) })).toEqual([{ name: 'startsOn', reason: 'must be today or later' }]);
    const { productCode: _code, deductibleCents: _deductible, ...terms } = plusQuote;
    expect(await refused({ ...terms, products: [{ productCode: 'HEALTH_PLUS', deductibleCents: 10_000 }, { productCode: 'HEALTH_ESSENTIAL', deductibleCents: 10_000 }] }, '/quotes/comparison')).toEqual([{ name: 'products[1].deductibleCents', reason: 'must be one of 25000, 50000, 100000 for Health Essential' }]);
    expect(await portal.count('quote')).toBe(before);
  });

  test('the price follows the pricing table the analyst lints and deploys; a misspelt variable is refused; a quote keeps the price it was given', async () => {
    const before = (await portal.call('alice', 'POST', '/quotes', { json: plusQuote })).body;
    const xml = (await readFile(path.join(__dirname, '..', '..', '..', 'bpmn', 'premium-pricing.dmn'), 'utf8')).replace('<text>1150</text>', '<text>1200</text>');
    // The analyst's way, as the modeler sends it: lint (clean: every variable one the portal passes), then deploy.
    const linted = await portal.call('anna', 'POST', '/deployments/lint', { form: upload(new FormData(), 'resources', Buffer.from(xml), 'premium-pricing.dmn') });
    expect(linted.status).toBe(200);
    expect(linted.body.problems).toEqual([]);
    const mistyped = xml.replace('<text>region</text>', '<text>regoin</text>');
    const refused = await portal.call('anna', 'POST', '/deployments', { form: upload(new FormData(), 'resources', Buffer.from(mistyped), 'premium-pricing.dmn') });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'premium-pricing.dmn#premiumRegion-region', reason: expect.stringMatching(/regoin.*unknown-variable/) })]);
    expect((await portal.call('anna', 'POST', '/deployments', { form: upload(new FormData(), 'resources', Buffer.from(xml), 'premium-pricing.dmn') })).status).toBe(201);
    const after = (await portal.call('alice', 'POST', '/quotes', { json: plusQuote })).body;
    expect(after.breakdown[2]).toMatchObject({ factor: 'region', permille: 1200, subtotalCents: 187_920 });
    expect(after.yearlyPremiumCents).toBeGreaterThan(before.yearlyPremiumCents);
    expect((await portal.call('alice', 'GET', `/quotes/${before.id}`)).body.yearlyPremiumCents).toBe(172_596);
    const versions = await portal.portal.dataSource.query<{ v: number }[]>(`SELECT (pricing->>'decisionDefinitionVersion')::int AS v FROM quote WHERE id = ANY($1) ORDER BY created_at`, [[before.id, after.id]]);
    expect(versions.map((r) => r.v)).toEqual([1, 2]);
  });

  test('a pricing table giving a fraction of a thousandth is the table\'s fault, not the client\'s: 500 naming it, no quote kept', async () => {
    const good = await readFile(path.join(__dirname, '..', '..', '..', 'bpmn', 'premium-pricing.dmn'), 'utf8');
    await portal.deployPricing(good.replace('<text>1150</text>', '<text>1150.5</text>'));
    const before = await portal.count('quote');
    const answer = await portal.call('alice', 'POST', '/quotes', { json: plusQuote });
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toBe("The pricing decision's region factor is 1150.5, not a whole number from 0 to 10000.");
    expect(await portal.count('quote')).toBe(before);
    await portal.deployPricing(good);
    expect((await portal.call('alice', 'POST', '/quotes', { json: plusQuote })).body.yearlyPremiumCents).toBe(172_596);
  });

  // Last: it takes the catalog away and brings it back empty.
  test('the catalog migration goes down and up again', async () => {
    const { dataSource } = portal.portal;
    const tables = async () => (await dataSource.query<{ t: string }[]>(`SELECT table_name AS t FROM information_schema.tables WHERE table_name IN ('product', 'product_version', 'product_benefit', 'quote') ORDER BY 1`)).map((r) => r.t);
    expect(await tables()).toEqual(['product', 'product_benefit', 'product_version', 'quote']);
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration ORDER BY id')).map((r) => r.name);
    while ((await applied()).includes('ProductCatalog1764720000000')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await dataSource.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'policy' AND column_name = 'product_version_id'`)).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(['product', 'product_benefit', 'product_version', 'quote']);
  });
});
