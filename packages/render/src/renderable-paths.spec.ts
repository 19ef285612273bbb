import { describe, expect, it } from 'vitest';
import { guideInput, guideSecondSite } from '@osa-gitops/core';
import { compileEnvironment } from './compile-environment';
import { MANIFEST_FILE } from './manifest';
import { isRenderablePath, isRenderedDir } from './renderable-paths';

describe('isRenderablePath', () => {
  it('accepts every path the renderer produces, and every folder they live in', () => {
    for (const input of [guideInput(), guideSecondSite()]) {
      const { tree } = compileEnvironment(input);
      expect(tree).toBeDefined();
      for (const p of tree!.keys()) {
        if (p === MANIFEST_FILE) continue;
        expect(isRenderablePath(p), p).toBe(true);
        const parts = p.split('/').slice(0, -1);
        parts.forEach((_, i) => expect(isRenderedDir(parts.slice(0, i + 1).join('/')), p).toBe(true));
      }
    }
  });

  it("refuses the operator's files, OSA state, secrets and path tricks", () => {
    for (const p of [
      'user_variables.yml',
      'user_secrets.yml',
      'openstack_inventory.json',
      'conf.d/x.yml',
      'env.d/other.yml',
      '../victim',
      'host_vars/../../etc/passwd.yml',
      'host_vars/a/b.yml',
      '/etc/passwd',
      'group_vars/haproxy/../../x.yml',
    ]) {
      expect(isRenderablePath(p), p).toBe(false);
    }
    for (const d of ['conf.d', '..', '.osa-gitops', 'group_vars/../x'])
      expect(isRenderedDir(d), d).toBe(false);
  });
});
