/**
 * A failure the deployer explains in its message (what, where, what to do); caught once in
 * `runDeploy`, printed without a stack trace, exit code 1. Anything else is a bug and keeps its
 * stack.
 */
export class DeployError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
  }
}

/** A filesystem error turned into a sentence that names the path and the likely reason. */
export function describeFsError(action: string, file: string, err: unknown): DeployError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'EROFS'
      ? 'the file system is read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? 'no space left on the device'
          : code === 'ENOENT'
            ? 'it does not exist'
            : String((err as Error | undefined)?.message ?? err);
  return new DeployError(`cannot ${action} ${file}: ${reason}${code ? ` (${code})` : ''}`, { cause: err });
}
