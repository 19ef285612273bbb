import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The real `nx` over a temporary git workspace using this plugin (nx.json `plugins`, the
 * repository's node_modules linked in): which site projects does a change make affected? Project
 * inference and the import edges run as in a user's checkout; no definition is loaded.
 */
const REPO = path.resolve(__dirname, '../../../..');
const NX = path.join(REPO, 'node_modules/nx/dist/bin/nx.js');
let root: string;

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd: root });
}

function affected(): string[] {
  const out = execFileSync(process.execPath, [NX, 'show', 'projects', '--affected', '--base=HEAD'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'false' },
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean).sort();
}

const site = (imports: string) => `${imports}\nexport default { name: 'x' };\n`;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-nx-affected-'));
  write(
    'nx.json',
    JSON.stringify({ plugins: ['@osa-gitops/nx-plugin'], useDaemonProcess: false, tui: { enabled: false } }),
  );
  write('package.json', '{ "name": "ws", "private": true }\n');
  write('.gitignore', 'node_modules\n.nx\n');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.copyFileSync(path.join(REPO, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
  write('environments/_shared/networks.ts', 'export const networks = {};\n');
  write('environments/common/vlans.ts', 'export const vlans = [];\n');
  write('environments/dc-a/environment.ts', site("import { networks } from '../_shared/networks';"));
  write('environments/dc-a/racks.ts', 'export const racks = 1;\n');
  write('environments/dc-a/openstack_deploy/user_variables.yml', 'a: 1\n');
  // dc-b imports a file from dc-a's folder; dc-c a helper folder that is not a site.
  write(
    'environments/dc-b/environment.ts',
    site("import { networks } from '../_shared/networks';\nimport { racks } from '../dc-a/racks';"),
  );
  write('environments/dc-c/environment.ts', site("import { vlans } from '../common/vlans.js';"));
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('nx affected with the inferred environments projects', () => {
  it('a change to one site affects that site and the fleet target only', { timeout: 120_000 }, () => {
    write('environments/dc-c/environment.ts', site("import { vlans } from '../common/vlans.js';// edit"));
    expect(affected()).toEqual(['environments-fleet', 'site-dc-c']);
    git('checkout', '-q', '.');
  });

  it('a change to a file another site imports affects the importer too', { timeout: 120_000 }, () => {
    write('environments/dc-a/racks.ts', 'export const racks = 2;\n');
    expect(affected()).toEqual(['environments-fleet', 'site-dc-a', 'site-dc-b']);
    git('checkout', '-q', '.');
    // Nx works per project: dc-b depends on the dc-a project, so any change there affects it.
    write('environments/dc-a/environment.ts', site("import { networks } from '../_shared/networks';// edit"));
    expect(affected()).toEqual(['environments-fleet', 'site-dc-a', 'site-dc-b']);
    git('checkout', '-q', '.');
    write('environments/common/vlans.ts', 'export const vlans = [1];\n');
    expect(affected()).toEqual(['environments-fleet', 'environments-parts-common', 'site-dc-c']);
    git('checkout', '-q', '.');
    write('environments/_shared/networks.ts', 'export const networks = { a: 1 };\n');
    expect(affected()).toEqual(['environments-fleet', 'environments-shared', 'site-dc-a', 'site-dc-b']);
    git('checkout', '-q', '.');
  });
});
