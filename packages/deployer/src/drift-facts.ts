import * as path from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import type { ShadowingFinding } from '@osa-gitops/report';
import { z } from 'zod';
import { DeployError, describeFsError } from './deploy-error';
import { errorCode, lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';
import { checkUnownedOverrides } from './preflight';
import { statePaths } from './state-paths';

/** What drift needs of `.osa-gitops/state.json`; checked, because the file is outside the repo. */
const RecordedDeploy = z.object({
  site: z.string().max(100),
  commit: z
    .string()
    .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/)
    .nullable(),
  deployedAt: z.string().max(64),
});
export type RecordedDeploy = z.infer<typeof RecordedDeploy>;

/**
 * The deploy recorded in the config dir, or null when none was ever recorded. A state file that
 * is not what the deployer writes is an error here (drift cannot say what was deployed), not
 * silently "never deployed".
 */
export async function readRecordedDeploy(fs: DeployFs, configDir: string): Promise<RecordedDeploy | null> {
  const file = statePaths(configDir).state;
  let raw: Buffer | undefined;
  try {
    raw = await readIfExists(fs, file);
  } catch (err) {
    throw describeFsError('read', file, err);
  }
  if (raw === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DeployError(`${file} is not JSON; cannot tell what was deployed`);
  }
  const parsed = RecordedDeploy.safeParse(json);
  if (!parsed.success)
    throw new DeployError(`${file} is not a deploy record osa-gitops wrote; cannot tell what was deployed`);
  return parsed.data;
}

/**
 * The config dir's content at each path (null: missing). A path whose parent or itself is not a
 * real directory/regular file (a symlink put there by hand) reads as a description instead of
 * content, so it always counts as changed and is never followed out of the config dir.
 */
export async function readLiveFiles(
  fs: DeployFs,
  configDir: string,
  paths: Iterable<string>,
): Promise<Map<string, string | null>> {
  const live = new Map<string, string | null>();
  for (const rel of paths) {
    let at = configDir;
    let value: string | null | undefined;
    for (const part of rel.split('/')) {
      at = path.join(at, part);
      const st = await lstatIfExists(fs, at);
      if (!st) {
        value = null;
        break;
      }
      if (st.isSymbolicLink()) {
        value = `(a symbolic link at ${path.relative(configDir, at)})`;
        break;
      }
    }
    if (value === undefined) {
      try {
        value = (await readIfExists(fs, at))?.toString('utf8') ?? null;
      } catch (err) {
        if (errorCode(err) === 'EISDIR') value = '(a directory)';
        else throw describeFsError('read', at, err);
      }
    }
    live.set(rel, value);
  }
  return live;
}

/** Unowned files that beat owned ones, as the deploy's preflight finds them (errors and warnings). */
export async function findShadowingFiles(
  fs: DeployFs,
  configDir: string,
  tree: RenderedTree,
  fallbackConfigDir?: string,
): Promise<ShadowingFinding[]> {
  const findings = await checkUnownedOverrides(fs, configDir, tree, undefined, fallbackConfigDir);
  return findings.map((f) => ({ file: f.file, message: f.message }));
}
