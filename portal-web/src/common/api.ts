import { type Session } from './auth';

/** One field at fault, as the API's problem+json lists them. */
export interface InvalidParam {
  readonly name: string;
  readonly reason: string;
}

/** An API refusal (RFC 9457 problem), with the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly InvalidParam[] = [],
  ) {
    super(detail || title);
  }
}

/** The portal API as the signed-in person: JSON in and out, problems as ApiError. */
export class Api {
  constructor(private readonly session: Session) {}

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>('POST', path, body, headers);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  delete(path: string): Promise<void> {
    return this.send<void>('DELETE', path);
  }

  /** A multipart upload (documents, model files). */
  upload<T>(path: string, form: FormData): Promise<T> {
    return this.send<T>('POST', path, form);
  }

  /** A binary download (document content), as a Blob. */
  async blob(path: string): Promise<Blob> {
    const response = await this.fetch(path, { method: 'GET' });
    if (!response.ok) throw await problemOf(response);
    return response.blob();
  }

  /**
   * The raw response, for streams (live updates). A 401 (the token expired
   * or was revoked between two renewals) renews the session silently and
   * tries once more, so the person stays on the page with what they typed.
   */
  async fetch(path: string, init: RequestInit): Promise<Response> {
    const attempt = async () => fetch(`/api${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${await this.session.accessToken()}` } });
    const response = await attempt();
    if (response.status !== 401 || !(await this.session.renew())) return response;
    return attempt();
  }

  private async send<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...extraHeaders };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.fetch(path, { method, headers, body: payload });
    } catch {
      throw new ApiError(0, 'Network error', 'The server could not be reached. Check your connection and try again.');
    }
    if (!response.ok) throw await problemOf(response);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as { title?: string; detail?: string; errors?: InvalidParam[] };
    return new ApiError(response.status, problem.title ?? response.statusText, problem.detail ?? '', problem.errors ?? []);
  } catch {
    return new ApiError(response.status, response.statusText, `The server answered ${response.status}.`);
  }
}

/** A sentence for a person, from any error. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => `${e.name}: ${e.reason}`).join('; ');
    return fields ? `${error.detail || error.title} (${fields})` : error.detail || error.title;
  }
  return error instanceof Error ? error.message : String(error);
}
