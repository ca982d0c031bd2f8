import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { dataSourceOptions, migrate } from '../database/data-source';
import { currentInteractions, type Interaction, InteractionsService } from './interactions.service';

/**
 * The interaction log on a real PostgreSQL: written in the caller's
 * transaction, once per idempotency key under concurrency, append-only
 * (corrections are new rows, audited on the original's stream), and links
 * only to the customer's own claims and policies. The migration goes down and
 * up again.
 */
describe('InteractionsService', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let audit: AuditLog;
  let service: InteractionsService;
  const carla = { subject: 'carla-sub', username: 'carla' };

  beforeAll(async () => {
    database = await createTestDatabase('customer-interactions');
    dataSource = await new DataSource(dataSourceOptions(database.url, 8)).initialize();
    await migrate(dataSource);
    audit = new AuditLog(dataSource);
    service = new InteractionsService(dataSource, audit);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  let customers = 0;
  const newCustomer = async () => {
    customers += 1;
    const [row] = await dataSource.query<{ id: string }[]>(`INSERT INTO customer (subject, full_name, email) VALUES ($1, 'Ana Client', 'ana@example.com') RETURNING id`, [`subject-${customers}`]);
    return row!.id;
  };
  const call = (customerId: string, extra: Partial<Parameters<InteractionsService['log']>[2]> = {}) => ({ customerId, channel: 'call' as const, direction: 'in' as const, summary: 'Asked about a refund', ...extra });

  test('commits with the caller’s transaction, or not at all', async () => {
    const customerId = await newCustomer();
    await expect(
      dataSource.transaction(async (manager) => {
        await service.log(manager, carla, call(customerId));
        throw new Error('the caller’s own write failed');
      }),
    ).rejects.toThrow('the caller’s own write failed');
    expect(await service.current(dataSource.manager, customerId)).toEqual([]);
    const { interaction } = await service.logAlone(carla, call(customerId, { notes: 'sounded worried' }));
    expect(await service.current(dataSource.manager, customerId)).toMatchObject([{ id: interaction.id, notes: 'sounded worried', agent: 'carla', corrected: false }]);
  });

  test('writes one row per idempotency key when the same contact is logged twelve times at once', async () => {
    const customerId = await newCustomer();
    const results = await Promise.all(Array.from({ length: 12 }, () => service.logAlone(carla, call(customerId, { idempotencyKey: 'mail-<abc@example.com>' }))));
    expect(new Set(results.map((r) => r.interaction.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const [{ n }] = (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM customer_interaction WHERE customer_id = $1', [customerId])) as [{ n: number }];
    expect(n).toBe(1);
    const [{ entries }] = (await dataSource.query<{ entries: number }[]>(`SELECT count(*)::int AS entries FROM audit_entry WHERE stream = $1`, [`interaction:${results[0]!.interaction.id}`])) as [{ entries: number }];
    expect(entries).toBe(1);
  });

  test('answers a reused key with the first row only when the contact is the same, and refuses any other (against a field-by-field model)', async () => {
    const contact = fc.record({
      channel: fc.constantFrom('call' as const, 'email' as const),
      direction: fc.constantFrom('in' as const, 'out' as const),
      summary: fc.constantFrom('Asked about a refund', 'Asked about a bill'),
      notes: fc.constantFrom(undefined, null, 'worried'),
      outcome: fc.constantFrom(undefined, 'Answered'),
      occurredAt: fc.constantFrom(undefined, new Date('2026-06-01T10:00:00Z'), new Date('2026-06-01T11:00:00Z')),
    });
    await fc.assert(
      fc.asyncProperty(contact, contact, async (first, second) => {
        const customerId = await newCustomer();
        const logged = await service.logAlone(carla, { ...first, customerId, idempotencyKey: 'reused' });
        // The model: the same contact when every field the request gives matches the first (absent and null alike; no time given matches any).
        const same = first.channel === second.channel && first.direction === second.direction && first.summary === second.summary && (first.notes ?? null) === (second.notes ?? null) && first.outcome === second.outcome && (second.occurredAt === undefined || logged.interaction.occurredAt.getTime() === second.occurredAt.getTime());
        const retried = service.logAlone(carla, { ...second, customerId, idempotencyKey: 'reused' });
        if (same) expect(await retried).toEqual({ interaction: logged.interaction, replayed: true });
        else await expect(retried).rejects.toMatchObject({ status: 422, errors: [{ name: 'Idempotency-Key' }] });
        const [{ n }] = await dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM customer_interaction WHERE customer_id = $1', [customerId]);
        expect(n).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  test('is append-only: a correction is a new row on the original’s audit stream, and the database refuses changes', async () => {
    const customerId = await newCustomer();
    const { interaction: first } = await service.logAlone(carla, call(customerId, { outcome: 'answered' }));
    const { interaction: second } = await service.logAlone({ subject: 'maria-sub', username: 'maria' }, call(customerId, { outcome: 'refund promised', correctsId: first.id, occurredAt: first.occurredAt }));
    await service.logAlone(carla, call(customerId, { outcome: 'refund promised by Friday', correctsId: second.id, occurredAt: first.occurredAt }));
    const current = await service.current(dataSource.manager, customerId);
    expect(current).toMatchObject([{ id: first.id, outcome: 'refund promised by Friday', corrected: true }]);
    const entries = await dataSource.query<{ action: string; actor_name: string }[]>(`SELECT action, actor_name FROM audit_entry WHERE stream = $1 ORDER BY seq`, [`interaction:${first.id}`]);
    expect(entries).toEqual([
      { action: 'interaction.logged', actor_name: 'carla' },
      { action: 'interaction.corrected', actor_name: 'maria' },
      { action: 'interaction.corrected', actor_name: 'carla' },
    ]);
    expect((await audit.verifyChain()).valid).toBe(true);
    await expect(dataSource.query(`UPDATE customer_interaction SET summary = 'changed' WHERE id = $1`, [first.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM customer_interaction WHERE id = $1`, [first.id])).rejects.toThrow(/append-only/);
  });

  test('links only the customer’s own claims, policies and interactions', async () => {
    const customerId = await newCustomer();
    const other = await newCustomer();
    const { interaction: theirs } = await service.logAlone(carla, call(other));
    await expect(service.logAlone(carla, call(customerId, { correctsId: theirs.id }))).rejects.toMatchObject({ errors: [{ name: 'correctsId' }] });
    await expect(service.logAlone(carla, call(customerId, { policyId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({ errors: [{ name: 'policyId' }] });
    await expect(service.logAlone(carla, call(customerId, { claimId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({ errors: [{ name: 'claimId' }] });
    await expect(service.logAlone(carla, call('00000000-0000-4000-8000-000000000000'))).rejects.toMatchObject({ status: 404 });
    await expect(dataSource.query(`INSERT INTO customer_interaction (customer_id, channel, direction, summary, agent_subject, agent_name, occurred_at) VALUES ($1, 'pigeon', 'in', 'x', 's', 'a', now())`, [customerId])).rejects.toThrow(/channel/);
  });

  test('folds any chain of corrections into its latest content (against a model of the chains)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 30 }), (steps) => {
        const rows: Interaction[] = [];
        // The model: each chain is the list of its rows' summaries.
        const chains: { id: string; at: number; summaries: string[] }[] = [];
        steps.forEach(([pick, correct], i) => {
          const target = correct && rows.length ? rows[pick % rows.length]! : undefined;
          const row: Interaction = { id: `i${String(i).padStart(3, '0')}`, customerId: 'c', channel: 'call', direction: 'in', summary: `s${i}`, notes: null, outcome: null, claimId: null, policyId: null, agent: 'carla', occurredAt: new Date(1_000 * (pick % 7)), createdAt: new Date(i), correctsId: target?.id ?? null };
          rows.push(row);
          if (!target) chains.push({ id: row.id, at: row.occurredAt.getTime(), summaries: [row.summary] });
          else chains.find((c) => c.summaries.includes(target.summary))!.summaries.push(row.summary);
        });
        const expected = chains.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((c) => ({ id: c.id, summary: c.summaries.at(-1) }));
        expect(currentInteractions(rows).map((r) => ({ id: r.id, summary: r.summary }))).toEqual(expected);
      }),
    );
  });

  test('the migration goes down and up again', async () => {
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);
    while ((await applied()).includes('CustomerService1765000000020')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.query(`SELECT tablename FROM pg_tables WHERE tablename IN ('customer_interaction', 'follow_up')`)).toEqual([]);
    expect(await migrate(dataSource)).toContain('CustomerService1765000000020');
    expect((await dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE tablename IN ('customer_interaction', 'follow_up') ORDER BY 1`)).map((r) => r.tablename)).toEqual(['customer_interaction', 'follow_up']);
  });
});
