import { expect, it } from 'vitest';
import { workerSource } from './worker-source';

// A sloppy-mode worker function on a definition getter's stack would be handed out by
// CallSite.getFunction(), and through its constructor reach the worker's realm (worker-main.ts).
it('the worker script is strict mode from its first statement', async () => {
  expect(await workerSource()).toMatch(/^(['"])use strict\1;/);
});
