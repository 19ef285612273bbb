import * as path from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import { describeFsError } from './deploy-error';
import { errorCode, lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';
import type { Finding } from './finding';
import { topLevelKeys } from './yaml-keys';

/** Extensions Ansible's vars loader tries, in its order (`''` first: a directory wins). */
const VARS_EXTENSIONS = ['', '.yml', '.yaml', '.json'];
const OWNED_HOST_VARS = /^host_vars\/([^/]+)\.yml$/;
const OWNED_GROUP_DIR_FILE = /^group_vars\/([^/]+)\/.+$/;

/**
 * Unowned group_vars/host_vars files that beat ours, as Ansible's `host_group_vars` plugin loads
 * them (ansible-core `DataLoader.find_vars_files`, checked with ansible-inventory 2.14):
 *
 * - for an entity it tries `<name>` (a directory, read recursively in sorted order, hidden and
 *   `~` files skipped), then `<name>.yml`, `.yaml`, `.json`, and **stops at the first that
 *   exists**; within a directory later files override earlier ones.
 * - so an unowned file in `group_vars/<g>/` that sorts after one of ours and sets one of its keys
 *   replaces our value (refused); one sorting before is overridden by ours (a warning: its value
 *   is dead);
 * - a `host_vars/<host>/` directory (or a `host_vars/<host>` file) means our `host_vars/<host>.yml`
 *   is never read at all (refused, naming the files and which of our keys they set);
 * - an unowned `group_vars/<g>.yml|.yaml|.json` is no longer read once our `group_vars/<g>/`
 *   exists, and an unowned `host_vars/<host>.yaml|.json` once our `.yml` does (refused when our
 *   deploy is what hides it, a warning when it was hidden already).
 *
 * Looks at the config dir as it will be after the sync: our rendered files in, orphans we
 * remove out. Only key names are ever reported.
 */
export async function checkVarsShadowing(
  fs: DeployFs,
  configDir: string,
  tree: RenderedTree,
  previousOwned: readonly string[] | undefined,
): Promise<Finding[]> {
  const rendered = new Set(tree.keys());
  const ours = new Set([...rendered, ...(previousOwned ?? [])]);
  const findings: Finding[] = [];
  const keysOf = async (rel: string): Promise<string[] | undefined> =>
    rendered.has(rel)
      ? topLevelKeys(tree.get(rel)!)
      : topLevelKeys((await readText(fs, configDir, rel)) ?? '');
  const unparseable = (rel: string): Finding => ({
    severity: 'warning',
    file: rel,
    message: 'is not a plain YAML mapping (vault-encrypted?), so it was not checked for variables we set',
  });

  const groups = new Set([...rendered].flatMap((p) => OWNED_GROUP_DIR_FILE.exec(p)?.[1] ?? []));
  for (const group of [...groups].sort()) {
    const dir = `group_vars/${group}`;
    // Ansible's order over the dir as it will be: files on disk (minus our orphans) plus ours.
    const files = [
      ...new Set([
        ...(await walkVarsDir(fs, configDir, dir)),
        ...[...rendered].filter((p) => p.startsWith(`${dir}/`)),
      ]),
    ]
      .filter((p) => rendered.has(p) || !ours.has(p))
      .sort(ansibleOrder);
    const before = new Map<string, string>(); // key → our file that set it, earlier in the order
    for (const [i, rel] of files.entries()) {
      if (rendered.has(rel)) {
        for (const k of (await keysOf(rel)) ?? []) before.set(k, rel);
        continue;
      }
      const keys = await keysOf(rel);
      if (keys === undefined) {
        findings.push(unparseable(rel));
        continue;
      }
      const beats = unique(keys.filter((k) => before.has(k)));
      if (beats.length > 0) {
        const where = unique(beats.map((k) => before.get(k)!));
        findings.push({
          severity: 'error',
          file: rel,
          message:
            `sets ${beats.join(', ')}, which osa-gitops sets in ${where.join(', ')}. Ansible reads the files of ${dir}/ ` +
            'in lexical order and a later file wins, so ours would be silently replaced. Remove these keys from that ' +
            'file (or rename it to sort before ours, if its value is not meant to count).',
        });
      }
      const later = new Map<string, string>();
      for (const next of files.slice(i + 1).filter((p) => rendered.has(p)))
        for (const k of (await keysOf(next)) ?? []) if (!later.has(k)) later.set(k, next);
      const dead = unique(keys.filter((k) => !before.has(k) && later.has(k)));
      if (dead.length > 0) {
        findings.push({
          severity: 'warning',
          file: rel,
          message: `sets ${dead.join(', ')}, which osa-gitops sets in ${unique(dead.map((k) => later.get(k)!)).join(', ')}; that later file wins, so these values are ignored`,
        });
      }
    }
    const dirExists = (await lstatIfExists(fs, path.join(configDir, dir)))?.isDirectory() ?? false;
    for (const ext of VARS_EXTENSIONS.slice(1)) {
      const flat = `${dir}${ext}`;
      if (ours.has(flat) || !(await isFile(fs, configDir, flat))) continue;
      findings.push({
        severity: dirExists ? 'warning' : 'error',
        file: flat,
        message:
          `is not read by Ansible ${dirExists ? 'now' : 'once osa-gitops creates'} ${dir}/: it reads that directory and ` +
          `stops looking. Move its variables into a file inside ${dir}/ (sorting before ours, so ours win where both set a key).`,
      });
    }
  }

  for (const rel of [...rendered].sort()) {
    const host = OWNED_HOST_VARS.exec(rel)?.[1];
    if (host === undefined) continue;
    const base = `host_vars/${host}`;
    const stats = await lstatIfExists(fs, path.join(configDir, base)).catch((err: unknown) => {
      throw describeFsError('inspect', path.join(configDir, base), err);
    });
    if (stats !== undefined) {
      const ourKeys = new Set((await keysOf(rel)) ?? []);
      const inside = stats.isDirectory()
        ? (await walkVarsDir(fs, configDir, base)).sort(ansibleOrder)
        : [base];
      const parts: string[] = [];
      for (const f of inside) {
        const keys = await keysOf(f);
        const clash = keys === undefined ? undefined : unique(keys.filter((k) => ourKeys.has(k)));
        parts.push(
          clash === undefined
            ? `${f} (not a YAML mapping)`
            : clash.length > 0
              ? `${f} sets ${clash.join(', ')}`
              : `${f} sets none of our keys`,
        );
      }
      findings.push({
        severity: 'error',
        file: stats.isDirectory() ? `${base}/` : base,
        message:
          `exists, so Ansible reads it for ${host} and never reads ${rel}, which osa-gitops deploys: every variable ` +
          `osa-gitops sets for ${host} (${[...ourKeys].sort().join(', ') || 'none'}) would be silently missing. ` +
          `${parts.length > 0 ? `${parts.join('; ')}. ` : ''}Move what it holds elsewhere (a \`host_vars:\` entry ` +
          `for ${host} in a conf.d/*.yml host group, or user_variables.yml) and remove it.`,
      });
    }
    const ymlExists = await isFile(fs, configDir, rel);
    for (const ext of ['.yaml', '.json']) {
      const other = `${base}${ext}`;
      if (ours.has(other) || !(await isFile(fs, configDir, other))) continue;
      findings.push({
        severity: ymlExists ? 'warning' : 'error',
        file: other,
        message:
          `is not read by Ansible ${ymlExists ? 'now' : 'once osa-gitops writes'} ${rel}: it takes the first of ` +
          `${base}.yml, .yaml, .json and stops. Move its variables into a \`host_vars:\` entry for ${host} in a ` +
          'conf.d/*.yml host group, or into user_variables.yml, and remove it.',
      });
    }
  }
  return findings;
}

/** Python's sorted() per directory level, recursively: compare path segment by segment. */
function ansibleOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** The vars files below `rel` that Ansible would read, recursively (hidden and `~` skipped). */
async function walkVarsDir(fs: DeployFs, root: string, rel: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(root, rel));
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return [];
    throw describeFsError('list', path.join(root, rel), err);
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.endsWith('~')) continue;
    const child = `${rel}/${e.name}`;
    const ext = path.extname(e.name);
    const stats = await fs.stat(path.join(root, child)).catch(() => undefined); // Ansible follows links
    if (stats?.isDirectory() && ext === '') out.push(...(await walkVarsDir(fs, root, child)));
    else if (stats?.isFile() && VARS_EXTENSIONS.includes(ext)) out.push(child);
  }
  return out;
}

async function isFile(fs: DeployFs, root: string, rel: string): Promise<boolean> {
  const stats = await fs.stat(path.join(root, rel)).catch(() => undefined);
  return stats?.isFile() ?? false;
}

async function readText(fs: DeployFs, root: string, rel: string): Promise<string | undefined> {
  try {
    return (await readIfExists(fs, path.join(root, rel)))?.toString('utf8');
  } catch (err) {
    throw describeFsError('read', path.join(root, rel), err);
  }
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}
