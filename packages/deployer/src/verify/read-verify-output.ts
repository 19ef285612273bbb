import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CommandOutput, RawContainerOutput } from '@osa-gitops/render';

/** More containers than any site has; a directory with more files is not ours. */
const MAX_FILES = 1000;
/** `ip -j addr` of a container with many addresses is a few KB; 1 MB is far beyond it. */
const MAX_BYTES = 1024 * 1024;

/**
 * What the verify playbook wrote into its output dir: `hosts/<inventory name>.json` per member of
 * the haproxy group, and `site.json` (the inventory groups that have hosts). A missing or
 * malformed `site.json` gives undefined groups (then only haproxy-install's own frontends are
 * expected, and the log says so).
 */
export async function readVerifyDir(
  dir: string,
): Promise<{ members: RawContainerOutput[]; groupsWithHosts?: string[] }> {
  const members = await readVerifyOutput(path.join(dir, 'hosts'));
  let groupsWithHosts: string[] | undefined;
  try {
    const file = path.join(dir, 'site.json');
    if ((await fsp.lstat(file)).size <= MAX_BYTES) {
      const v = obj(JSON.parse(await fsp.readFile(file, 'utf8')))['groupsWithHosts'];
      if (Array.isArray(v))
        groupsWithHosts = v.filter((g): g is string => typeof g === 'string').slice(0, 100_000);
    }
  } catch {
    groupsWithHosts = undefined;
  }
  return { members, ...(groupsWithHosts !== undefined ? { groupsWithHosts } : {}) };
}

/**
 * Read the per-member files: one `<inventory name>.json` per member of the haproxy group, in the
 * shape of RawContainerOutput. Anything malformed becomes an unreachable container with the
 * reason, never a crash and never a pass. Sorted by name.
 */
export async function readVerifyOutput(dir: string): Promise<RawContainerOutput[]> {
  const names = (await fsp.readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.json'))
    .sort();
  if (names.length > MAX_FILES)
    throw new Error(`${dir} holds ${names.length} files; expected at most ${MAX_FILES}`);
  const out: RawContainerOutput[] = [];
  for (const file of names) {
    const name = file.slice(0, -'.json'.length);
    const full = path.join(dir, file);
    const stat = await fsp.lstat(full);
    if (!stat.isFile() || stat.size > MAX_BYTES) {
      out.push({ name, reachable: false, error: `${file}: not a regular file of at most 1 MB` });
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(await fsp.readFile(full, 'utf8'));
    } catch {
      out.push({ name, reachable: false, error: `${file}: not JSON` });
      continue;
    }
    out.push(toRaw(name, data));
  }
  return out;
}

function toRaw(fallbackName: string, data: unknown): RawContainerOutput {
  const o = obj(data);
  const name = typeof o['name'] === 'string' && o['name'] !== '' ? o['name'] : fallbackName;
  const physicalHost =
    typeof o['physicalHost'] === 'string' && o['physicalHost'] !== '' ? o['physicalHost'] : undefined;
  const error = typeof o['error'] === 'string' && o['error'] !== '' ? o['error'] : undefined;
  const ping = command(o['ping']);
  const target = obj(o['ping'])['target'];
  return {
    name,
    ...(o['metal'] === true ? { metal: true } : {}),
    ...(physicalHost !== undefined ? { physicalHost } : {}),
    reachable: o['reachable'] === true,
    ...(error !== undefined ? { error } : {}),
    ...optional('addr', command(o['addr'])),
    ...optional('route', command(o['route'])),
    ...optional('listen', command(o['listen'])),
    ...optional('keepalived', command(o['keepalived'])),
    ...(ping && typeof target === 'string' ? { ping: { ...ping, target } } : {}),
  };
}

function optional<K extends string>(key: K, v: CommandOutput | undefined): Partial<Record<K, CommandOutput>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, CommandOutput>);
}

function command(v: unknown): CommandOutput | undefined {
  const o = obj(v);
  return typeof o['rc'] === 'number' && typeof o['stdout'] === 'string'
    ? { rc: o['rc'], stdout: o['stdout'] }
    : undefined;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
