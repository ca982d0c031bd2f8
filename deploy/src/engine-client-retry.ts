/**
 * The retry settings every @camunda8/sdk client of ours passes (`new
 * CamundaRestClient({ retry })`): the SDK's own (429 and 503, the engine's
 * backpressure, on every method) but no retry of network errors inside the
 * HTTP client.
 *
 * Why: the SDK's HTTP client, got 11, retries a refused or reset connection,
 * and on Node.js 22+ the same failure also fails the request body's pending
 * write (ERR_SOCKET_CLOSED_BEFORE_CONNECTION), which settles got's promise
 * first; the retry then throws from a timer ("The `onCancel` handler was
 * attached after the promise settled", sindresorhus/got#1489) and kills the
 * process: any worker, portal or test whose engine restarts. Without the
 * network retry the call simply fails, and its caller already copes (the job
 * workers poll again, a job not completed is handed out again, the portal
 * answers with a problem).
 */
export const ENGINE_CLIENT_RETRY = {
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as ('GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH')[],
  statusCodes: [429, 503],
  errorCodes: [] as string[],
};
