import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Every install runs `npm ci --ignore-scripts` (workflows, .ci/run), so esbuild's own install
 * script (which only verifies, or swaps in, the native binary) never runs. esbuild must still
 * work: its JS API finds the binary in the platform package (an optional dependency, e.g.
 * `@esbuild/linux-x64`), and the binary runs as a process.
 */
describe('esbuild without its install script', () => {
  it('finds its platform package binary and runs it as a real process', async () => {
    const pkg = `@esbuild/${process.platform}-${process.arch === 'x64' ? 'x64' : process.arch}`;
    const binary = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'esbuild');
    const { stdout } = await promisify(execFile)(binary, ['--version']);
    expect(stdout.trim()).toBe(esbuild.version);
  });

  it('bundles through the JS API (the service the loader uses)', async () => {
    const out = await esbuild.build({
      stdin: { contents: 'const x: number = 40 + 2;\nexport default { x };\n', loader: 'ts' },
      bundle: true,
      write: false,
      format: 'cjs',
      logLevel: 'silent',
    });
    expect(out.outputFiles[0]!.text).toContain('40 + 2');
  });
});
