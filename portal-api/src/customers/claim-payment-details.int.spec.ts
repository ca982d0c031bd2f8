import { createLogger, findFreePort } from '@claims/deploy';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { ClientMailer } from '../notifications/client-mailer';
import { PortalFixture } from '../testing/portal-fixture';

/**
 * Staff change a client's bank details from the claim they work on: stored,
 * audited with the last four characters only, shown on the client's
 * timeline, and the client is emailed (through a real SMTP sink), once;
 * if SMTP is down at the time, the notice waits and is sent later.
 */
describe('changing bank details from a claim', () => {
  let portal: PortalFixture;
  let outbox: Outbox | undefined;
  let smtpPort: number;
  let claimId: string;
  let customerId: string;
  const logger = createLogger('test-payment-details', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });

  beforeAll(async () => {
    // The sink is not listening yet: the first change finds SMTP down.
    smtpPort = await findFreePort();
    portal = await PortalFixture.start('payment-details', { env: { SMTP_PORT: String(smtpPort) } });
    await portal.deployTestProcess();
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    claimId = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] });
    customerId = (await portal.call('alice', 'GET', '/me')).body.customer.id as string;
  });

  afterAll(async () => {
    await outbox?.stop();
    await portal?.stop();
  });

  const stored = async () => (await portal.portal.dataSource.query<{ iban: string; account_holder: string }[]>('SELECT iban, account_holder FROM customer WHERE id = $1', [customerId]))[0];

  test('SMTP down: the change is kept, the notice waits, and is sent once SMTP is back', async () => {
    const answer = await portal.call('carla', 'PUT', `/claims/${claimId}/payment-details`, { json: { accountHolder: 'Alice Martin', iban: 'nl91 abna 0417 1643 00' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ claimId, customerId, accountHolder: 'Alice Martin', accountEnding: '4300', changed: true, clientNotified: false });
    expect(await stored()).toEqual({ iban: 'NL91ABNA0417164300', account_holder: 'Alice Martin' });
    const [notice] = await portal.portal.dataSource.query<{ id: string; sent_at: Date | null; attempts: number }[]>('SELECT id, sent_at, attempts FROM client_notice WHERE claim_id = $1', [claimId]);
    expect(notice).toMatchObject({ sent_at: null, attempts: 1 });

    outbox = new Outbox({ smtpPort, apiPort: 0, logger });
    await outbox.start();
    const mailer = portal.portal.app.get(ClientMailer);
    expect(await mailer.deliver(notice!.id)).toBe(true);
    expect(await mailer.deliver(notice!.id)).toBe(true);
    const mails = outbox.mails.filter((m) => m.To.some((t) => t.Address === 'alice@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.Subject).toBe('Your bank details were changed');
    expect(mails[0]!.Text).toContain('the account ending in 4300');
    expect(`${mails[0]!.Text}${mails[0]!.HTML}`).not.toMatch(/0417|NL91/i);
    expect(await portal.count('notification')).toBe(1);
  });

  test('SMTP up: audited with the endings only, on the timeline, the client emailed at once', async () => {
    const before = outbox!.mails.length;
    const answer = await portal.call('maria', 'PUT', `/claims/${claimId}/payment-details`, { json: { accountHolder: 'Alice Martin', iban: 'DE89 3704 0044 0532 0130 00' } });
    expect(answer.body).toMatchObject({ accountEnding: '3000', changed: true, clientNotified: true });
    expect(outbox!.mails).toHaveLength(before + 1);
    expect(outbox!.mails[0]!.Text).toContain('ending in 3000');

    const [entry] = await portal.portal.dataSource.query<{ actor_name: string; details: Record<string, unknown> }[]>("SELECT actor_name, details FROM audit_entry WHERE action = 'payment-details.replaced' ORDER BY seq DESC LIMIT 1");
    expect(entry).toEqual({ actor_name: 'maria', details: { claimId, userTaskKey: null, before: '4300', after: '3000', accountHolderChanged: false } });
    const audit = JSON.stringify(await portal.portal.dataSource.query('SELECT details FROM audit_entry'));
    expect(audit).not.toMatch(/NL91ABNA|DE8937040044/);

    const timeline = (await portal.call('alice', 'GET', `/claims/${claimId}`)).body.timeline as { message: string }[];
    expect(timeline.map((t) => t.message)).toContain('Your bank details were changed by our claims team: reimbursements now go to the account ending in 3000.');
    expect((await portal.call('carla', 'GET', `/claims/${claimId}/payment-details`)).body).toEqual({ claimId, customerId, accountHolder: 'Alice Martin', accountEnding: '3000' });
  });

  test('the same details again change nothing and send nothing; from the claim\'s own task it is recorded', async () => {
    const before = outbox!.mails.length;
    const same = await portal.call('carla', 'PUT', `/claims/${claimId}/payment-details`, { json: { accountHolder: 'Alice Martin', iban: 'DE89370400440532013000' } });
    expect(same.body).toMatchObject({ changed: false, clientNotified: false });
    const task = await eventually(async () => (await portal.call('maria', 'GET', `/tasks?claimId=${claimId}`)).body.items?.[0]?.userTaskKey as string | undefined);
    const fromTask = await portal.call('maria', 'PUT', `/claims/${claimId}/payment-details`, { json: { accountHolder: 'Alice M. Martin', iban: 'NL91ABNA0417164300', userTaskKey: task } });
    expect(fromTask.body).toMatchObject({ changed: true, clientNotified: true });
    const [entry] = await portal.portal.dataSource.query<{ details: Record<string, unknown> }[]>("SELECT details FROM audit_entry WHERE action = 'payment-details.replaced' ORDER BY seq DESC LIMIT 1");
    expect(entry!.details).toMatchObject({ userTaskKey: task, before: '3000', after: '4300', accountHolderChanged: true });
    expect(outbox!.mails).toHaveLength(before + 1);
  });
});
