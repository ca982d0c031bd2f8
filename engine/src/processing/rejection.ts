/**
 * A command the engine refuses. The kind maps to the HTTP status the Camunda
 * API uses (NOT_FOUND 404, INVALID_ARGUMENT 400, INVALID_STATE 409,
 * ALREADY_EXISTS 409); the message says what was expected and what was found.
 */
export type RejectionKind = 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'INVALID_STATE' | 'ALREADY_EXISTS';

export class Rejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export const notFound = (message: string) => new Rejection('NOT_FOUND', message);
export const invalidArgument = (message: string) => new Rejection('INVALID_ARGUMENT', message);
export const invalidState = (message: string) => new Rejection('INVALID_STATE', message);
export const alreadyExists = (message: string) => new Rejection('ALREADY_EXISTS', message);
