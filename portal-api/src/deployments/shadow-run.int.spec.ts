import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PortalFixture, upload } from '../testing/portal-fixture';

const modelsDir = path.resolve(__dirname, '../../../bpmn');

/**
 * A decision-table change is tried on the most recent claims before it goes
 * live: the shadow run tells which claims it would route differently, a
 * deployment that changes outcomes is refused until someone accepts that very
 * shadow run, and who accepted it is in the audit log. A threshold that
 * names no variable of the process never deploys.
 */
describe('shadow run of a decision or process version before it is deployed', () => {
  let portal: PortalFixture;
  let routing: string;
  let process: string;
  const references: Record<number, string> = {};

  beforeAll(async () => {
    portal = await PortalFixture.start('shadow-run');
    routing = await readFile(path.join(modelsDir, 'claim-routing.dmn'), 'utf8');
    process = await readFile(path.join(modelsDir, 'claim-reimbursement.bpmn'), 'utf8');
    await portal.engine.client.deployResources([
      { name: 'claim-reimbursement.bpmn', content: process },
      { name: 'claim-routing.dmn', content: routing },
    ]);
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    // Three screened claims: small and clean, above the threshold of 500, and one with strong fraud signals.
    for (const [amount, fraudScore] of [[300, 0], [700, 0], [900, 70]] as const) {
      const claimId = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount }] });
      // What the fraud screening worker records (the portal's tests run no workers).
      await portal.portal.dataSource.query('UPDATE claim SET fraud_score = $2 WHERE id = $1', [claimId, fraudScore]);
      const [row] = await portal.portal.dataSource.query<{ reference: string }[]>('SELECT reference FROM claim WHERE id = $1', [claimId]);
      references[amount] = row!.reference;
    }
  });

  afterAll(() => portal?.stop());

  const withThreshold = (entry: string) => routing.replace('<text>&gt; 500</text>', `<text>${entry}</text>`);
  const resources = (dmn: string, fields: Record<string, string> = {}) => {
    const form = upload(new FormData(), 'resources', Buffer.from(dmn), 'claim-routing.dmn');
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };
  const routingVersions = async () => {
    const found = await portal.engine.http('POST', '/v2/decision-definitions/search', { filter: { decisionDefinitionId: 'claim-routing' } });
    return (found.body as { items: unknown[] }).items.length;
  };

  it('finds no change for the deployed table itself', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: resources(routing) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ claimsCompared: 3, changedCount: 0, decisions: [{ decisionId: 'claim-routing', deployedVersion: 1, claimsCompared: 3, changed: [] }] });
  });

  it('names the claims a raised threshold routes differently, old and new route', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: resources(withThreshold('&gt; 800')) });
    expect(answer.status).toBe(200);
    expect(answer.body.changedCount).toBe(1);
    expect(answer.body.decisions[0].changed).toEqual([{ claimId: expect.any(String), claimReference: references[700], decisionId: 'claim-routing', before: '"review"', after: '"straight-through"' }]);
    expect(answer.body.shadowRunId).toMatch(/^shadow-[0-9a-f]{32}$/);
  });

  it('compares only as many recent claims as asked', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: resources(withThreshold('&gt; 800'), { claims: '1' }) });
    expect(answer.body.claimsCompared).toBe(1);
  });

  const withProcess = (bpmn: string, dmn?: string, fields: Record<string, string> = {}) => {
    const form = upload(new FormData(), 'resources', Buffer.from(bpmn), 'claim-reimbursement.bpmn');
    if (dmn) upload(form, 'resources', Buffer.from(dmn), 'claim-routing.dmn');
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };
  // A mistyped route name: the straight-through flow's condition never holds, so those claims fall to the default, review.
  const mistypedRoute = () => process.replace('=route = "straight-through"', '=route = "fast-track"');

  it('finds no route change for the deployed process itself', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: withProcess(process) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ claimsCompared: 3, changedCount: 0, decisions: [], processes: [{ processId: 'claim-reimbursement', deployedVersion: 1, claimsCompared: 3, changed: [] }] });
  });

  it('names the claims a changed gateway condition sends another way, and where the routes part', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: withProcess(mistypedRoute()) });
    expect(answer.status).toBe(200);
    expect(answer.body.changedCount).toBe(1);
    const [change, ...others] = answer.body.processes[0].changed;
    expect(others).toEqual([]);
    expect(change).toMatchObject({ claimReference: references[300], divergesAt: 'which-route', divergesAtName: 'Which route?' });
    expect(change.before[0]).toBe('Which route?: straight through');
    expect(change.after).toEqual(['Which route?: review', 'merge-before-review', 'Tell client: under review', 'Assess claim (waits for a person)']);
  });

  it('replays the process with the decisions uploaded beside it, counting each changed claim once', async () => {
    const answer = await portal.call('anna', 'POST', '/deployments/shadow-run', { form: withProcess(process, withThreshold('&gt; 800')) });
    expect(answer.status).toBe(200);
    expect(answer.body.changedCount).toBe(1);
    expect(answer.body.decisions[0].changed).toEqual([expect.objectContaining({ claimReference: references[700] })]);
    expect(answer.body.processes[0].changed).toEqual([expect.objectContaining({ claimReference: references[700], divergesAt: 'route-claim', before: expect.arrayContaining(['Route claim: "review"']), after: expect.arrayContaining(['Route claim: "straight-through"']) })]);
  });

  it('refuses to deploy changed outcomes until that very shadow run is accepted, then records who accepted it', async () => {
    const raised = withThreshold('&gt; 800');
    const refused = await portal.call('anna', 'POST', '/deployments', { form: resources(raised) });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'acceptChangedOutcomes' })]);

    const stale = await portal.call('anna', 'POST', '/deployments', { form: resources(raised, { acceptChangedOutcomes: 'true', shadowRunId: `shadow-${'0'.repeat(32)}` }) });
    expect(stale.status).toBe(422);
    expect(stale.body.errors).toEqual([expect.objectContaining({ name: 'shadowRunId' })]);
    expect(await routingVersions()).toBe(1);

    const { shadowRunId } = (await portal.call('anna', 'POST', '/deployments/shadow-run', { form: resources(raised) })).body;
    const accepted = await portal.call('anna', 'POST', '/deployments', { form: resources(raised, { acceptChangedOutcomes: 'true', shadowRunId }) });
    expect(accepted.status).toBe(201);
    expect(await routingVersions()).toBe(2);
    const [entry] = await portal.portal.dataSource.query<{ actor_name: string; details: { acceptedChangedOutcomes: { shadowRunId: string; changedCount: number; changes: unknown[] } } }[]>(
      "SELECT actor_name, details FROM audit_entry WHERE action = 'deployment.created' ORDER BY seq DESC LIMIT 1",
    );
    expect(entry!.actor_name).toBe('anna');
    expect(entry!.details.acceptedChangedOutcomes).toEqual({ shadowRunId, claimsCompared: 3, changedCount: 1, changes: [{ decisionId: 'claim-routing', claimReference: references[700], before: '"review"', after: '"straight-through"' }] });
  });

  it('never deploys a threshold that names no variable of the claim process, naming the rule', async () => {
    const mistyped = withThreshold('&gt; five hundred');
    const linted = await portal.call('anna', 'POST', '/deployments/lint', { form: resources(mistyped) });
    expect(linted.body.problems).toContainEqual(expect.objectContaining({ elementId: 'route-large-claim-amount', elementName: 'Claim routing: rule 3, "Amount claimed"', rule: 'unknown-variable', severity: 'error' }));
    const before = await routingVersions();
    const refused = await portal.call('anna', 'POST', '/deployments', { form: resources(mistyped, { acceptChangedOutcomes: 'true' }) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ name: 'claim-routing.dmn#route-large-claim-amount', reason: expect.stringMatching(/rule 3.*five hundred.*unknown-variable/) }]);
    expect(await routingVersions()).toBe(before);
  });

  it('deploys a process version that changes routes only once that shadow run is accepted, recording who accepted which route changes', async () => {
    const changed = mistypedRoute();
    const processVersions = async () => ((await portal.call('anna', 'GET', '/deployments/processes?processDefinitionId=claim-reimbursement')).body as { items: unknown[] }).items.length;
    const before = await processVersions();
    const refused = await portal.call('anna', 'POST', '/deployments', { form: withProcess(changed) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'acceptChangedOutcomes' })]);
    expect(await processVersions()).toBe(before);

    const { shadowRunId } = (await portal.call('anna', 'POST', '/deployments/shadow-run', { form: withProcess(changed) })).body;
    const accepted = await portal.call('anna', 'POST', '/deployments', { form: withProcess(changed, undefined, { acceptChangedOutcomes: 'true', shadowRunId }) });
    expect(accepted.status).toBe(201);
    expect(await processVersions()).toBe(before + 1);
    const [entry] = await portal.portal.dataSource.query<{ actor_name: string; details: { acceptedChangedOutcomes: { shadowRunId: string; routeChanges: { claimReference: string; divergesAt: string; before: string; after: string }[] } } }[]>(
      "SELECT actor_name, details FROM audit_entry WHERE action = 'deployment.created' ORDER BY seq DESC LIMIT 1",
    );
    expect(entry!.actor_name).toBe('anna');
    expect(entry!.details.acceptedChangedOutcomes.shadowRunId).toBe(shadowRunId);
    // The threshold of 800 deployed above sends the claim of 700 straight through too: both now go to review.
    const routeChange = (amount: number) => ({ processId: 'claim-reimbursement', claimReference: references[amount], divergesAt: 'which-route', before: expect.stringMatching(/^Which route\?: straight through → /), after: 'Which route?: review → merge-before-review → Tell client: under review → Assess claim (waits for a person)' });
    expect(entry!.details.acceptedChangedOutcomes.routeChanges).toEqual(expect.arrayContaining([routeChange(300), routeChange(700)]));
    expect(entry!.details.acceptedChangedOutcomes.routeChanges).toHaveLength(2);
  });
});
