// Reports, per host, the networkd files whose names differ from the ones the render writes.
import { finding } from '../findings';
import type { VarHit } from '../variables';
import type { Emit, HostFilenames } from './types';

export function reportFilenames(
  filenames: ReadonlyMap<string, HostFilenames>,
  sources: ReadonlyMap<string, { devices?: VarHit; networks?: VarHit }>,
  emit: Emit,
): void {
  for (const [host, names] of filenames) {
    const w = sources.get(host)?.networks ?? sources.get(host)?.devices;
    const list = [...names]
      .map(
        ([name, s]) =>
          `${name}: ${[s.netdev && `${s.netdev}.netdev`, s.network && `${s.network}.network`].filter(Boolean).join(', ')}`,
      )
      .join('; ');
    emit(
      finding(
        'IMPORT_NETWORKD_FILENAMES',
        w?.file ?? '',
        w?.path ?? [],
        `${host}: has networkd files ${list}`,
        'carried into the definition (networkdFilenames) for the interfaces it renders on the host, so the next apply overwrites these files instead of adding rivals beside them; where the .netdev and .network names differ, the .network name is kept and the old .netdev stays on the host (ours sorts first and wins)',
      ),
    );
  }
}
