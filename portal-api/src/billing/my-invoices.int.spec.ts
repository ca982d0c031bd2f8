import { addDays } from '../products/quote-dates';
import { PortalFixture } from '../testing/portal-fixture';

/** The client's invoice reads and the staff trigger of the billing run, through the API as it runs. */
describe('my invoices and the billing run endpoint', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('my-invoices');
  });

  afterAll(() => portal?.stop());

  test('the preview of the next invoice is what the run issues, and the client reads it with its lines', async () => {
    const policyId = (await portal.call('bruno', 'GET', '/me/policies')).body.items[0].id as string;
    const preview = await portal.call('bruno', 'GET', `/me/invoices/preview?policyId=${policyId}`);
    expect(preview.status).toBe(200);
    const next = preview.body.next;
    expect(next).toMatchObject({ kind: 'invoice', currency: 'EUR', totalCents: 8_940 });
    expect((await portal.call('bruno', 'GET', '/me/invoices')).body.items).toEqual([]);

    // Before the run, the demo policies' current periods have begun un-invoiced: the metric shows them.
    const metric = async (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(await (await fetch(`${portal.baseUrl}/metrics`)).text())?.[1]);
    expect(await metric('portal_billing_schedules_behind')).toBe(3);
    const run = await portal.call('oscar', 'POST', '/billing/runs', { json: {} });
    expect(run.status).toBe(200);
    // Alice's, Bruno's and Chloe's current periods (begun already), and Bruno's next month, starting within the 14 lead days.
    expect(run.body).toMatchObject({ invoices: 4, creditNotes: 0, failed: 0 });
    const again = await portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: run.body.billingDay } });
    expect(await metric('portal_billing_schedules_behind')).toBe(0);
    const [audit] = await portal.portal.dataSource.query(`SELECT actor_name, details FROM audit_entry WHERE action = 'billing.run' ORDER BY seq LIMIT 1`);
    expect(audit).toMatchObject({ actor_name: 'oscar', details: { invoices: 4 } });
    expect(again.body).toMatchObject({ invoices: 0, failed: 0 });

    const list = (await portal.call('bruno', 'GET', '/me/invoices')).body.items;
    expect(list.map((i: { periodFrom: string }) => i.periodFrom)).toEqual([expect.any(String), next.periodFrom]);
    list.reverse();
    // The second month starts the day after the first ends.
    expect(list[1].periodFrom).toBe(addDays(list[0].periodTo, 1));
    expect(list[0]).toMatchObject({ policyId, periodFrom: next.periodFrom, periodTo: next.periodTo, status: 'open', totalCents: next.totalCents, amountOpenCents: next.totalCents });
    const detail = await portal.call('bruno', 'GET', `/me/invoices/${list[0].id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.lines).toEqual(next.lines);
    // Another client's invoice is not found.
    expect((await portal.call('alice', 'GET', `/me/invoices/${list[0].id}`)).status).toBe(404);
    expect((await portal.call('alice', 'GET', `/me/invoices/preview?policyId=${policyId}`)).status).toBe(404);
  });
});
