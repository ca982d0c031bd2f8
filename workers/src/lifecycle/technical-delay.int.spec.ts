import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

// When a claim's process stops on an incident, the client is told of a
// technical delay instead of silence (and never what the incident says), and
// staff see the claim flagged in search; once the cause is fixed and the job
// retried (retries raised, incident resolved), the delay goes and the claim
// goes on. The fault: the portal refuses the fraud screening's update with a
// server error, as a broken database would, until it is mended.

const FAULT = 'fraud screening refused by the test';
let life: LifecycleFixture;

beforeAll(async () => {
  life = await LifecycleFixture.start('technical-delay');
  await life.portal.portal.dataSource.query(`
    CREATE FUNCTION refuse_screening() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'screening' THEN RAISE EXCEPTION '${FAULT}'; END IF;
      RETURN NEW;
    END $$`);
  await life.portal.portal.dataSource.query(`CREATE TRIGGER refuse_screening BEFORE UPDATE OF status ON claim FOR EACH ROW EXECUTE FUNCTION refuse_screening()`);
  await life.startWorkers();
});

afterAll(() => life?.stop());

it('a claim stopped on an incident shows the client a technical delay until it is resolved', async () => {
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'GP_VISIT', amount: 60 }]);
  const processInstanceKey = (await life.claimWhen(claimId, (c) => Boolean(c.processInstanceKey))).processInstanceKey as string;
  // The screening job fails on every try until its retries run out: an incident.
  const incident = await eventually(async () => {
    const found = await life.portal.engine.http('POST', '/v2/incidents/search', { filter: { processInstanceKey, state: 'ACTIVE' } });
    return (found.body as { items: { incidentKey: string; jobKey: string; errorMessage: string }[] }).items[0];
  }, 90_000);

  const seen = await eventually(async () => {
    const answer = await life.portal.call('chloe', 'GET', `/claims/${claimId}`);
    return answer.body.technicalDelay === true ? answer : undefined;
  }, 20_000);
  // The client hears of a delay, never of what broke.
  expect(JSON.stringify(seen.body)).not.toContain(FAULT);
  expect(JSON.stringify(seen.body)).not.toContain(incident.errorMessage.slice(0, 30));
  // Staff see it flagged, in search and on the claim.
  const found = await life.portal.call('oscar', 'GET', `/staff/search/claims?reference=${reference.slice(-6)}`);
  expect(found.body.items.map((c: { reference: string; incident: boolean }) => [c.reference, c.incident])).toEqual([[reference, true]]);
  expect((await life.portal.call('adam', 'GET', `/claims/${claimId}`)).body.technicalDelay).toBe(true);

  // Fixed, then retried as Operate does: retries raised, incident resolved.
  await life.portal.portal.dataSource.query('DROP TRIGGER refuse_screening ON claim');
  expect((await life.portal.engine.http('PATCH', `/v2/jobs/${incident.jobKey}`, { changeset: { retries: 1 } })).status).toBe(204);
  expect((await life.portal.engine.http('POST', `/v2/incidents/${incident.incidentKey}/resolution`, {})).status).toBe(204);

  // The job runs again, the claim goes on, and the delay is gone from the client's page.
  await life.claimWhen(claimId, (c) => !['received', 'validating'].includes(c.status as string), 60_000);
  const after = await eventually(async () => {
    const answer = await life.portal.call('chloe', 'GET', `/claims/${claimId}`);
    return answer.body.technicalDelay === false ? answer : undefined;
  }, 30_000);
  expect(after.body.status).not.toBe('validating');
  const again = await eventually(async () => {
    const answer = await life.portal.call('oscar', 'GET', `/staff/search/claims?reference=${reference.slice(-6)}`);
    return answer.body.items[0]?.incident === false ? answer : undefined;
  }, 30_000);
  expect(again.body.items[0].reference).toBe(reference);
});
