import type { CliIo } from '../io';

/** At or below this many sites a run is quick enough that a progress line is noise. */
export const PROGRESS_THRESHOLD = 20;

export interface Progress {
  update(done: number, total: number, phase: string): void;
  /** Clear the line before real output follows. */
  done(): void;
}

/**
 * One self-overwriting line on stderr, only at a terminal and only for more than 20 sites, so
 * pipes, CI logs and `--json` consumers never see it.
 */
export function progressFor(io: CliIo): Progress {
  let shown = false;
  return {
    update(done, total, phase) {
      if (!io.isTTY || total <= PROGRESS_THRESHOLD) return;
      shown = true;
      io.stderr(`\r\u001b[K${phase} ${done}/${total} sites`);
    },
    done() {
      if (shown) io.stderr('\r\u001b[K');
      shown = false;
    },
  };
}
