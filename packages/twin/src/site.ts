import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentSchema, toRenderedTree, type Environment, type RenderedTree } from '@osa-gitops/core';
import { REPO } from './shipped-verify';

/** A site of this repository: its definition (parsed) and its committed rendered tree, as deployed. */
export async function loadRepoSite(site: string): Promise<{ environment: Environment; tree: RenderedTree }> {
  const mod = (await import(join(REPO, 'environments', site, 'environment.ts'))) as { default: unknown };
  const environment = EnvironmentSchema.parse(mod.default);
  const root = join(REPO, 'environments', site, 'openstack_deploy');
  const files: [string, string][] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) files.push([child, readFileSync(join(root, child), 'utf8')]);
    }
  };
  walk('');
  return { environment, tree: toRenderedTree(files) };
}
