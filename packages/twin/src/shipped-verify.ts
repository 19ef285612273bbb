import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import { ansibleEnv, makeOsaDir, tempDir } from '@osa-gitops/deployer/testing';
import type { VerifyResultJson } from '@osa-gitops/render';
import type { Twin } from './twin';

/** The commit the twin's stage record names as deployed (verify records it when everything passes). */
export const TWIN_COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** The repository this package is in: the shipped command is its `packages/cli/bin/osa-gitops.cjs`. */
export const REPO = resolve(__dirname, '..', '..', '..');
export const OSA_GITOPS_BIN = join(REPO, 'packages', 'cli', 'bin', 'osa-gitops.cjs');

export interface ShippedVerify {
  readonly code: number;
  /** The config dir it ran with (its `.osa-gitops/` holds the stage and verified records). */
  readonly configDir: string;
  readonly json?: VerifyResultJson;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A config dir and a stand-in OSA checkout for the twin: the site's tree in the config dir (the
 * wrapper passes its `user_*.yml` as extra vars, as on a real host), a stage record saying the
 * containers and haproxy stages are live, and a stand-in `openstack-ansible` (the deployer's
 * test fixture: the real wrapper reduced to what osa-gitops relies on) whose inventory is the
 * twin's: the containers (and metal members) reached by `ip netns exec <ns> python3`, the way
 * OSA's connection plugin reaches a container, and the service groups with their backends.
 */
export function twinOsaSetup(
  twin: Twin,
  site: string,
  tree: RenderedTree,
): { configDir: string; osaDir: string } {
  const configDir = join(tempDir('twin-config'), 'openstack_deploy');
  for (const [p, text] of tree) {
    mkdirSync(dirname(join(configDir, p)), { recursive: true });
    writeFileSync(join(configDir, p), text);
  }
  mkdirSync(join(configDir, '.osa-gitops'), { recursive: true });
  writeFileSync(
    join(configDir, '.osa-gitops', 'stages.json'),
    JSON.stringify({
      site,
      commit: TWIN_COMMIT,
      updatedAt: new Date().toISOString(),
      applied: { containers: true, haproxy: true },
      pending: [],
    }),
  );
  const osaDir = makeOsaDir({ hosts: twin.inventory() });
  return { configDir, osaDir };
}

/**
 * `node packages/cli/bin/osa-gitops.cjs verify <site> --json` as shipped, run in the twin's
 * gateway namespace (the deploy host: it reaches the VIPs there and nowhere else), from the
 * repository root (the workspace holding the site's definition). The stand-in inventory is
 * written anew for each run, so a metal member added since counts.
 */
export async function runShippedVerify(
  twin: Twin,
  site: string,
  tree: RenderedTree,
  extraEnv: Record<string, string> = {},
): Promise<ShippedVerify> {
  const { configDir, osaDir } = twinOsaSetup(twin, site, tree);
  const env = { ...ansibleEnv(), ...extraEnv };
  const r = await twin.inGateway(
    [
      'env',
      '-C',
      REPO,
      process.execPath,
      OSA_GITOPS_BIN,
      'verify',
      site,
      '--config-dir',
      configDir,
      '--osa-dir',
      osaDir,
      '--osa-bin',
      join(osaDir, 'openstack-ansible'),
      '--json',
    ],
    { timeoutMs: 300_000, env: { ...env, PATH: process.env['PATH'] ?? '/usr/bin:/bin' } },
  );
  let json: VerifyResultJson | undefined;
  try {
    json = JSON.parse(r.stdout) as VerifyResultJson;
  } catch {
    json = undefined;
  }
  return { code: r.rc, configDir, ...(json ? { json } : {}), stdout: r.stdout, stderr: r.stderr };
}
