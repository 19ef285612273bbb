import { beforeAll, describe, expect, it } from 'vitest';
import { compileSites } from './compile-sites';
import { loadTimeoutSetting } from './load-timeout';
import { findOrphanTrees } from './orphan-trees';
import { createFsSourceReader } from './source-reader';
import { createTestWorkspace } from './test-workspace';

// Valid sites and fleet conflicts are covered through the CLI's compileWorkspace and the Nx
// render generator, which both call compileSites; here: what needs no valid definition.
const root = createTestWorkspace({
  'environments/bad/environment.ts': "export default { name: 'bad' };\n",
  'environments/gone/openstack_deploy/openstack_user_config.yml': 'cidr_networks: {}\n',
  'environments/notes/README.md': 'not a site, no rendered tree: ignored\n',
  'environments/_shared/openstack_deploy/x.yml': 'shared parts are never sites\n',
});

// Issues are located with the TypeScript compiler, loaded on the first one (seconds on a busy
// machine): loaded once here so no single test's budget carries it.
beforeAll(() => import('typescript'), 120_000);

describe('compileSites', () => {
  it('reports a rendered tree without a definition as a LOAD_FAILED site', async () => {
    const ws = await compileSites(root);
    expect(ws.ok).toBe(false);
    expect(ws.sites.map((s) => s.site)).toEqual(['bad', 'gone']);
    expect(ws.sites[1]).toEqual({
      site: 'gone',
      file: 'environments/gone/environment.ts',
      issues: [
        {
          code: 'LOAD_FAILED',
          severity: 'error',
          site: 'gone',
          path: [],
          message:
            'rendered tree without a definition: delete environments/gone/openstack_deploy or add environments/gone/environment.ts',
          file: 'environments/gone/openstack_deploy',
        },
      ],
    });
  });

  it('returns only requested sites, naming the invalid ones left out', async () => {
    const ws = await compileSites(root, { sites: ['gone'] });
    expect(ws.sites.map((s) => s.site)).toEqual(['gone']);
    expect(ws.invalidElsewhere).toEqual(['bad']);
    const missing = await compileSites(root, { sites: ['nowhere'] });
    expect(missing.sites[0]!.issues[0]).toMatchObject({ code: 'LOAD_FAILED', site: 'nowhere' });
    expect(missing.invalidElsewhere).toEqual(['bad', 'gone']);
  });
});

describe('compileSites, many sites', () => {
  it('compiles every loaded site once, a chunk at a time, in a result that does not depend on timing', async () => {
    // More sites than one compile chunk: the chunks yield to the event loop between them.
    const names = Array.from({ length: 70 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const many = createTestWorkspace(
      Object.fromEntries(
        names.map((n) => [`environments/${n}/environment.ts`, `export default { name: '${n}' };\n`]),
      ),
    );
    const progress: number[] = [];
    // 'missing' fails before bundling and is handed over first, on its own: the batch after it
    // must still be compiled.
    const ws = await compileSites(many, {
      sites: [...names, 'missing'],
      onProgress: (done, _total, phase) => phase === 'validating' && progress.push(done),
    });
    expect(ws.sites.map((s) => s.site)).toEqual(['missing', ...names]); // sorted
    expect(ws.sites[0]!.issues.map((i) => i.code)).toEqual(['LOAD_FAILED']);
    // Each definition lacks almost everything: validation ran on each (not a load failure).
    for (const s of ws.sites.slice(1)) expect(s.issues.map((i) => i.code)).toContain('SCHEMA_INVALID');
    expect(progress).toEqual([...names, 'missing'].map((_, i) => i + 1));
  }, 60_000);
});

describe('findOrphanTrees', () => {
  it('finds folders with rendered output and no definition, never _ or . folders', () => {
    expect(findOrphanTrees(createFsSourceReader(root))).toEqual(['gone']);
  });
});

describe('loadTimeoutSetting', () => {
  it('reads OSA_GITOPS_LOAD_TIMEOUT_MS: unset, valid, refused', () => {
    expect(loadTimeoutSetting({})).toEqual({ ok: true, timeoutMs: undefined });
    expect(loadTimeoutSetting({ OSA_GITOPS_LOAD_TIMEOUT_MS: '' })).toEqual({
      ok: true,
      timeoutMs: undefined,
    });
    expect(loadTimeoutSetting({ OSA_GITOPS_LOAD_TIMEOUT_MS: '250' })).toEqual({ ok: true, timeoutMs: 250 });
    expect(loadTimeoutSetting({ OSA_GITOPS_LOAD_TIMEOUT_MS: '5s' })).toMatchObject({ ok: false });
    expect(loadTimeoutSetting({ OSA_GITOPS_LOAD_TIMEOUT_MS: '99' })).toMatchObject({ ok: false });
  });
});
