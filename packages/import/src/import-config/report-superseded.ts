// Reports the files and keys the rendered tree takes over, and the variables the definition does not model.
import { isMapping, type ParsedConfigDir } from '../config-dir';
import { finding } from '../findings';
import { GLOBAL_KEYS, HAPROXY_VARS, RENDERED_FILE } from './constants';
import type { Emit } from './types';

/**
 * Files and keys the rendered tree takes over, and the rest of the variables files: named so
 * nothing is dropped silently, and so the operator cleans up what would fight the rendered tree.
 */
export function reportSuperseded(
  dir: ParsedConfigDir,
  config: Record<string, unknown>,
  originOf: (p: string[]) => string,
  consumed: ReadonlySet<string>,
  emit: Emit,
): void {
  const ours = new Set([...consumed, ...HAPROXY_VARS]);
  const varFiles = [
    ...dir.userVariables,
    ...[...dir.groupVars.values()].flat(),
    ...[...dir.hostVars.values()].flat(),
  ];
  for (const f of varFiles) {
    const owned = Object.keys(f.data).filter((k) => ours.has(k));
    const other = Object.keys(f.data).filter((k) => !ours.has(k));
    const renderedHere = RENDERED_FILE.test(f.path);
    if (owned.length > 0 && !renderedHere) {
      emit(
        finding(
          'IMPORT_SUPERSEDED',
          f.path,
          [],
          `${owned.join(', ')}: imported into the definition, which renders ${owned.length > 1 ? 'them' : 'it'}`,
          f.path.startsWith('user_')
            ? `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy: extra vars override the rendered host_vars and group_vars`
            : `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy, so that one place sets each`,
        ),
      );
    }
    if (other.length > 0) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          f.path,
          [],
          `variables the definition does not model: ${other.join(', ')}`,
          renderedHere
            ? 'not imported, and the rendered file of the same name replaces this one on the first deploy: move them to another file'
            : 'not imported; they stay in the config dir, which the deploy leaves alone (it writes only the files in osa-gitops-manifest.json)',
        ),
      );
    }
  }
  if (
    dir.groupVars.has('haproxy') &&
    dir.groupVars.get('haproxy')!.some((f) => !f.path.startsWith('group_vars/haproxy/'))
  ) {
    emit(
      finding(
        'IMPORT_SUPERSEDED',
        'group_vars/haproxy',
        [],
        'a group_vars/haproxy file beside the rendered group_vars/haproxy/ directory',
        'Ansible reads the directory only once it exists: move anything else in this file into group_vars/haproxy/ (the deploy refuses while it would be hidden)',
      ),
    );
  }
  for (const f of dir.confD) {
    const owned = Object.keys(f.data).flatMap((key) =>
      key === 'global_overrides'
        ? Object.keys(isMapping(f.data[key]) ? (f.data[key] as object) : {})
            .filter((k) => GLOBAL_KEYS.includes(k))
            .map((k) => `global_overrides.${k}`)
        : [key],
    );
    if (owned.length > 0) {
      emit(
        finding(
          'IMPORT_SUPERSEDED',
          f.path,
          [],
          `${owned.join(', ')}: imported into the definition, which renders ${owned.length > 1 ? 'them' : 'it'} in openstack_user_config.yml`,
          `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy: OSA merges conf.d over openstack_user_config.yml, and a list or value here replaces the rendered one`,
        ),
      );
    }
  }
  void config;
  void originOf;
}
