import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { bundleAction, OUTFILE, PACKAGE_DIR } from './bundle.js';

// check-dist (style point 25): the committed bundle is what `uses: ./packages/action` runs, so
// it must be exactly what the sources build to. A mismatch means someone changed the action,
// core or the CLI library without rebuilding.
it('the committed dist/index.js equals a fresh build, byte for byte', async () => {
  const fresh = await bundleAction(false);
  const committed = await fs.readFile(path.join(PACKAGE_DIR, OUTFILE), 'utf8');
  if (fresh !== committed) {
    expect.fail(
      `packages/action/${OUTFILE} is stale: run \`npm run build -w @osa-gitops/action\` and commit the result ` +
        `(fresh build ${fresh.length} chars, committed ${committed.length}).`,
    );
  }
  // Nothing machine-specific may leak into the bundle.
  expect(fresh).not.toContain(PACKAGE_DIR);
  expect(fresh).not.toMatch(/\/(home|root|tmp|Users)\/[^\s'"]*osa/);
  expect(fresh).not.toContain('sourceMappingURL');
});
