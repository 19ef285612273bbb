/**
 * An expected failure of a generator (invalid definitions, a bad site name, bad import input):
 * what to do is in the message, and there is no bug to trace. Nx prints a thrown error's message
 * and, when the error has a stack, "Pass --verbose to see the stacktrace." (nx
 * `src/utils/handle-errors.ts`); that hint sends a user hunting for a bug that is not there, so
 * this error carries no stack. Unexpected errors are thrown as they are, stack and all.
 */
export class GeneratorFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorFailure';
    this.stack = '';
  }
}
