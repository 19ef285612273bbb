import type { DeployFs } from '../deploy-fs';

/** The DeployFs calls that change something on disk. */
export const MUTATING = ['writeFileDurable', 'rename', 'link', 'unlink', 'mkdir', 'rmdir', 'rmTree'] as const;
export type MutatingOp = (typeof MUTATING)[number];

export interface FsCall {
  /** 1-based count over mutating calls. */
  readonly n: number;
  readonly op: MutatingOp;
  /** The path written or created (rename/link: the destination). */
  readonly path: string;
}

/**
 * Wrap a DeployFs so a test decides, per mutating call, whether it happens: `before` may throw
 * (an injected errno) or never return (a SIGKILL). Reads pass through untouched.
 */
export function interceptFs(base: DeployFs, before: (call: FsCall, args: unknown[]) => void): DeployFs {
  let n = 0;
  const wrapped: Record<string, unknown> = { ...base };
  for (const op of MUTATING) {
    const real = base[op] as (...args: unknown[]) => Promise<void>;
    wrapped[op] = async (...args: unknown[]) => {
      const target = String(op === 'rename' || op === 'link' ? args[1] : args[0]);
      before({ n: ++n, op, path: target }, args);
      return real(...args);
    };
  }
  return wrapped as unknown as DeployFs;
}

export function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: injected, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  err.path = path;
  return err;
}
