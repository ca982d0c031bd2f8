import { type IncidentWire, type JobWire } from './engine-wire';
import { confirmRetry, type RetryProbe } from './retry-confirmation';

const job = (state: string, errorMessage: string, retries = 0): JobWire => ({ jobKey: '7', type: 'pay', state, retries, errorMessage, elementId: 'step', processInstanceKey: '1' });
const incident = (incidentKey: string, errorMessage: string): IncidentWire => ({ incidentKey, processInstanceKey: '1', processDefinitionId: 'p', elementId: 'step', elementInstanceKey: '3', errorType: 'JOB_NO_RETRIES', errorMessage, state: 'ACTIVE', jobKey: '7' });

/** A probe answering the job reads in turn (the last one again once they run out), and the incidents as given. */
function probe(jobs: JobWire[], incidents: IncidentWire[][]): RetryProbe {
  let jobRead = 0;
  let incidentRead = 0;
  return {
    job: () => Promise.resolve(jobs[Math.min(jobRead++, jobs.length - 1)]),
    openIncidents: () => Promise.resolve(incidents[Math.min(incidentRead++, incidents.length - 1)] ?? []),
  };
}

describe('confirming a retry', () => {
  test('a job that fails again between the job read and the incident read is reported with its new error', async () => {
    const outcome = await confirmRetry(probe([job('RETRIES_UPDATED', 'the bank did not answer', 1), job('FAILED', 'the bank is still down')], [[incident('100', 'the bank did not answer'), incident('200', 'the bank is still down')]]), '100', 'RETRIES_UPDATED', 1_000);
    expect(outcome).toEqual({ outcome: 'failed-again', error: 'the bank is still down', incidentKey: '200', job: { jobKey: '7', state: 'FAILED', retries: 0, errorMessage: 'the bank is still down' } });
  });

  test('the resolved incident alone is not a new failure: a job that then completes is reported completed', async () => {
    const outcome = await confirmRetry(probe([job('RETRIES_UPDATED', 'the bank did not answer', 1), job('COMPLETED', 'the bank did not answer', 1)], [[incident('100', 'the bank did not answer')], []]), '100', 'RETRIES_UPDATED', 5_000);
    expect(outcome.outcome).toBe('completed');
  });

  test('a job that does not run again within the wait is still waiting', async () => {
    const outcome = await confirmRetry(probe([job('RETRIES_UPDATED', 'the bank did not answer', 1)], [[]]), '100', 'RETRIES_UPDATED', 200);
    expect(outcome).toEqual({ outcome: 'still-waiting', job: { jobKey: '7', state: 'RETRIES_UPDATED', retries: 1, errorMessage: 'the bank did not answer' } });
  });
});
