import { type DestinationStream } from 'pino';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

// One claim followed through the logs: the portal's lines about it (the
// submission published, the requests the workers make for its jobs) and the
// workers' lines (every job line, the notifier's too) carry its claimId and,
// once the engine has started it, its processInstanceKey.

interface LogLine {
  readonly msg: string;
  readonly claimId?: string;
  readonly processInstanceKey?: string;
  readonly url?: string;
  readonly jobKey?: string;
  readonly [key: string]: unknown;
}

/** A pino destination keeping each JSON line, parsed. */
function captured(): DestinationStream & { lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  return {
    lines,
    raw,
    write: (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
    },
  };
}

const portalLog = captured();
const workersLog = captured();
let life: LifecycleFixture;

beforeAll(async () => {
  life = await LifecycleFixture.start('log-keys', { logs: { portal: portalLog, workers: workersLog } });
  await life.startWorkers();
});

afterAll(() => life?.stop());

it('the portal and the workers name the claim and its process instance on every line about it', async () => {
  const { claimId } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 180 }, { careCode: 'GP_VISIT', amount: 120 }]);
  const paid = await life.claimWhen(claimId, (c) => c.status === 'paid');
  const processInstanceKey = paid.processInstanceKey as string;
  expect(processInstanceKey).toMatch(/^[0-9]+$/);

  // Portal: the submission published outside the request's own line, and every request about the claim.
  const portalAbout = portalLog.lines.filter((l) => l.claimId === claimId);
  expect(portalAbout.map((l) => l.msg)).toContain('claim submission published');
  const requestsForClaim = portalLog.lines.filter((l) => l.msg === 'request' && l.url?.includes(claimId));
  expect(requestsForClaim.length).toBeGreaterThan(3);
  for (const line of requestsForClaim) expect(line.claimId).toBe(claimId);
  // The workers' calls for its jobs (after the process started): the instance too, sent by the worker and read back by the route.
  const workerCalls = requestsForClaim.filter((l) => l.url?.startsWith('/api/internal/'));
  expect(workerCalls.length).toBeGreaterThan(2);
  for (const line of workerCalls) expect(line.processInstanceKey).toBe(processInstanceKey);
  // A staff read of the paid claim: the route read it, so the instance is on its line though the path names only the claim.
  await life.portal.call('adam', 'GET', `/claims/${claimId}`);
  const staffRead = portalLog.lines.filter((l) => l.msg === 'request' && l.url === `/api/claims/${claimId}`).at(-1);
  expect(staffRead).toMatchObject({ claimId, processInstanceKey });

  // Workers: every job line of this instance names both, and lines written beside the job (not by its logger) do too.
  const jobLines = workersLog.lines.filter((l) => l.jobKey !== undefined && l.processInstanceKey === processInstanceKey);
  expect(jobLines.length).toBeGreaterThan(3);
  for (const line of jobLines) expect(line.claimId).toBe(claimId);
  const jobLinesOfOthers = workersLog.lines.filter((l) => l.jobKey !== undefined && l.claimId === claimId && l.processInstanceKey !== processInstanceKey);
  expect(jobLinesOfOthers).toEqual([]);
  // The notifier logs with its own logger, not the job's: the scope names the instance all the same.
  const sent = await eventually(() => {
    const found = workersLog.lines.filter((l) => l.msg === 'notification sent' && l.claimId === claimId);
    return Promise.resolve(found.length > 0 ? found : undefined);
  }, 20_000);
  for (const line of sent) expect(line.processInstanceKey).toBe(processInstanceKey);
  // A key is written once: a child binding beside the scope would write it twice on one line.
  const twice = [...portalLog.raw, ...workersLog.raw].filter((l) => l.includes(claimId) && (l.split('"claimId"').length > 2 || l.split('"processInstanceKey"').length > 2));
  expect(twice).toEqual([]);
});
