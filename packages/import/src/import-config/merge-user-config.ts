// Merges openstack_user_config.yml and conf.d as OSA does, reporting what conf.d replaces, and tracks where
// each key came from.
import { isMapping, osaMerge, type ParsedConfigDir } from '../config-dir';
import { finding } from '../findings';
import { USER_CONFIG } from './constants';
import type { Emit } from './types';

/** openstack_user_config.yml, then every conf.d file merged over it as OSA does. */
export function mergeUserConfig(dir: ParsedConfigDir, emit: Emit) {
  const origins = new Map<string, string>();
  const key = (p: readonly (string | number)[]) => JSON.stringify(p);
  const config: Record<string, unknown> = {};
  if (dir.userConfig) {
    origins.set(key([]), USER_CONFIG);
    osaMerge(config, structuredClone(dir.userConfig.data));
  } else {
    origins.set(key([]), dir.confD[0]!.path);
  }
  const originOf = (path: readonly (string | number)[]): string => {
    for (let i = path.length; i >= 0; i--) {
      const o = origins.get(key(path.slice(0, i)));
      if (o !== undefined) return o;
    }
    return USER_CONFIG;
  };
  for (const f of dir.confD) {
    osaMerge(config, structuredClone(f.data), (path, old) => {
      if (old !== undefined) {
        const prev = originOf(path);
        const now = getPath(f.data, path);
        if (JSON.stringify(old.value) !== JSON.stringify(now)) {
          emit(
            prev === USER_CONFIG
              ? finding(
                  'IMPORT_CONFD_REPLACES',
                  f.path,
                  path,
                  `${path.join('.')} here replaces the one in ${USER_CONFIG} whole (OSA merges only mappings; lists and values are replaced, osa_toolkit/dictutils.py merge_dict @ ff08037)`,
                  `imported the value OSA uses: this file's`,
                )
              : finding(
                  'IMPORT_CONFD_ORDER',
                  f.path,
                  path,
                  `${path.join('.')} is also set in ${prev}; OSA walks conf.d in directory order (os.walk, unsorted), so either may win`,
                  `imported this file's value (conf.d files read in sorted path order); set it in one file only`,
                ),
          );
        }
      }
      for (const k of [...origins.keys()]) if (k.startsWith(key(path).slice(0, -1))) origins.delete(k);
      origins.set(key(path), f.path);
    });
  }
  return { config, originOf };
}

function getPath(data: unknown, path: readonly string[]): unknown {
  let cur = data;
  for (const p of path) cur = isMapping(cur) ? cur[p] : undefined;
  return cur;
}
