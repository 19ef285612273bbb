import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MANIFEST_FILE, isOwnablePath, parseManifest, planTreeSync, renderManifest } from './manifest';
import { toRenderedTree } from '@osa-gitops/core';

describe('manifest', () => {
  it('renders deterministic JSON listing itself and every path, sorted', () => {
    const text = renderManifest('dc1', ['user_variables_haproxy_lxc.yml', 'env.d/haproxy.yml']);
    expect(text).toMatchInlineSnapshot(`
      "{
        "generator": "osa-gitops",
        "site": "dc1",
        "source": "environments/dc1/environment.ts",
        "files": [
          "env.d/haproxy.yml",
          "osa-gitops-manifest.json",
          "user_variables_haproxy_lxc.yml"
        ]
      }
      "
    `);
    expect(parseManifest(text)).toEqual([
      'env.d/haproxy.yml',
      MANIFEST_FILE,
      'user_variables_haproxy_lxc.yml',
    ]);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['no files', '{"site":"x"}'],
    ['a non-string file', '{"files":[1]}'],
    ['an absolute path', '{"files":["/etc/passwd"]}'],
    ['a parent path', '{"files":["host_vars/../../x"]}'],
    ['a backslash', '{"files":["host_vars\\\\x.yml"]}'],
    ['OSA state', '{"files":["openstack_inventory.json"]}'],
    ['secrets', '{"files":["user_secrets.yml"]}'],
  ])('rejects %s', (_, text) => {
    expect(parseManifest(text)).toBeUndefined();
  });

  it('accepts only plain relative POSIX paths', () => {
    expect(isOwnablePath('group_vars/haproxy/lxc_network.yml')).toBe(true);
    for (const p of ['', '.', '..', 'a//b', './a', 'a/', ' a', 'a b', 'C:\\x'])
      expect(isOwnablePath(p), p).toBe(false);
  });
});

describe('planTreeSync', () => {
  const next = toRenderedTree([
    ['a.yml', 'A2'],
    ['b.yml', 'B'],
    ['c.yml', 'C'],
  ]);

  it('writes changed and missing files, keeps identical ones, removes orphans of the previous manifest', () => {
    const current = new Map([
      ['a.yml', 'A1'],
      ['b.yml', 'B'],
      ['old.yml', 'O'],
      ['operator.yml', 'mine'],
    ]);
    expect(planTreeSync(['a.yml', 'b.yml', 'old.yml'], next, current)).toEqual({
      write: ['a.yml', 'c.yml'],
      remove: ['old.yml'],
      unchanged: ['b.yml'],
    });
  });

  it('removes nothing without a previous manifest', () => {
    expect(planTreeSync(undefined, next, new Map([['old.yml', 'O']])).remove).toEqual([]);
  });

  it('never removes a file outside the previous manifest, nor an unsafe path (property)', () => {
    const name = fc.constantFrom(
      'a.yml',
      'b.yml',
      'c.yml',
      'd.yml',
      'e.yml',
      '../x',
      'openstack_inventory.json',
    );
    fc.assert(
      fc.property(fc.array(name), fc.array(name), (previous, currentNames) => {
        const current = new Map(currentNames.map((n) => [n, 'x']));
        const plan = planTreeSync(previous, next, current);
        for (const p of plan.remove) {
          expect(previous).toContain(p);
          expect(next.has(p)).toBe(false);
          expect(isOwnablePath(p)).toBe(true);
        }
        expect([...plan.write, ...plan.unchanged].sort()).toEqual([...next.keys()]);
      }),
    );
  });
});
