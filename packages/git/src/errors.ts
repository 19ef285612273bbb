// The errors, in a module of their own with no dependency: the CLI's dispatcher tests them with
// instanceof without loading simple-git (`@osa-gitops/git/errors`).

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

/** A git command that failed: `git <verb> failed: <git's message>` (any token redacted). */
export class GitCommandError extends Error {
  constructor(
    readonly verb: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`git ${verb} failed: ${detail}`, options);
    this.name = 'GitCommandError';
  }
}
