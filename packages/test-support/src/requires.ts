import { describe, it } from 'vitest';
import { requirementStatus, type Requirement } from './requirement';

export * from './requirement';

/**
 * `describe(name, body)` when every requirement is met; otherwise a skipped block whose title and
 * stderr line give the reason, or, under CI for a missing tool, one failing test that says which.
 */
export function describeRequiring(
  requirements: readonly Requirement[],
  name: string,
  body: () => void,
): void {
  const status = requirementStatus(requirements);
  if (status.action === 'run') {
    describe(name, body);
  } else if (status.action === 'skip') {
    process.stderr.write(`[skipped] ${name}: ${status.reason}\n`);
    describe.skip(`${name} [SKIPPED: ${status.reason}]`, body);
  } else {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(status.reason);
      });
    });
  }
}
