import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportInputError, type ConfigFile } from '@osa-gitops/import';

/** Bounds on what import reads: a config dir is a few dozen small files. */
export const CONFIG_DIR_MAX_FILES = 5000;
export const CONFIG_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** What OSA and Ansible read from a config dir (the rest, e.g. inventory state, is skipped). */
function wanted(rel: string): boolean {
  return (
    rel === 'openstack_user_config.yml' ||
    /^user_[^/]*\.yml$/.test(rel) ||
    /^(?:conf\.d|env\.d)\/.+\.ya?ml$/.test(rel) ||
    /^(?:group_vars|host_vars)\/[^/]+(?:\.ya?ml|\/.+\.ya?ml)?$/.test(rel)
  );
}

/**
 * Read the files of an OSA config dir that import looks at. Throws ImportInputError when `dir` is
 * not a readable directory or holds too much. Read-only: nothing in `dir` is ever written.
 */
export function readConfigDir(dir: string): ConfigFile[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new ImportInputError(`${dir} does not exist or cannot be read`);
  }
  if (!st.isDirectory())
    throw new ImportInputError(
      `${dir} is not a directory; expected an OSA config dir such as /etc/openstack_deploy`,
    );
  const files: ConfigFile[] = [];
  const walk = (rel: string, depth: number): void => {
    if (depth > 16) return;
    const abs = path.join(dir, rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      throw new ImportInputError(`cannot read ${abs}: ${(err as Error).message}`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      let s: fs.Stats;
      try {
        s = fs.statSync(path.join(dir, childRel));
      } catch {
        continue; // a dangling link: nothing OSA could read either
      }
      if (s.isDirectory()) {
        if (depth === 0 && !['conf.d', 'env.d', 'group_vars', 'host_vars'].includes(e.name)) continue;
        walk(childRel, depth + 1);
      } else if (s.isFile() && wanted(childRel)) {
        if (files.length >= CONFIG_DIR_MAX_FILES) {
          throw new ImportInputError(
            `more than ${CONFIG_DIR_MAX_FILES} files to read; is ${dir} really an OSA config dir?`,
          );
        }
        if (s.size > CONFIG_FILE_MAX_BYTES) {
          throw new ImportInputError(`is larger than ${CONFIG_FILE_MAX_BYTES} bytes`, childRel);
        }
        files.push({ path: childRel, text: fs.readFileSync(path.join(dir, childRel), 'utf8') });
      }
    }
  };
  walk('', 0);
  return files;
}
