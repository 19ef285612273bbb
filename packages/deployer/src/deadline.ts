import type { DeploySiteOptions } from './deploy-options';

/**
 * `--deadline`: one end time for the whole deploy (lock wait, every stage, verify), so that the
 * deploy stops, and restores, before the CI job that runs it is killed (issue 29: `--timeout` is
 * each playbook's own limit, and three stages plus verify could outlive the job). Each playbook
 * gets what is left, never more than its own `--timeout`; a stage that would start after the
 * deadline does not start.
 */
export function remainingMs(opts: Pick<DeploySiteOptions, 'deadline' | 'now'>, limitMs: number): number {
  if (opts.deadline === undefined) return limitMs;
  const now = (opts.now?.() ?? new Date()).getTime();
  return Math.min(limitMs, Math.max(0, opts.deadline - now));
}

/** What the log and the summary say when the deadline stopped the deploy. */
export function deadlineText(opts: Pick<DeploySiteOptions, 'deadline'>): string {
  return opts.deadline === undefined ? '' : ` (--deadline ${new Date(opts.deadline).toISOString()})`;
}
