import { SITE_NAME as CORE_SITE_NAME } from '@osa-gitops/core';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodesV2, SITE_NAME } from './create-nodes';

const context = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };

describe('createNodesV2', () => {
  it('infers site-<name> projects with validate, check and render targets, and parts projects', async () => {
    const results = await createNodesV2[1](
      [
        'environments/guide-lab/environment.ts',
        'environments/guide-lab/hosts.ts',
        'environments/_shared/base.ts',
        'environments/_shared/deep/bond.ts',
        'environments/common/vlans.ts',
        'environments/Bad_Name/environment.ts',
        'environments/guide-lab/openstack_deploy/stray.js',
      ],
      undefined,
      context,
    );
    const projects = Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<string, any>;
    expect(Object.keys(projects).sort()).toEqual([
      'environments',
      'environments/Bad_Name',
      'environments/_shared',
      'environments/common',
      'environments/guide-lab',
    ]);
    expect(projects['environments/_shared'].name).toBe('environments-shared');
    expect(projects['environments/common'].name).toBe('environments-parts-common');
    // A misnamed site folder is a parts project (the fleet target reports its NAME_INVALID).
    expect(projects['environments/Bad_Name'].name).toBe('environments-parts-Bad_Name');

    const site = projects['environments/guide-lab'];
    expect(site.name).toBe('site-guide-lab');
    // Rendered output is excluded from a folder's default input, after the inclusion it narrows.
    expect(site.namedInputs.default).toEqual(['{projectRoot}/**/*', '!{projectRoot}/openstack_deploy/**/*']);
    expect(projects['environments/_shared'].namedInputs.default).toEqual(site.namedInputs.default);
    expect(site.targets.validate).toMatchObject({
      cache: true,
      options: {
        command: 'node packages/cli/bin/osa-gitops.cjs validate guide-lab --no-fleet',
        env: { NO_COLOR: '1' },
      },
    });
    expect(site.targets.validate.inputs).toEqual(
      expect.arrayContaining([
        'default',
        { input: 'default', dependencies: true },
        '{workspaceRoot}/packages/core/src/**/*',
        '{workspaceRoot}/packages/rules/src/**/*',
        '{workspaceRoot}/packages/render/src/**/*',
        '{workspaceRoot}/packages/loader/src/**/*',
      ]),
    );
    expect(site.targets.check).toMatchObject({
      cache: true,
      options: {
        command: 'node packages/cli/bin/osa-gitops.cjs check guide-lab --no-fleet',
        env: { NO_COLOR: '1' },
      },
    });
    expect(site.targets.check.inputs).toContain('{projectRoot}/openstack_deploy/**/*');
    expect(site.targets.render).toMatchObject({
      cache: false,
      options: { command: 'node packages/cli/bin/osa-gitops.cjs render guide-lab', env: { NO_COLOR: '1' } },
    });
  });

  it('validates one site from its own inputs only, and the fleet once, depending on every site', async () => {
    const results = await createNodesV2[1](
      ['environments/dc-east/environment.ts', 'environments/dc-west/environment.ts'],
      undefined,
      context,
    );
    const projects = Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<string, any>;
    for (const root of ['environments/dc-east', 'environments/dc-west']) {
      const inputs: unknown[] = projects[root].targets.validate.inputs;
      // No other site's files: a change to dc-west does not invalidate dc-east's cached result
      // nor make it affected (Nx treats {workspaceRoot} inputs as touching the project).
      expect(inputs.filter((i) => typeof i === 'string' && i.includes('environments'))).toEqual([]);
    }
    const fleet = projects['environments'];
    expect(fleet.name).toBe('environments-fleet');
    expect(fleet.implicitDependencies).toEqual(['site-dc-east', 'site-dc-west']);
    expect(fleet.targets.validate).toMatchObject({
      cache: true,
      options: { command: 'node packages/cli/bin/osa-gitops.cjs validate', env: { NO_COLOR: '1' } },
    });
    const inputs: unknown[] = fleet.targets.validate.inputs;
    expect(inputs).toContain('{workspaceRoot}/environments/**/*');
    const exclude = inputs.indexOf('!{workspaceRoot}/environments/*/openstack_deploy/**/*');
    expect(exclude).toBeGreaterThan(inputs.indexOf('{workspaceRoot}/environments/**/*'));
  });

  it('infers no fleet project without sites, and depends on the tool only where it is a project', async () => {
    const none = await createNodesV2[1](['environments/_shared/base.ts'], undefined, context);
    expect(none.flatMap(([, r]) => Object.keys(r.projects ?? {}))).toEqual(['environments/_shared']);

    const repo = path.resolve(__dirname, '../../../..');
    const here = await createNodesV2[1](['environments/a/environment.ts'], undefined, {
      ...context,
      workspaceRoot: repo,
    });
    const projects = Object.assign({}, ...here.map(([, r]) => r.projects ?? {})) as Record<string, any>;
    expect(projects['environments/a'].implicitDependencies).toEqual([
      '@osa-gitops/core',
      '@osa-gitops/loader',
      '@osa-gitops/cli',
    ]);
  });

  it('uses the same site-name pattern as core (kept local so Nx does not load core)', () => {
    expect(SITE_NAME.source).toBe(CORE_SITE_NAME.source);
  });
});
