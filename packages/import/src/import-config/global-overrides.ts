// Reports the global_overrides keys the definition does not model (all but GLOBAL_KEYS).
import { finding } from '../findings';
import { GLOBAL_KEYS } from './constants';
import type { Emit } from './types';

export function checkGlobalOverrides(
  globals: Record<string, unknown>,
  originOf: (p: string[]) => string,
  once: Emit,
): void {
  for (const key of Object.keys(globals)) {
    if (!GLOBAL_KEYS.includes(key)) {
      once(
        finding(
          'IMPORT_LEFT_OUT',
          originOf(['global_overrides', key]),
          ['global_overrides', key],
          `global_overrides.${key} is not part of the definition`,
          'not imported: the rendered openstack_user_config.yml will not have it; keep it in a conf.d/ file (OSA merges conf.d into openstack_user_config.yml)',
        ),
      );
    }
  }
}
