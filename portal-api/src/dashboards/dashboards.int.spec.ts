import ExcelJS from 'exceljs';
import { PortalFixture } from '../testing/portal-fixture';
import { ESTIMATE_MIN_CLAIMS } from './payment-date-estimate';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** percentile_cont as the SQL standard defines it (linear between the two nearest ranks): the reference the figures are checked against. */
function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = share * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (rank - low);
}

interface Seeded {
  status: string;
  route: string | null;
  /** When it was sent, in ms before now. */
  sentAgo: number;
  /** Its status changes after submission: [status, ms before now]. */
  history?: [string, number][];
  flagged?: boolean;
  payoutAmount?: string;
}

/**
 * The managers' report and the client's payment date estimate, over claims
 * whose history is written as the workers leave it (no process runs): every
 * figure is checked against one computed here from the same seeded history.
 */
describe('claims dashboard', () => {
  let portal: PortalFixture;
  let template: string;
  let now: number;
  const seeded = new Map<string, Seeded>();
  const ids: Record<string, string> = {};

  async function seed(name: string, claim: Seeded): Promise<string> {
    const db = portal.portal.dataSource;
    const sentAt = new Date(now - claim.sentAgo);
    const [{ id }] = await db.query<[{ id: string }]>(
      `INSERT INTO claim (reference, customer_id, policy_id, status, route, currency, total_claimed, request_hash, submitted_at, fraud_score, fraud_flags, version)
       SELECT 'CLM-T-' || nextval('claim_reference_seq'), customer_id, policy_id, $2, $3, currency, 50, 'seeded', $4, $5, $6, 1 FROM claim WHERE id = $1 RETURNING id`,
      [template, claim.status, claim.route, sentAt, claim.sentAgo < 31 * DAY ? (claim.flagged ? 400 : 0) : null, JSON.stringify(claim.flagged ? [{ rule: 'R', reason: 'r', weight: 400 }] : [])],
    );
    const history: [string, number][] = [['received', claim.sentAgo], ...(claim.history ?? [])];
    for (const [status, ago] of history) {
      await db.query(`INSERT INTO claim_event (claim_id, at, kind, status, message, visible_to_client, actor) VALUES ($1, $2, 'status-changed', $3, 'seeded', true, 'seed')`, [id, new Date(now - ago), status]);
    }
    if (claim.payoutAmount) {
      const paidAgo = history.find(([status]) => status === 'paid')![1];
      await db.query(`INSERT INTO payout (claim_id, attempt_key, attempt, amount, currency, status, account_hint, updated_at) VALUES ($1, $2, 1, $3, 'EUR', 'paid', '0189', $4)`, [id, `claim:${id}:payout:1`, claim.payoutAmount, new Date(now - paidAgo)]);
    }
    seeded.set(id, claim);
    ids[name] = id;
    return id;
  }

  async function taskCommand(key: string, kind: string, actor: string, elementId: string, settledAgo: number, claimId: string) {
    await portal.portal.dataSource.query(
      `INSERT INTO user_task_command (user_task_key, kind, actor_subject, actor_name, audit_action, audit_details, claim_id, state, settled_at) VALUES ($1, $2, $3, $3, 'task.' || $2, $4, $5, 'done', $6)`,
      [key, kind, actor, JSON.stringify({ elementId }), claimId, new Date(now - settledAgo)],
    );
  }

  beforeAll(async () => {
    portal = await PortalFixture.start('dashboards');
    const policyId = ((await portal.call('alice', 'GET', '/me/policies')).body.items as { id: string; status: string }[]).find((p) => p.status === 'active')!.id;
    template = (await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } })).body.id;
    now = Date.now();
    // In the last 30 days: three paid, one declined after a short review, one with nothing payable, two still open.
    await seed('fast', { status: 'paid', route: 'straight-through', sentAgo: 10 * DAY, history: [['approved', 9 * DAY], ['paid', 8 * DAY]], payoutAmount: '10.10' });
    await seed('slow', { status: 'paid', route: 'straight-through', sentAgo: 12 * DAY, history: [['paid', 6 * DAY]], payoutAmount: '20.05' });
    // Four days in review against a two-day service level: a breach.
    await seed('reviewed', { status: 'paid', route: 'review', sentAgo: 20 * DAY, history: [['in-review', 19 * DAY], ['awaiting-approval', 15 * DAY], ['paid', 14 * DAY]], flagged: true, payoutAmount: '0.01' });
    await seed('declined', { status: 'rejected', route: 'review', sentAgo: 9 * DAY, history: [['in-review', 9 * DAY - 12 * HOUR], ['rejected', 8 * DAY]] });
    await seed('nothing', { status: 'closed-nothing-payable', route: 'straight-through', sentAgo: 5 * DAY, history: [['closed-nothing-payable', 4 * DAY]] });
    await seed('waiting', { status: 'in-review', route: 'review', sentAgo: 3 * DAY + HOUR, history: [['in-review', 3 * DAY]] });
    await seed('investigated', { status: 'investigating', route: 'investigation', sentAgo: DAY, history: [['investigating', DAY - HOUR]], flagged: true });
    // Before the range: paid claims of the investigation route, which the estimate measures (half-day durations, so none ties with a wait).
    for (let i = 1; i <= 14; i++) await seed(`past-${i}`, { status: 'paid', route: 'investigation', sentAgo: 60 * DAY, history: [['paid', 60 * DAY - (i + 0.5) * DAY]] });
    // Work through the portal: Adam completed one assessment and holds another; Amelia handed hers back; Maria approved one.
    await taskCommand('t1', 'assign', 'adam', 'assess-claim', 6 * DAY, ids.reviewed!);
    await taskCommand('t1', 'complete', 'adam', 'assess-claim', 5 * DAY, ids.reviewed!);
    await taskCommand('t2', 'assign', 'adam', 'assess-claim', 2 * DAY, ids.waiting!);
    await taskCommand('t3', 'assign', 'amelia', 'assess-claim', 2 * DAY, ids.declined!);
    await taskCommand('t3', 'unassign', 'amelia', 'assess-claim', DAY, ids.declined!);
    await taskCommand('t4', 'complete', 'maria', 'approve-payment', 3 * DAY, ids.reviewed!);
  });

  afterAll(() => portal?.stop());

  const report = async (query = '', who = 'maria') => {
    const answer = await portal.call(who, 'GET', `/dashboards/claims${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  /** Submission to the first of these statuses, for the seeded claims that reached it in the last 30 days. */
  function decidedDurations(route: string | null): number[] {
    return [...seeded.values()]
      .filter((claim) => claim.route === route)
      .flatMap((claim) => {
        const end = claim.history?.find(([status]) => ['paid', 'rejected', 'closed-nothing-payable'].includes(status));
        return end && end[1] < 30 * DAY ? [(claim.sentAgo - end[1]) / 1000] : [];
      });
  }

  test('turnaround by route, outcomes, fraud, payouts in cents and open incidents, over the default 30 days', async () => {
    const body = await report();
    expect(body.range.to).toBe(new Date().toISOString().slice(0, 10));
    for (const route of ['straight-through', 'review']) {
      const durations = decidedDurations(route);
      const row = body.turnaround.find((r: { route: string }) => r.route === route);
      expect(row).toEqual({ route, claims: durations.length, p50Seconds: Math.round(percentile(durations, 0.5)), p90Seconds: Math.round(percentile(durations, 0.9)) });
    }
    // The investigation route's paid claims are older than the range.
    expect(body.turnaround.map((r: { route: string }) => r.route)).toEqual(['review', 'straight-through']);
    expect(body.outcomes).toEqual({ paid: 3, nothingPayable: 1, declined: 1, abandoned: 0, decided: 5, approvalRate: 0.6, declineRate: 0.2 });
    expect(body.fraud).toEqual({ screened: 7, flagged: 2, investigated: 1, hitRate: 0.2857 });
    expect(body.payouts).toEqual([{ currency: 'EUR', count: 3, paidCents: 1010 + 2005 + 1 }]);
    expect(body.incidents).toEqual({ openClaims: 0 });
  });

  test('service-level breaches: stays longer than the task is due, and those overdue now', async () => {
    const body = await report();
    expect(body.serviceLevels).toEqual([
      { status: 'in-review', task: 'assess-claim', limitHours: 48, entered: 3, breached: 2, overdueNow: 1 },
      { status: 'investigating', task: 'investigate-claim', limitHours: 120, entered: 1, breached: 0, overdueNow: 0 },
      { status: 'awaiting-approval', task: 'approve-payment', limitHours: 24, entered: 1, breached: 0, overdueNow: 0 },
    ]);
  });

  test('workload and throughput per person and team; a task handed back is nobody\'s', async () => {
    const body = await report();
    expect(body.people).toEqual([
      { adjuster: 'adam', team: 'adjuster', openTasks: 1, completed: 1 },
      { adjuster: 'maria', team: 'manager', openTasks: 0, completed: 1 },
    ]);
    expect(body.teams).toEqual([
      { team: 'adjuster', openTasks: 1, completed: 1 },
      { team: 'manager', openTasks: 0, completed: 1 },
    ]);
    expect((await report('?team=manager')).people).toEqual([{ adjuster: 'maria', team: 'manager', openTasks: 0, completed: 1 }]);
  });

  test('filters: a route, and a range that leaves claims out', async () => {
    const review = await report('?route=review');
    expect(review.turnaround.map((r: { route: string }) => r.route)).toEqual(['review']);
    expect(review.outcomes).toMatchObject({ paid: 1, declined: 1, decided: 2 });
    expect(review.payouts).toEqual([{ currency: 'EUR', count: 1, paidCents: 1 }]);
    const day = (ago: number) => new Date(now - ago).toISOString().slice(0, 10);
    // From 7 days ago: the slow claim paid 6 days ago and the one closed with nothing payable.
    const recent = await report(`?from=${day(7 * DAY)}&to=${day(0)}`);
    expect(recent.outcomes).toMatchObject({ paid: 1, nothingPayable: 1, declined: 0, decided: 2 });
    // 70 to 40 days ago: the investigation route's paid claims.
    const older = await report(`?from=${day(70 * DAY)}&to=${day(40 * DAY)}`);
    expect(older.turnaround).toEqual([expect.objectContaining({ route: 'investigation', claims: 14 })]);
  });

  test('the PDF and the workbook carry the same figures', async () => {
    const pdf = await fetch(`${portal.baseUrl}/api/dashboards/claims.pdf`, { headers: { authorization: `Bearer ${await portal.token('marc')}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/attachment; filename="claims-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf"/);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await fetch(`${portal.baseUrl}/api/dashboards/claims.xlsx?route=review`, { headers: { authorization: `Bearer ${await portal.token('admin')}` } });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const rows = (sheet: string) => (workbook.getWorksheet(sheet)!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
    expect(rows('Outcomes')).toEqual(expect.arrayContaining([['Paid', 1], ['Declined', 1], ['Approval rate', '50.0%']]));
    expect(rows('Payouts paid')).toEqual(expect.arrayContaining([['EUR', 1, '0.01']]));
  });

  test('the client\'s claim shows an estimated payment date true to the measured durations, and none once decided', async () => {
    // Investigating for a day: of the 14 investigation claims paid in the last 90 days, those that took at least that long.
    const claim = seeded.get(ids.investigated!)!;
    const answer = await portal.call('alice', 'GET', `/claims/${ids.investigated}`);
    expect(answer.status).toBe(200);
    const waited = (Date.now() - (now - claim.sentAgo)) / 1000;
    const comparable = Array.from({ length: 14 }, (_, i) => (i + 1.5) * 86_400).filter((seconds) => seconds >= waited);
    expect(comparable.length).toBeGreaterThanOrEqual(ESTIMATE_MIN_CLAIMS);
    const expected = new Date(now - claim.sentAgo + percentile(comparable, 0.8) * 1000).toISOString().slice(0, 10);
    expect(answer.body.estimatedPayment).toEqual({ date: expected, basedOnClaims: comparable.length, windowDays: 90, percentile: 80 });
    // Paid or declined: nothing estimated.
    for (const decided of [ids.fast, ids.declined]) expect((await portal.call('alice', 'GET', `/claims/${decided}`)).body.estimatedPayment).toBeNull();
    // In review: only two review claims were paid, too few to say anything.
    expect((await portal.call('alice', 'GET', `/claims/${ids.waiting}`)).body.estimatedPayment).toBeNull();
  });

  test('bad ranges are problem+json naming the field', async () => {
    const refused = async (query: string, field: string) => {
      const answer = await portal.call('maria', 'GET', `/dashboards/claims${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((e: { name: string }) => e.name)).toEqual([field]);
    };
    await refused('?from=2026-11-30&to=2026-11-01', 'to');
    await refused('?from=2026-02-30', 'from');
    await refused('?from=2024-01-01&to=2026-01-01', 'from');
    await refused('?to=yesterday', 'to');
    await refused('?route=scenic', 'route');
    await refused('?team=janitors', 'team');
  });
});
