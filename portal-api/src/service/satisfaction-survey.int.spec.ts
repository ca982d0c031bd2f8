import { SignJWT } from 'jose';
import { createLogger, findFreePort } from '@claims/deploy';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { PortalFixture } from '../testing/portal-fixture';
import { SatisfactionSurveys } from './satisfaction-surveys';
import { signSurveyLink } from './survey-links';

/**
 * After a claim closes the client is emailed a signed link (through the real
 * SMTP sink) to a survey that can be answered once; forged, expired and
 * reused links are refused.
 */
describe('satisfaction survey', () => {
  let portal: PortalFixture;
  let outbox: Outbox;
  let claimId: string;
  let reference: string;
  let token: string;
  const logger = createLogger('test-survey', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });

  beforeAll(async () => {
    outbox = new Outbox({ smtpPort: await findFreePort(), apiPort: 0, logger });
    await outbox.start();
    portal = await PortalFixture.start('survey', { env: { SMTP_PORT: String(outbox.smtpPort) } });
    await portal.deployTestProcess();
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    claimId = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] });
    reference = (await portal.call('alice', 'GET', `/claims/${claimId}`)).body.reference as string;
  });

  afterAll(async () => {
    await portal?.stop();
    await outbox?.stop();
  });

  const surveys = () => portal.portal.app.get(SatisfactionSurveys);
  const key = async () => new TextEncoder().encode((await portal.portal.dataSource.query<{ value: string }[]>(`SELECT value FROM service_secret WHERE name = 'survey-link'`))[0]!.value);

  test('an open claim gets no survey; once it closes the client is emailed one link, once', async () => {
    await surveys().sweep();
    expect(await portal.count('satisfaction_survey')).toBe(0);
    const closed = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'rejected', decisionNote: 'Not covered.' } });
    expect(closed.status).toBe(200);
    expect(await surveys().sweep()).toBe(1);
    expect(await surveys().sweep()).toBe(0);
    expect(await portal.count('satisfaction_survey')).toBe(1);
    const mails = outbox.mails.filter((m) => m.To.some((t) => t.Address === 'alice@example.com') && m.Subject === `How did we do with claim ${reference}?`);
    expect(mails).toHaveLength(1);
    const link = /(http\S+\/survey#token=([\w.-]+))/.exec(mails[0]!.Text);
    expect(link).not.toBeNull();
    token = link![2]!;
    const lookup = await portal.call(undefined, 'POST', '/surveys/lookup', { json: { token } });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ claimReference: reference, answered: false });
  });

  test('the link answers the survey once; a second use is refused', async () => {
    const first = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token, score: 4, comment: 'Quick and clear.' } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ claimReference: reference, score: 4, answered: true });
    const second = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token, score: 1 } });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body.detail).toContain('already answered');
    const [row] = await portal.portal.dataSource.query<{ score: number; comment: string }[]>('SELECT score, comment FROM satisfaction_survey WHERE claim_id = $1', [claimId]);
    expect(row).toEqual({ score: 4, comment: 'Quick and clear.' });
    expect((await portal.call(undefined, 'POST', '/surveys/lookup', { json: { token } })).body.answered).toBe(true);
  });

  test('answers racing on one link: exactly one is taken', async () => {
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    const other = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-02', providerName: 'Dr. B', careCode: 'GP_VISIT', amount: 40 }] });
    await portal.call('worker', 'PATCH', `/internal/claims/${other}`, { json: { status: 'rejected', decisionNote: 'Not covered.' } });
    await surveys().sweep();
    const [{ id, expires_at: expiresAt }] = await portal.portal.dataSource.query<[{ id: string; expires_at: Date }]>('SELECT id, expires_at FROM satisfaction_survey WHERE claim_id = $1', [other]);
    const link = await signSurveyLink(await key(), id, expiresAt);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((score) => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: link, score } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const taken = answers.find((a) => a.status === 200)!.body.score as number;
    expect((await portal.portal.dataSource.query<{ score: number }[]>('SELECT score FROM satisfaction_survey WHERE id = $1', [id]))[0]!.score).toBe(taken);
  });

  test('a forged, expired or malformed link is refused', async () => {
    const [{ id }] = await portal.portal.dataSource.query<[{ id: string }]>('SELECT id FROM satisfaction_survey WHERE claim_id = $1', [claimId]);
    const forged = await signSurveyLink(new TextEncoder().encode('another key, not the portal one, 32+ chars'), id, new Date(Date.now() + 86_400_000));
    const forgedAnswer = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token: forged, score: 5 } });
    expect(forgedAnswer.status).toBe(403);
    // Signed with the right key but for another purpose (no audience): refused too.
    const otherPurpose = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(id).setExpirationTime('1h').sign(await key());
    expect((await portal.call(undefined, 'POST', '/surveys/lookup', { json: { token: otherPurpose } })).status).toBe(403);
    const expired = await signSurveyLink(await key(), id, new Date(Date.now() - 60_000));
    const expiredAnswer = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token: expired, score: 5 } });
    expect(expiredAnswer.status).toBe(410);
    expect(expiredAnswer.body.detail).toContain('expired');
    const malformed = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'not a token', score: 5 } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ name: 'token' })]);
    const badScore = await portal.call(undefined, 'POST', '/surveys/answer', { json: { token, score: 6 } });
    expect(badScore.status).toBe(400);
    expect(badScore.body.errors).toEqual([expect.objectContaining({ name: 'score' })]);
    // The survey answered earlier is unchanged by all of this.
    await eventually(async () => ((await portal.portal.dataSource.query<{ score: number }[]>('SELECT score FROM satisfaction_survey WHERE id = $1', [id]))[0]!.score === 4 ? true : undefined));
  });
});
