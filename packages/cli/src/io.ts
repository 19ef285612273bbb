/**
 * Everything a command touches of its process, passed in so commands are testable without
 * spawning: tests give a temp dir as cwd and collect stdout/stderr.
 */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (colour and progress lines only then). */
  readonly isTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Documented exit codes: 0 fine, 1 invalid/stale/failed, 2 usage. The deploy command returns the playbook's code. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
