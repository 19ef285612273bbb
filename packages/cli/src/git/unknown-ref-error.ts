// Its own module so the CLI's dispatcher can recognise it without loading simple-git.
/** A ref the repository does not know: the user's input is wrong, not the tool. */
export class UnknownRefError extends Error {
  constructor(
    readonly ref: string,
    options?: { cause?: unknown },
  ) {
    super(`git does not know the ref "${ref}" (fetch it first, e.g. git fetch origin main)`, options);
    this.name = 'UnknownRefError';
  }
}
