import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { type ValidationError } from 'class-validator';
import { type Request, type Response } from 'express';
import { type Logger } from 'pino';
import { QueryFailedError } from 'typeorm';

/** A field or element at fault, named by its path in the request (`items[0].amount`). */
export interface InvalidParam {
  readonly name: string;
  readonly reason: string;
}

/** RFC 9457 problem details, sent as application/problem+json. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors?: readonly InvalidParam[];
}

/** An error that becomes a problem+json answer: thrown by services for expected refusals. */
export class Problem extends HttpException {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: readonly InvalidParam[],
  ) {
    super(detail, status);
  }

  static badRequest(detail: string, errors?: readonly InvalidParam[]): Problem {
    return new Problem(HttpStatus.BAD_REQUEST, 'Invalid request', detail, errors);
  }

  static invalidField(name: string, reason: string): Problem {
    return new Problem(HttpStatus.BAD_REQUEST, 'Invalid request', `${name} ${reason}`, [{ name, reason }]);
  }

  /** Not found, also used for ids the caller may not reach: existence is not disclosed. */
  static notFound(what: string, id: string): Problem {
    return new Problem(HttpStatus.NOT_FOUND, 'Not found', `Expected ${what} ${id} to exist and be yours to see, but it is not.`);
  }

  static forbidden(detail: string): Problem {
    return new Problem(HttpStatus.FORBIDDEN, 'Forbidden', detail);
  }

  static conflict(detail: string): Problem {
    return new Problem(HttpStatus.CONFLICT, 'Conflict', detail);
  }

  static unprocessable(detail: string, errors?: readonly InvalidParam[]): Problem {
    return new Problem(HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable content', detail, errors);
  }
}

/** Turns class-validator's nested errors into one entry per field path. */
export function validationErrorsToParams(errors: readonly ValidationError[], prefix = ''): InvalidParam[] {
  const params: InvalidParam[] = [];
  for (const error of errors) {
    const name = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) params.push({ name, reason });
    if (error.children?.length) params.push(...validationErrorsToParams(error.children, name));
  }
  return params;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/**
 * Every error leaves as application/problem+json. Expected refusals keep
 * their words; anything else is a bug: logged with its stack, answered 500
 * without internals.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="claims"');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemBody {
    const instance = request.originalUrl ?? request.url;
    if (exception instanceof Problem) {
      return { type: 'about:blank', title: exception.title, status: exception.getStatus(), detail: exception.detail, instance, ...(exception.errors ? { errors: exception.errors } : {}) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      // Multer's limits surface here as Nest exceptions: name the upload field at fault.
      if (status === 413 && detail === 'File too large') {
        return { type: 'about:blank', title: TITLES[413]!, status, detail: 'The file is larger than the upload limit.', instance, errors: [{ name: 'file', reason: 'is larger than the upload limit' }] };
      }
      if (status === 400 && detail.startsWith('Multipart:')) {
        return { type: 'about:blank', title: TITLES[400]!, status, detail: `The upload could not be read (${detail}).`, instance, errors: [{ name: 'multipart', reason: detail }] };
      }
      return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, instance };
    }
    // Errors raised below Nest: body-parser (malformed JSON, too large), multer (upload limits).
    const lower = exception as { status?: number; statusCode?: number; type?: string; code?: string; message?: string; field?: string };
    const lowerStatus = lower.status ?? lower.statusCode;
    if (typeof lowerStatus === 'number' && lowerStatus >= 400 && lowerStatus < 500) {
      const detail = lower.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : (lower.message ?? 'Invalid request');
      return { type: 'about:blank', title: TITLES[lowerStatus] ?? 'Invalid request', status: lowerStatus, detail, instance };
    }
    if (lower.code === 'LIMIT_FILE_SIZE') {
      return { type: 'about:blank', title: TITLES[413]!, status: 413, detail: `The file is larger than the upload limit.`, instance, errors: [{ name: lower.field ?? 'file', reason: 'is too large' }] };
    }
    if (typeof lower.code === 'string' && lower.code.startsWith('LIMIT_')) {
      return { type: 'about:blank', title: TITLES[400]!, status: 400, detail: `Upload refused: ${lower.message}.`, instance, ...(lower.field ? { errors: [{ name: lower.field, reason: lower.message ?? 'refused' }] } : {}) };
    }
    if (exception instanceof QueryFailedError && (exception as QueryFailedError & { code?: string }).code === '22P02') {
      return { type: 'about:blank', title: TITLES[400]!, status: 400, detail: 'A value in the request has the wrong form.', instance };
    }
    this.logger.error({ err: exception, method: request.method, url: instance }, 'request failed');
    return { type: 'about:blank', title: 'Internal server error', status: 500, detail: 'Something went wrong on our side. It has been logged; please try again.', instance };
  }
}
