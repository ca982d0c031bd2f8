import { CamundaRestClient, HTTPError } from '@camunda8/sdk';
import { ENGINE_CLIENT_RETRY } from '@claims/deploy';
import { Problem } from '../http/problem';

/**
 * The portal's way to the workflow engine: the SDK's CamundaRestClient (the
 * same client against the embedded engine and Camunda 8), plus the few
 * Camunda 8.8 endpoints the SDK has no method for, sent with the SDK's own
 * credentials.
 */
export class EngineClient extends CamundaRestClient {
  constructor(private readonly restAddress: string, env: NodeJS.ProcessEnv = process.env) {
    super({
      config: {
        ZEEBE_REST_ADDRESS: restAddress,
        // Production sets CAMUNDA_AUTH_STRATEGY (OAUTH) and its credentials in the environment.
        CAMUNDA_AUTH_STRATEGY: (env.CAMUNDA_AUTH_STRATEGY as 'NONE' | 'OAUTH' | undefined) ?? 'NONE',
        CAMUNDA_LOG_LEVEL: 'none',
      },
      retry: ENGINE_CLIENT_RETRY,
    });
  }

  /** `GET /v2/user-tasks/{key}/form`: the form linked to a user task, or undefined. */
  async getUserTaskFormSchema(userTaskKey: string): Promise<unknown> {
    const response = await this.raw('GET', `/v2/user-tasks/${encodeURIComponent(userTaskKey)}/form`);
    if (response.status === 204 || response.status === 404) return undefined;
    const body = (await response.json()) as { schema?: string };
    return typeof body.schema === 'string' ? (JSON.parse(body.schema) as unknown) : undefined;
  }

  /** `GET /v2/topology`, used by the health check. */
  async ping(): Promise<boolean> {
    try {
      return (await this.raw('GET', '/v2/topology', undefined, 3_000)).ok;
    } catch {
      return false;
    }
  }

  /** A Camunda 8.8 endpoint the SDK has no method for; answers the parsed JSON or text. */
  async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const response = await this.raw(method, path, body);
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
      } catch {
        // not problem+json: keep the text
      }
      throw Object.assign(new Error(detail), { statusCode: response.status, detail });
    }
    return ((response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text) as T;
  }

  private async raw(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Response> {
    const headers = { ...((await this.oAuthProvider.getHeaders('ZEEBE')) as Record<string, string>), accept: 'application/json' };
    return fetch(`${this.restAddress.replace(/\/$/, '')}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }
}

/**
 * Maps an engine refusal onto the portal's problem answers: what the engine
 * says is not found or in the wrong state keeps its status and words; an
 * engine that cannot be reached is a 503.
 */
export function engineProblem(error: unknown, what: string): Problem {
  if (error instanceof HTTPError || (error as { statusCode?: number }).statusCode) {
    const status = (error as { statusCode: number }).statusCode;
    const detail = (error as { detail?: string }).detail ?? (error as Error).message;
    if (status === 404) return new Problem(404, 'Not found', `${what}: ${detail}`);
    if (status === 409) return Problem.conflict(`${what}: ${detail}`);
    if (status === 400) return Problem.unprocessable(`${what}: ${detail}`);
  }
  return new Problem(503, 'Service unavailable', `${what}: the workflow engine did not answer. Please try again shortly.`);
}
