/**
 * A problem the person running the system can fix (a port in use, a folder that
 * cannot be written). Launchers print its message and hint plainly and exit
 * non-zero, without a stack trace; every other error is a bug and keeps its stack.
 */
export class OperatorError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

export function isOperatorError(error: unknown): error is OperatorError {
  return error instanceof OperatorError;
}
