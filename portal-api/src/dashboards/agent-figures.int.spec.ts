import { PortalFixture } from '../testing/portal-fixture';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * The customer-service figures over a history seeded as the portal records
 * it (claims, their status events, staff task commands, the mailbox queue,
 * answered surveys), checked against values worked out by hand below.
 */
describe('agent figures on the dashboards', () => {
  let portal: PortalFixture;
  let template: string;
  /** 08:00 UTC thirty days ago: every seeded event is within four days after it, away from the demo data. */
  let base: number;
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);

  async function claim(status: string, sentAt: number, decided?: [string, number]): Promise<string> {
    const db = portal.portal.dataSource;
    const [{ id }] = await db.query<[{ id: string }]>(
      `INSERT INTO claim (reference, customer_id, policy_id, status, currency, total_claimed, request_hash, submitted_at, version)
       SELECT 'CLM-T-' || nextval('claim_reference_seq'), customer_id, policy_id, $2, currency, 50, 'seeded', $3, 1 FROM claim WHERE id = $1 RETURNING id`,
      [template, status, new Date(sentAt)],
    );
    await db.query(`INSERT INTO claim_event (claim_id, at, kind, status, message, visible_to_client, actor) VALUES ($1, $2, 'status-changed', 'received', 'seeded', true, 'seed')`, [id, new Date(sentAt)]);
    if (decided) await db.query(`INSERT INTO claim_event (claim_id, at, kind, status, message, visible_to_client, actor) VALUES ($1, $2, 'status-changed', $3, 'seeded', true, 'seed')`, [id, new Date(decided[1]), decided[0]]);
    return id;
  }

  let key = 0;
  async function command(kind: string, actor: string, elementId: string, at: number, claimId: string) {
    await portal.portal.dataSource.query(
      `INSERT INTO user_task_command (user_task_key, kind, actor_subject, actor_name, audit_action, audit_details, claim_id, state, settled_at) VALUES ($1, $2, $3, $3, 'task.' || $2, $4, $5, 'done', $6)`,
      [`k${(key += 1)}`, kind, actor, JSON.stringify({ elementId }), claimId, new Date(at)],
    );
  }

  async function survey(claimId: string, agent: string | null, team: string | null, score: number, answeredAt: number) {
    await portal.portal.dataSource.query(
      `INSERT INTO satisfaction_survey (claim_id, customer_id, agent, team, created_at, expires_at, answered_at, score) SELECT id, customer_id, $2, $3, $5, $5::timestamptz + interval '30 days', $5, $4 FROM claim WHERE id = $1`,
      [claimId, agent, team, score, new Date(answeredAt)],
    );
  }

  beforeAll(async () => {
    portal = await PortalFixture.start('agent-figures');
    const policyId = ((await portal.call('alice', 'GET', '/me/policies')).body.items as { id: string; status: string }[]).find((p) => p.status === 'active')!.id;
    template = (await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } })).body.id;
    const midnight = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();
    base = midnight - 30 * DAY + 8 * HOUR;

    // A: sent at base; Adam claims it 60 min later and completes it; rejected 24 h after it was sent.
    const a = await claim('rejected', base, ['rejected', base + 24 * HOUR]);
    await command('assign', 'adam', 'assess-claim', base + 60 * MINUTE, a);
    await command('complete', 'adam', 'assess-claim', base + 5 * HOUR, a);
    // B: sent at base + 1 day; Amelia claims it 180 min later and assesses it, Maria approves it; paid 36 h after it was sent.
    const b = await claim('paid', base + DAY, ['paid', base + DAY + 36 * HOUR]);
    await command('assign', 'amelia', 'assess-claim', base + DAY + 180 * MINUTE, b);
    await command('complete', 'amelia', 'assess-claim', base + DAY + 6 * HOUR, b);
    await command('complete', 'maria', 'approve-payment', base + DAY + 30 * HOUR, b);
    // C: straight through, paid 2 h after it was sent, no staff action.
    await claim('paid', base + 2 * DAY, ['paid', base + 2 * DAY + 2 * HOUR]);
    // D: long before the range, with work and a survey that must not count.
    const d = await claim('paid', base - 20 * DAY, ['paid', base - 19 * DAY]);
    await command('assign', 'adam', 'assess-claim', base - 20 * DAY + MINUTE, d);
    await survey(d, 'adam', 'adjuster', 1, base - 18 * DAY);
    // A mail Carla filed 30 min after it came in; one still waiting (no response yet: not counted).
    await portal.portal.dataSource.query(
      `INSERT INTO intake_email (message_id, from_address, subject, received_at, size_bytes, status, queue_reason, resolved_by, resolved_team, resolved_at, dismiss_reason)
       VALUES ('m1@test', 'x@example.com', 'Spam', $1, 10, 'dismissed', NULL, 'carla', 'call-center', $2, 'Not for us.'),
              ('m2@test', 'y@example.com', 'Waiting', $1, 10, 'queued', 'unknown-sender', NULL, NULL, NULL, NULL)`,
      [new Date(base + 3 * DAY), new Date(base + 3 * DAY + 30 * MINUTE)],
    );
    await survey(a, 'adam', 'adjuster', 5, base + 2 * DAY);
    await survey(b, 'maria', 'manager', 3, base + 3 * DAY);
  });

  afterAll(() => portal?.stop());

  const figures = async (query: string) => {
    const answer = await portal.call('marc', 'GET', `/dashboards/agents${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  test('per agent, per team and overall, with the targets', async () => {
    const body = await figures(`?from=${day(base - 5 * DAY)}&to=${day(base + 5 * DAY)}`);
    expect(body.targets).toEqual({ satisfactionAbove: 4.5, firstResponseHours: 2 });
    // First responses 60, 180 (claims) and 30 (mail) minutes; resolutions 24, 36 and 2 hours; scores 5 and 3.
    expect(body.overall).toEqual({
      firstResponse: { count: 3, averageMinutes: 90, withinTarget: 2 },
      resolution: { count: 3, averageHours: 20.7 },
      satisfaction: { count: 2, average: 4 },
    });
    const none = { count: 0, averageMinutes: null, withinTarget: 0 };
    expect(body.agents).toEqual([
      { agent: 'adam', team: 'adjuster', firstResponse: { count: 1, averageMinutes: 60, withinTarget: 1 }, resolution: { count: 1, averageHours: 24 }, satisfaction: { count: 1, average: 5 } },
      { agent: 'amelia', team: 'adjuster', firstResponse: { count: 1, averageMinutes: 180, withinTarget: 0 }, resolution: { count: 0, averageHours: null }, satisfaction: { count: 0, average: null } },
      { agent: 'carla', team: 'call-center', firstResponse: { count: 1, averageMinutes: 30, withinTarget: 1 }, resolution: { count: 0, averageHours: null }, satisfaction: { count: 0, average: null } },
      { agent: 'maria', team: 'manager', firstResponse: none, resolution: { count: 1, averageHours: 36 }, satisfaction: { count: 1, average: 3 } },
    ]);
    expect(body.teams).toEqual([
      { team: 'adjuster', firstResponse: { count: 2, averageMinutes: 120, withinTarget: 1 }, resolution: { count: 1, averageHours: 24 }, satisfaction: { count: 1, average: 5 } },
      { team: 'call-center', firstResponse: { count: 1, averageMinutes: 30, withinTarget: 1 }, resolution: { count: 0, averageHours: null }, satisfaction: { count: 0, average: null } },
      { team: 'manager', firstResponse: none, resolution: { count: 1, averageHours: 36 }, satisfaction: { count: 1, average: 3 } },
    ]);
  });

  test('one team, and a period that holds only part of the history', async () => {
    const adjusters = await figures(`?from=${day(base - 5 * DAY)}&to=${day(base + 5 * DAY)}&team=adjuster`);
    expect(adjusters.agents.map((a: { agent: string }) => a.agent)).toEqual(['adam', 'amelia']);
    expect(adjusters.overall.firstResponse).toEqual({ count: 2, averageMinutes: 120, withinTarget: 1 });
    // The first day only: claim A sent and decided (24 h later, on the next day: not decided in range).
    const first = await figures(`?from=${day(base)}&to=${day(base)}`);
    expect(first.overall).toEqual({ firstResponse: { count: 1, averageMinutes: 60, withinTarget: 1 }, resolution: { count: 0, averageHours: null }, satisfaction: { count: 0, average: null } });
  });

  test('only managers and admins read it', async () => {
    expect((await portal.call('carla', 'GET', '/dashboards/agents')).status).toBe(403);
    expect((await portal.call('admin', 'GET', '/dashboards/agents')).status).toBe(200);
  });
});
