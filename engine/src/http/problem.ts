import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { DeadlineExceeded } from '../engine';
import { Rejection, type RejectionKind } from '../processing/rejection';

/** Camunda's error body (RFC 9457 problem details), sent as application/problem+json. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
}

const STATUS: Record<RejectionKind, number> = { NOT_FOUND: 404, INVALID_ARGUMENT: 400, INVALID_STATE: 409, ALREADY_EXISTS: 409 };

export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, title: string, detail: string): FastifyReply {
  const problem: Problem = { type: 'about:blank', title, status, detail, instance: request.url };
  return reply.code(status).type('application/problem+json').send(problem);
}

/** Every error leaves as problem+json; only bugs are logged as errors, with their stack. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof Rejection) return sendProblem(reply, request, STATUS[error.kind], error.kind, error.message);
  if (error instanceof DeadlineExceeded) return sendProblem(reply, request, 504, 'DEADLINE_EXCEEDED', error.message);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    const details = fastifyError.validation.map((v) => {
      const path = `${context}${v.instancePath.replace(/\//g, '.')}`;
      const property = (v.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (v.params as { additionalProperty?: string }).additionalProperty;
      return property ? `${path}.${property} ${v.message ?? 'is invalid'}` : `${path} ${v.message ?? 'is invalid'}`;
    });
    return sendProblem(reply, request, 400, 'INVALID_ARGUMENT', details.join('; '));
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const title = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_ARGUMENT';
    return sendProblem(reply, request, status, title, error.message);
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, request, 500, 'INTERNAL_ERROR', 'The engine failed to process the request; see its log.');
}
