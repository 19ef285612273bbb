// Checks env.d: the guide's is_metal: false for haproxy_container, and reports any other env.d settings.
import { HAPROXY_CONTAINER } from '@osa-gitops/core';
import { isMapping, osaMerge, type ParsedConfigDir } from '../config-dir';
import { finding } from '../findings';
import { metalCutoverAction, metalHaproxyHosts } from './metal-cutover';
import type { Emit } from './types';

/** env.d: the guide's `is_metal: false` for haproxy_container, nothing else. */
export function checkEnvD(dir: ParsedConfigDir, emit: Emit): void {
  const merged: Record<string, unknown> = {};
  for (const f of dir.envD) osaMerge(merged, structuredClone(f.data));
  const skel = isMapping(merged.container_skel) ? merged.container_skel : {};
  const haproxy = isMapping(skel[HAPROXY_CONTAINER]) ? skel[HAPROXY_CONTAINER] : {};
  const props = isMapping(haproxy.properties) ? haproxy.properties : {};
  const file =
    dir.envD.find((f) => f.path === 'env.d/haproxy.yml')?.path ?? dir.envD[0]?.path ?? 'env.d/haproxy.yml';
  if (props.is_metal !== false) {
    emit(
      finding(
        'IMPORT_HAPROXY_METAL',
        file,
        ['container_skel', HAPROXY_CONTAINER, 'properties', 'is_metal'],
        'nothing sets haproxy_container is_metal: false, so OSA runs HAProxy on the hosts (its stock env.d says is_metal: true)',
        metalCutoverAction(metalHaproxyHosts(dir)),
      ),
    );
  }
  for (const f of dir.envD) {
    const rest = structuredClone(f.data);
    const s = isMapping(rest.container_skel) ? rest.container_skel : undefined;
    const h = s && isMapping(s[HAPROXY_CONTAINER]) ? s[HAPROXY_CONTAINER] : undefined;
    const p = h && isMapping(h.properties) ? h.properties : undefined;
    if (p) delete p.is_metal;
    if (h && p && Object.keys(p).length === 0) delete h.properties;
    if (s && h && Object.keys(h).length === 0) delete s[HAPROXY_CONTAINER];
    if (s && Object.keys(s).length === 0) delete rest.container_skel;
    if (Object.keys(rest).length > 0) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          f.path,
          [],
          `env.d settings ${Object.keys(rest).join(', ')}`,
          f.path === 'env.d/haproxy.yml'
            ? 'not imported, and the rendered env.d/haproxy.yml replaces this file: move them to another env.d file'
            : 'not imported; the file stays in the config dir (the deploy leaves it alone)',
        ),
      );
    }
  }
}
