import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSites, type LoadResult } from '../load-sites';
import { createTestWorkspace, writeFiles } from '../test-workspace';
import { BUNDLE_FINGERPRINT } from './bundle-site';
import { POLICY_FINGERPRINT } from './import-policy-plugin';

const SHARED = "export const groups = ['haproxy_hosts'];\n";
const site = (name: string, extra = ''): string =>
  `import { defineEnvironment } from '@osa-gitops/core';\nimport { groups } from '../_shared/base';\nimport { ip } from './hosts';\n${extra}export default defineEnvironment({ name: '${name}', hosts: { a: { ip: ip(), groups } } } as never);\n`;

function workspace(): { root: string; dir: string } {
  const root = createTestWorkspace({
    'environments/_shared/base.ts': SHARED,
    'environments/a/environment.ts': site('a'),
    'environments/a/hosts.ts': "export const ip = (): string => '10.0.0.1';\n",
    'environments/b/environment.ts': site('b'),
    'environments/b/hosts.ts': "export const ip = (): string => '10.0.0.2';\n",
  });
  // Each test its own cache folder: what one test leaves is never another's hit.
  return { root, dir: fs.mkdtempSync(path.join(os.tmpdir(), 'osa-bundle-cache-')) };
}

async function load(root: string, dir: string, sites = ['a', 'b']) {
  const stats = { bundled: 0, reused: 0 };
  const results = await loadSites(root, sites, { bundleCache: { dir }, stats });
  return { stats, results, by: new Map(results.map((r) => [r.site, r])) };
}

const value = (r: LoadResult | undefined): unknown => (r?.ok ? r.value : r?.issues);

describe('the bundle cache (unchanged definitions are not bundled again)', { timeout: 60_000 }, () => {
  it('reuses every bundle of an unchanged workspace, with the same results', async () => {
    const { root, dir } = workspace();
    const first = await load(root, dir);
    expect(first.stats).toEqual({ bundled: 2, reused: 0 });
    const second = await load(root, dir);
    expect(second.stats).toEqual({ bundled: 0, reused: 2 });
    expect(second.results).toEqual(first.results);
    // Without the cache: the same again.
    expect(await loadSites(root, ['a', 'b'], { bundleCache: false })).toEqual(first.results);
  });

  it('bundles again what an edited file reaches: a shared file reaches every site, a site file its own', async () => {
    const { root, dir } = workspace();
    await load(root, dir);
    writeFiles(root, { 'environments/a/hosts.ts': "export const ip = (): string => '10.0.0.9';\n" });
    const one = await load(root, dir);
    expect(one.stats).toEqual({ bundled: 1, reused: 1 });
    expect(value(one.by.get('a'))).toMatchObject({ hosts: { a: { ip: '10.0.0.9' } } });
    writeFiles(root, { 'environments/_shared/base.ts': "export const groups = ['shared-infra_hosts'];\n" });
    const all = await load(root, dir);
    expect(all.stats).toEqual({ bundled: 2, reused: 0 });
    expect(value(all.by.get('b'))).toMatchObject({ hosts: { a: { groups: ['shared-infra_hosts'] } } });
  });

  it('does not reuse a bundle when a new file would now be imported instead', async () => {
    const { root, dir } = workspace();
    await load(root, dir);
    // `./hosts` resolves to the file as written before `hosts.ts`: now it is not a source file.
    writeFiles(root, { 'environments/a/hosts': 'not a module\n' });
    const { stats, by } = await load(root, dir);
    expect(stats).toEqual({ bundled: 1, reused: 1 });
    const a = by.get('a')!;
    expect(a.ok).toBe(false);
    expect(a.ok ? [] : a.issues.map((i) => i.code)).toEqual(['LOAD_FORBIDDEN_IMPORT']);
    expect(a.ok ? '' : a.issues[0]!.message).toContain(
      '"./hosts" is not a TypeScript, JavaScript or JSON file',
    );
  });

  it('does not reuse a bundle when a symbolic link appears on the way to a file it was built from', async () => {
    const { root, dir } = workspace();
    await load(root, dir);
    const shared = path.join(root, 'environments/_shared');
    fs.renameSync(shared, path.join(root, 'shared-real'));
    fs.symlinkSync(path.join(root, 'shared-real'), shared);
    const { stats, by } = await load(root, dir);
    expect(stats.reused).toBe(0);
    for (const s of ['a', 'b']) {
      const r = by.get(s)!;
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.issues[0]!.message).toContain('symbolic link environments/_shared');
    }
  });

  it('ignores an entry it cannot trust (malformed, or from other bundler rules) and bundles again', async () => {
    const { root, dir } = workspace();
    const first = await load(root, dir);
    const [entryA, entryB] = ['a', 'b'].map((s) => path.join(dir, `${s}.json`));
    fs.writeFileSync(entryA!, '{ not json');
    const b = JSON.parse(fs.readFileSync(entryB!, 'utf8')) as { key: string; code: string };
    fs.writeFileSync(entryB!, JSON.stringify({ ...b, key: 'another policy', code: 'module.exports = {}' }));
    const again = await load(root, dir);
    expect(again.stats).toEqual({ bundled: 2, reused: 0 });
    expect(again.results).toEqual(first.results);
  });

  it('places an error thrown by a cached bundle on its line, as without the cache', async () => {
    const { root, dir } = workspace();
    writeFiles(root, {
      'environments/a/hosts.ts': "export const ip = (): string => {\n  throw new Error('no ip');\n};\n",
    });
    const first = await load(root, dir, ['a']);
    const second = await load(root, dir, ['a']);
    expect(second.stats).toEqual({ bundled: 0, reused: 1 });
    expect(second.results).toEqual(first.results);
    expect(second.results[0]).toMatchObject({
      ok: false,
      issues: [{ code: 'LOAD_FAILED', file: 'environments/a/hosts.ts', line: 2 }],
    });
  });

  it("keys entries by every function of the bundler's and the import policy's files", () => {
    // A function missing from a fingerprint could change how definitions are bundled or refused
    // without a new key, and a bundle made the old way would be reused.
    for (const [file, fingerprint] of [
      ['import-policy-plugin.ts', POLICY_FINGERPRINT],
      ['bundle-site.ts', BUNDLE_FINGERPRINT],
    ] as const) {
      const text = fs.readFileSync(path.join(__dirname, file), 'utf8');
      const names = [...text.matchAll(/^(?:export )?(?:async )?function (\w+)/gm)].map((m) => m[1]!);
      expect(names.length, file).toBeGreaterThan(2);
      for (const name of names)
        expect(fingerprint, `${file}: ${name}`).toMatch(new RegExp(`function ${name}\\(`));
    }
  });
});
