import { SITE_NAME as CORE_SITE_NAME } from '@osa-gitops/core';
import { describe, expect, it } from 'vitest';
import { createNodesV2, SITE_NAME } from './create-nodes';

const context = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };

describe('createNodesV2', () => {
  it('infers site-<name> projects with validate and render targets, and the shared project', async () => {
    const results = await createNodesV2[1](
      [
        'environments/guide-lab/environment.ts',
        'environments/guide-lab/hosts.ts',
        'environments/_shared/base.ts',
        'environments/Bad_Name/environment.ts',
      ],
      undefined,
      context,
    );
    const projects = Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<string, any>;
    expect(Object.keys(projects).sort()).toEqual(['environments/_shared', 'environments/guide-lab']);
    expect(projects['environments/_shared'].name).toBe('environments-shared');

    const site = projects['environments/guide-lab'];
    expect(site.name).toBe('site-guide-lab');
    expect(site.targets.validate).toMatchObject({
      cache: true,
      options: { command: 'node packages/cli/bin/osa-gitops.cjs validate guide-lab' },
    });
    expect(site.targets.validate.inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/**/*',
        '!{projectRoot}/openstack_deploy/**/*',
        '{workspaceRoot}/environments/_shared/**/*',
        '{workspaceRoot}/packages/core/src/**/*',
        '{workspaceRoot}/packages/loader/src/**/*',
      ]),
    );
    expect(site.targets.render).toMatchObject({
      cache: false,
      options: { command: 'nx g @osa-gitops/nx-plugin:render --site=guide-lab' },
    });
  });

  it('makes every site’s definitions an input of each validate target (fleet rules compare sites)', async () => {
    const results = await createNodesV2[1](
      ['environments/dc-east/environment.ts', 'environments/dc-west/environment.ts'],
      undefined,
      context,
    );
    const projects = Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<string, any>;
    for (const root of ['environments/dc-east', 'environments/dc-west']) {
      const inputs: unknown[] = projects[root].targets.validate.inputs;
      expect(inputs).toContain('{workspaceRoot}/environments/**/*');
      // Rendered output is excluded, and the exclusion follows the inclusion it narrows.
      const exclude = inputs.indexOf('!{workspaceRoot}/environments/*/openstack_deploy/**/*');
      expect(exclude).toBeGreaterThan(inputs.indexOf('{workspaceRoot}/environments/**/*'));
    }
  });

  it('uses the same site-name pattern as core (kept local so Nx does not load core)', () => {
    expect(SITE_NAME.source).toBe(CORE_SITE_NAME.source);
  });
});
