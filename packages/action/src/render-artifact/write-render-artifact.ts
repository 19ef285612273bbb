import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { loadCliLibrary } from '../cli-library.js';
import {
  RENDER_META_FILE,
  RENDER_TREES_DIR,
  siteTreeFolder,
  unsafeTreePath,
  type RenderMeta,
} from './layout.js';

export interface WriteRenderArtifactOptions {
  /** The workspace whose trees were just rendered (the render job's checkout). */
  readonly root: string;
  /** The artifact folder; must not exist yet or be empty. */
  readonly dir: string;
  readonly sourceBranch: string;
  readonly sourceSha: string;
  /** The rendered sites: each one's whole `openstack_deploy/` folder goes into the artifact. */
  readonly sites: readonly string[];
  readonly report: string;
}

/**
 * Copy each rendered site's `openstack_deploy/` folder, as the render left it on disk, into the
 * artifact and write `meta.json`. The whole folder, not just the files core rendered: publish
 * replaces the folder with the artifact's copy, and files the render does not own (kept by
 * `writeSiteTree`) must survive that. The same path rules as publish applies are checked here,
 * so a tree publish would refuse fails in the render job, with the reason, instead.
 */
export async function writeRenderArtifact(options: WriteRenderArtifactOptions): Promise<RenderMeta> {
  const trees = path.join(options.dir, RENDER_TREES_DIR);
  await fs.mkdir(trees, { recursive: true });
  const files: string[] = [];
  const { refuseSymlinks } = await loadCliLibrary();
  for (const site of [...options.sites].sort()) {
    const folder = siteTreeFolder(site);
    // A linked `environments`, site folder or `openstack_deploy` would be listed and copied
    // through (readdir and copyFile follow links); links below it are refused by listFiles.
    await refuseSymlinks(options.root, folder);
    for (const rel of await listFiles(options.root, folder)) {
      const why = unsafeTreePath(rel);
      if (why) throw new Error(`Cannot hand ${rel} to the publish job: the path ${why}.`);
      await fs.mkdir(path.dirname(path.join(trees, rel)), { recursive: true });
      await fs.copyFile(path.join(options.root, rel), path.join(trees, rel));
      files.push(rel);
    }
  }
  const meta: RenderMeta = {
    schemaVersion: 1,
    sourceBranch: options.sourceBranch,
    sourceSha: options.sourceSha,
    sites: [...options.sites].sort(),
    files: files.sort(),
    report: options.report,
  };
  await fs.writeFile(path.join(options.dir, RENDER_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** Regular files under `root/rel`, as `/`-separated paths relative to `root`. */
async function listFiles(root: string, rel: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(root, child)));
    else if (e.isFile()) out.push(child);
    else
      throw new Error(
        `Cannot hand ${child} to the publish job: only regular files are published` +
          (e.isSymbolicLink() ? ' (it is a symbolic link).' : '.'),
      );
  }
  return out;
}
