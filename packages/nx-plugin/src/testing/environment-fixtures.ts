import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@nx/devkit';

/** The real workspace this package lives in. */
export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/**
 * Copy the real definition sources (`environments/_shared/**` and the named sites' `*.ts`, never
 * their rendered trees) into a Tree, so specs exercise the shipped examples.
 */
export function copyEnvironmentSources(tree: Tree, sites: readonly string[]): void {
  for (const folder of ['_shared', ...sites]) {
    const dir = path.join(WORKSPACE_ROOT, 'environments', folder);
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.ts'))
        tree.write(`environments/${folder}/${name}`, fs.readFileSync(path.join(dir, name)));
    }
  }
}

/** All files under a Tree folder, as `{ relativePath: text }`, sorted. */
export function readTreeFolder(tree: Tree, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const child of tree.children(rel).sort()) {
      const p = `${rel}/${child}`;
      if (tree.isFile(p)) out[p.slice(dir.length + 1)] = tree.read(p, 'utf-8')!;
      else walk(p);
    }
  };
  if (tree.exists(dir)) walk(dir);
  return out;
}
