import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { PortalFixture } from '../testing/portal-fixture';
import { BillingRunScheduler } from './billing-run-scheduler';

/** The daily run, turned on (the fixture keeps it off): at start, past its hour, it bills the day once. */
describe('billing run scheduler', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('billing-scheduler', { env: { BILLING_RUN_ENABLED: 'true', BILLING_RUN_HOUR: '0', BILLING_LEAD_DAYS: '0' } });
  });

  afterAll(() => portal?.stop());

  test('runs the day\'s billing at start and issues the current periods of the demo policies', async () => {
    const invoices = () => portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM invoice`).then(([row]) => row!.n);
    // Alice's, Bruno's and Chloe's current periods began before today; with no lead days, nothing later.
    expect(await eventually(async () => ((await invoices()) === 3 ? 3 : undefined))).toBe(3);
    const [{ n: behind }] = await portal.portal.dataSource.query(`SELECT count(*)::int AS n FROM billing_schedule WHERE next_period_start <= current_date AND status = 'active'`);
    expect(behind).toBe(0);
    // Run again by hand the same day: nothing more.
    expect(await portal.portal.app.get(BillingRunScheduler).run()).toMatchObject({ invoices: 0, failed: 0 });
    expect(await invoices()).toBe(3);
  });
});
