import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  isSiteName,
  RENDER_LIMITS,
  RENDER_META_FILE,
  RENDER_TREES_DIR,
  RenderMeta,
  unsafeTreePath,
} from './layout.js';

export interface RenderArtifact {
  readonly meta: RenderMeta;
  /** Absolute path of `trees/`; `path.join(treesDir, file)` is a checked regular file. */
  readonly treesDir: string;
}

/** A refusal of the artifact: the publish job stops and pushes nothing. */
export class RenderArtifactError extends Error {
  constructor(message: string) {
    super(`Refusing the render artifact: ${message}`);
    this.name = 'RenderArtifactError';
  }
}

/**
 * Read the render job's artifact as untrusted data. Refused, with the reason, unless:
 * - the folder holds only `meta.json` and `trees/`, and `meta.json` parses (zod, size-capped);
 * - every listed file is `environments/<site>/openstack_deploy/<plain relative path>` of a listed
 *   site: no `..`, nothing absolute, nothing outside a tree folder;
 * - what is on disk under `trees/` is exactly the listed files, each a regular file (no symlink,
 *   device or fifo; checked with lstat, so a link is never followed), within the size caps.
 * Nothing is executed and nothing outside `dir` is read.
 */
export async function readRenderArtifact(dir: string): Promise<RenderArtifact> {
  const top = await fs.readdir(dir, { withFileTypes: true }).catch(() => {
    throw new RenderArtifactError(`there is no artifact folder at ${dir}.`);
  });
  for (const e of top) {
    const expected =
      (e.name === RENDER_META_FILE && e.isFile()) || (e.name === RENDER_TREES_DIR && e.isDirectory());
    if (!expected)
      throw new RenderArtifactError(`unexpected entry ${JSON.stringify(e.name)} in the artifact.`);
  }
  const meta = await readMeta(path.join(dir, RENDER_META_FILE));

  const sites = new Set(meta.sites);
  for (const site of meta.sites) {
    if (!isSiteName(site))
      throw new RenderArtifactError(`meta.json names an invalid site ${JSON.stringify(site)}.`);
  }
  if (sites.size !== meta.sites.length) throw new RenderArtifactError('meta.json lists a site twice.');
  const listed = new Set<string>();
  for (const file of meta.files) {
    const why = unsafeTreePath(file);
    if (why) throw new RenderArtifactError(`the path ${JSON.stringify(file)} ${why}.`);
    if (!sites.has(file.split('/')[1]!)) {
      throw new RenderArtifactError(`${JSON.stringify(file)} belongs to a site meta.json does not list.`);
    }
    if (listed.has(file)) throw new RenderArtifactError(`meta.json lists ${JSON.stringify(file)} twice.`);
    listed.add(file);
  }

  const treesDir = path.join(dir, RENDER_TREES_DIR);
  const found = await walk(treesDir, '', { files: 0, bytes: 0 });
  const extra = found.filter((f) => !listed.has(f));
  if (extra.length > 0)
    throw new RenderArtifactError(`${JSON.stringify(extra[0])} is on disk but not in meta.json.`);
  const onDisk = new Set(found);
  const missing = meta.files.filter((f) => !onDisk.has(f));
  if (missing.length > 0)
    throw new RenderArtifactError(`${JSON.stringify(missing[0])} is in meta.json but not on disk.`);
  return { meta, treesDir };
}

async function readMeta(file: string): Promise<RenderMeta> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new RenderArtifactError(`it has no ${RENDER_META_FILE}.`);
  if (stat.size > RENDER_LIMITS.metaBytes) {
    throw new RenderArtifactError(`${RENDER_META_FILE} is over ${RENDER_LIMITS.metaBytes} bytes.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    throw new RenderArtifactError(`${RENDER_META_FILE} is not JSON.`);
  }
  const parsed = RenderMeta.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RenderArtifactError(
      `${RENDER_META_FILE} is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message}.`,
    );
  }
  return parsed.data;
}

/** Every entry under `root/rel`, lstat'ed: directories are entered, regular files listed, anything else refused. */
async function walk(root: string, rel: string, seen: { files: number; bytes: number }): Promise<string[]> {
  const abs = rel ? path.join(root, ...rel.split('/')) : root;
  const stat = await fs.lstat(abs).catch(() => undefined);
  if (!stat) return [];
  if (stat.isSymbolicLink()) throw new RenderArtifactError(`${JSON.stringify(rel)} is a symlink.`);
  if (!stat.isDirectory())
    throw new RenderArtifactError(`${JSON.stringify(rel || RENDER_TREES_DIR)} is not a folder.`);
  const out: string[] = [];
  for (const name of (await fs.readdir(abs)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    const s = await fs.lstat(path.join(abs, name));
    if (s.isSymbolicLink()) throw new RenderArtifactError(`${JSON.stringify(child)} is a symlink.`);
    if (s.isDirectory()) {
      if (child.length > RENDER_LIMITS.pathChars)
        throw new RenderArtifactError(`a folder path is over ${RENDER_LIMITS.pathChars} characters.`);
      out.push(...(await walk(root, child, seen)));
      continue;
    }
    if (!s.isFile()) throw new RenderArtifactError(`${JSON.stringify(child)} is not a regular file.`);
    const why = unsafeTreePath(child);
    if (why) throw new RenderArtifactError(`the path ${JSON.stringify(child)} ${why}.`);
    if (s.size > RENDER_LIMITS.fileBytes) {
      throw new RenderArtifactError(`${JSON.stringify(child)} is over ${RENDER_LIMITS.fileBytes} bytes.`);
    }
    seen.files += 1;
    seen.bytes += s.size;
    if (seen.files > RENDER_LIMITS.files)
      throw new RenderArtifactError(`it holds over ${RENDER_LIMITS.files} files.`);
    if (seen.bytes > RENDER_LIMITS.totalBytes) {
      throw new RenderArtifactError(`its files total over ${RENDER_LIMITS.totalBytes} bytes.`);
    }
    out.push(child);
  }
  return out;
}
