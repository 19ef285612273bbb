import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../main';
import { compileWorkspace } from '../workspace/compile-workspace';
import { createWorkspace, fakeIo, type Workspace } from '../test-utils/workspace-fixture';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const EXAMPLES = ['dc-east', 'dc-west', 'guide-lab'];
const GUIDE_CONFIG = path.join(REPO, 'packages', 'import', 'test', 'fixtures', 'guide-config');

let ws: Workspace;
let tmp: string;
beforeEach(async () => {
  ws = await createWorkspace();
  await fs.mkdir(path.join(ws.root, 'environments', '_shared'), { recursive: true });
  await fs.copyFile(
    path.join(REPO, 'environments', '_shared', 'base.ts'),
    path.join(ws.root, 'environments', '_shared', 'base.ts'),
  );
  tmp = await fs.mkdtemp(path.join(ws.root, '..', 'osa-import-input-'));
});
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function run(args: string[]) {
  const io = fakeIo(ws.root);
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  return out.sort();
}

async function writeFiles(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
}

describe('import of every rendered example tree', () => {
  it.each(EXAMPLES)(
    '%s: the imported definition loads, validates and renders the same YAML',
    async (site) => {
      const committed = path.join(REPO, 'environments', site, 'openstack_deploy');
      const { code, out, err } = await run(['import', committed, '--site', site, '--json']);
      expect(err).toBe('');
      const json = JSON.parse(out);
      expect(json).toMatchObject({
        command: 'import',
        ok: true,
        site,
        written: `environments/${site}/environment.ts`,
      });
      expect(json.issues).toEqual([]);
      expect(json.findings.filter((f: { kind: string }) => f.kind === 'trap')).toEqual([]);
      expect(code).toBe(0);

      const source = await fs.readFile(path.join(ws.root, 'environments', site, 'environment.ts'), 'utf8');
      expect(source).toContain('...fleetBase,');
      expect(source).toContain(`deploy: deployTo('${site}')`);
      if (site !== 'guide-lab') expect(source).toContain('bondMembers: bondNics(');

      const compiled = await compileWorkspace(ws.root, { sites: [site] });
      expect(compiled.ok).toBe(true);
      const tree = compiled.sites[0]!.tree!;
      const files = (await listTree(committed)).filter((p) => p.endsWith('.yml'));
      expect(files.length).toBeGreaterThan(3);
      expect([...tree.keys()].filter((p) => p.endsWith('.yml')).sort()).toEqual(files);
      for (const rel of files) {
        const before = parse(await fs.readFile(path.join(committed, rel), 'utf8'), { version: '1.1' });
        expect(parse(tree.get(rel)!, { version: '1.1' }), rel).toEqual(before);
      }
    },
  );
});

describe('import of a config dir written by hand from the guide', () => {
  it('writes a definition that loads, reports every trap, and exits 1 for the MACs it cannot know', async () => {
    const { code, out } = await run(['import', GUIDE_CONFIG, '--site', 'guide-import', '--json']);
    const json = JSON.parse(out);
    expect(json.written).toBe('environments/guide-import/environment.ts');
    const traps = [
      ...new Set(
        json.findings.filter((f: { kind: string }) => f.kind === 'trap').map((f: { code: string }) => f.code),
      ),
    ];
    expect(traps.sort()).toEqual([
      'IMPORT_MAC_MULTICAST',
      'IMPORT_MAC_SHARED',
      'IMPORT_MII_MONITOR_SECONDS',
      'IMPORT_NETWORKD_DANGLING',
      'IMPORT_PROVIDER_NETWORK_BESIDE',
      'IMPORT_USED_IPS_DASH_RANGE',
    ]);
    for (const f of json.findings)
      expect(Object.keys(f)).toEqual(['code', 'kind', 'file', 'path', 'message', 'action']);
    expect([...new Set(json.issues.map((i: { code: string }) => i.code))].sort()).toEqual([
      'MAC_DUPLICATE',
      'MAC_MULTICAST',
    ]);
    expect(code).toBe(1);
    const compiled = await compileWorkspace(ws.root, { sites: ['guide-import'] });
    expect(compiled.sites[0]!.environment?.haproxy.publicNetwork.vlan).toBe(40);

    // The text form groups findings for an operator.
    await fs.rm(path.join(ws.root, 'environments', 'guide-import'), { recursive: true });
    const text = await run(['import', GUIDE_CONFIG, '--site', 'guide-import']);
    expect(text.out).toContain('What OSA really does with this config (fixed in the definition):');
    expect(text.out).toContain('[IMPORT_USED_IPS_DASH_RANGE] openstack_user_config.yml → used_ips[4]');
    expect(text.out).toContain('wrote environments/guide-import/environment.ts, which has validation errors');
  });
});

describe('bad input writes nothing', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['not a config dir', { 'README.md': 'hello' }, /not an OpenStack-Ansible config dir/],
    [
      'YAML that does not parse',
      { 'openstack_user_config.yml': 'cidr_networks: [a\n' },
      /openstack_user_config\.yml: YAML does not parse \(line \d+/,
    ],
    [
      'a file that is not a mapping',
      {
        'openstack_user_config.yml': 'cidr_networks: {container: 10.0.0.0/22}\n',
        'conf.d/x.yml': '- a\n- b\n',
      },
      /conf\.d\/x\.yml: expected a mapping at the top level, found a list/,
    ],
    [
      'an env.d file that is not a mapping',
      { 'openstack_user_config.yml': 'cidr_networks: {}\n', 'env.d/haproxy.yml': 'just text\n' },
      /env\.d\/haproxy\.yml: expected a mapping/,
    ],
    [
      'unknown top-level keys',
      { 'openstack_user_config.yml': 'cidr_networks: {container: 10.0.0.0/22}\nglobal_overides: {}\n' },
      /unknown top-level key\(s\) "global_overides" in openstack_user_config\.yml/,
    ],
  ];
  cases.push([
    'a __proto__ key',
    { 'openstack_user_config.yml': 'cidr_networks:\n  __proto__: {polluted: 1}\n' },
    /has a key named __proto__ at cidr_networks\.__proto__/,
  ]);
  it.each(cases)('%s', async (_name, files, message) => {
    await writeFiles(tmp, files);
    const before = await listTree(ws.root);
    const { code, err, out } = await run(['import', tmp, '--site', 'new-site']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toContain('Nothing was written.');
    expect(err).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(await listTree(ws.root)).toEqual(before);
  });

  it('a site name that exists already', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1 });
    const before = await listTree(ws.root);
    const { code, err } = await run(['import', GUIDE_CONFIG, '--site', 'dc-a']);
    expect(code).toBe(1);
    expect(err).toContain('environments/dc-a exists already');
    expect(await listTree(ws.root)).toEqual(before);
    const json = JSON.parse((await run(['import', GUIDE_CONFIG, '--site', 'dc-a', '--json'])).out);
    expect(json).toMatchObject({ ok: false, written: null });
  });

  it('a path that is not a directory, and an invalid site name', async () => {
    const before = await listTree(ws.root);
    expect((await run(['import', path.join(tmp, 'missing'), '--site', 'x'])).err).toMatch(/does not exist/);
    await writeFiles(tmp, { 'f.yml': 'a: 1\n' });
    expect((await run(['import', path.join(tmp, 'f.yml'), '--site', 'x'])).err).toMatch(/is not a directory/);
    expect((await run(['import', GUIDE_CONFIG, '--site', '../evil'])).err).toMatch(/not a valid site name/);
    expect(await listTree(ws.root)).toEqual(before);
  });

  it('usage errors exit 2', async () => {
    expect((await run(['import', GUIDE_CONFIG])).code).toBe(2);
    expect((await run(['import', '--site', 'x'])).code).toBe(2);
    expect((await run(['import', 'a', 'b', '--site', 'x'])).code).toBe(2);
  });
});
