import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../../../..');
/** The `nx` command npm links, as a file node can run. */
const NX_BIN = fs.realpathSync(path.join(REPO, 'node_modules/.bin/nx'));
const COPY = [
  'nx.json',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'environments',
  'packages',
];
const SKIP = new Set(['node_modules', '.nx', '.git', 'dist', 'coverage', 'openstack_deploy']);

/**
 * The inferred targets as a user runs them: the real `nx` in a copy of this workspace (its
 * sources; node_modules linked), one definition broken. An ordinary validation error must read
 * like the CLI's (file:line, what was expected), without colour codes in a log and without Nx's
 * "Pass --verbose to see the stacktrace", which is for bugs.
 */
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-nx-targets-'));
  for (const entry of COPY) {
    const from = path.join(REPO, entry);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(root, entry), {
      recursive: true,
      filter: (src) => !SKIP.has(path.basename(src)),
    });
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  const file = path.join(root, 'environments/dc-east/environment.ts');
  const text = fs.readFileSync(file, 'utf8');
  const broken = text.replace("external: '198.51.100.70'", "external: '192.0.2.1'");
  expect(broken).not.toBe(text);
  fs.writeFileSync(file, broken);
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/**
 * Nx at a terminal (`script` gives it a pseudo-terminal, as a person at a shell has): Nx then runs
 * the target's command at a pseudo-terminal too, where a CLI would colour its output, and the
 * transcript shows what would land in a log.
 */
function nx(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, NX_BIN, ...args].join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: out.replace(/\r\n?/g, '\n') }));
  });
}

/**
 * The lines the CLI printed. Nx's own lines may be coloured (that is Nx's business): its banners,
 * the `nx run` header and its list of failed tasks (`- site-dc-east:validate`).
 */
function cliLines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /dc-east|VIP|error\(s\)/.test(l) && !/nx run|NX |site-dc-east:/.test(l));
}

// Each run starts Nx (project graph, plugin, then the CLI): many seconds on a loaded machine.
describe('site targets with an invalid definition', { timeout: 180_000 }, () => {
  it.each(['validate', 'render'])(
    '%s: the issue at its line, no colour codes, no stack trace hint',
    async (target) => {
      const { code, out } = await nx(['run', `site-dc-east:${target}`]);
      expect(code).toBe(1);
      expect(out).toContain('\n✖ error dc-east [VIP_OUTSIDE_NETWORK]\n');
      expect(out).toMatch(
        /\n {4}at environments\/dc-east\/environment\.ts:\d+:\d+ → haproxy\.vips\.external\n/,
      );
      expect(out).toContain('external VIP 192.0.2.1 is outside network "public_api"');
      expect(cliLines(out).length).toBeGreaterThanOrEqual(3);
      for (const line of cliLines(out)) expect(line).not.toContain('\u001b[');
      expect(out).not.toContain('Pass --verbose to see the stacktrace');
    },
  );

  it('nx g render: the issues, without the stack trace hint; nothing written', async () => {
    const { code, out } = await nx(['g', '@osa-gitops/nx-plugin:render', '--site=dc-east']);
    expect(code).toBe(1);
    expect(out).toContain('Not rendering: 1 error(s) in the site definitions; nothing was written.');
    expect(out).toContain('[VIP_OUTSIDE_NETWORK]');
    expect(out).not.toContain('Pass --verbose to see the stacktrace');
    expect(fs.existsSync(path.join(root, 'environments/dc-east/openstack_deploy'))).toBe(false);
  });
});
