// Reads each host's networkd device and network lists (plain lists, or Jinja shapes import recognises) as
// that host's variable precedence resolves them, into its networkd view.
import { normalizeGroup } from '@osa-gitops/core';
import type { ParsedConfigDir } from '../config-dir';
import { finding } from '../findings';
import { containsTemplate, isTemplate, resolveTemplate, type Located } from '../jinja';
import { readHostNetworkd, type HostNetworkd } from '../networkd';
import type { ImportedNetwork } from '../provider-networks';
import { hostScope, type layerOf, type VarHit } from '../variables';
import { DEVICES, NETWORKD_VARS, NETWORKS } from './constants';
import { reportShadowed } from './report-shadowed';
import type { Emit, ImportedHost } from './types';

/**
 * Per host, its networkd view and where its two lists came from; `consumed` names the variables
 * read on the way (the two lists, the ones their templates name), which the rendered tree takes over.
 */
export function readHostNetworking(
  dir: ParsedConfigDir,
  hosts: ReadonlyMap<string, ImportedHost>,
  globalLayer: ReturnType<typeof layerOf>,
  publicNet: ImportedNetwork,
  once: Emit,
): {
  nets: Map<string, HostNetworkd>;
  netSource: Map<string, { devices?: VarHit; networks?: VarHit }>;
  consumed: Set<string>;
} {
  const consumed = new Set<string>([DEVICES, NETWORKS, ...NETWORKD_VARS]);
  const nets = new Map<string, HostNetworkd>();
  const netSource = new Map<string, { devices?: VarHit; networks?: VarHit }>();
  for (const [name, h] of hosts) {
    const groups = [...new Set([...h.groups.map(normalizeGroup), 'hosts', 'all'])];
    const scope = hostScope(dir, name, groups, h.hostVars, globalLayer);
    const resolve = (varName: string): { hit?: VarHit; items?: Located[] } => {
      const { hit, shadowed } = scope.lookup(varName);
      reportShadowed(hit, shadowed, once);
      if (hit === undefined) return { items: [] };
      let items: readonly Located[];
      if (isTemplate(hit.value)) {
        const r = resolveTemplate(hit.value, {
          isMetal: true,
          groups: new Set(groups),
          lookup: (n) => {
            consumed.add(n);
            return scope.lookup(n).hit;
          },
        });
        if (!r.ok) {
          once(
            finding(
              'IMPORT_JINJA_UNRESOLVED',
              hit.file,
              hit.path,
              `a template import does not recognise (${r.reason})`,
              `not evaluated; the host networking of every host it applies to is not imported`,
            ),
          );
          return { hit };
        }
        once(
          finding(
            'IMPORT_JINJA_RESOLVED',
            hit.file,
            hit.path,
            r.pattern === 'list-builder'
              ? "the guide's list builder over is_metal and groups[...]"
              : 'a reference to another variable',
            'read per host from the variables it names (no template evaluated)',
          ),
        );
        items =
          r.items ??
          (Array.isArray(r.value)
            ? r.value.map((value, i) => ({ value, file: hit.file, path: [...hit.path, i] }))
            : []);
      } else if (Array.isArray(hit.value)) {
        items = hit.value.map((value, i) => ({ value, file: hit.file, path: [...hit.path, i] }));
      } else {
        once(finding('IMPORT_LEFT_OUT', hit.file, hit.path, `${varName} is not a list`, 'not imported'));
        items = [];
      }
      return {
        hit,
        items: items.filter((item) => {
          if (!containsTemplate(item.value)) return true;
          once(
            finding(
              'IMPORT_JINJA_UNRESOLVED',
              item.file,
              item.path,
              'a networkd item with Jinja templates in it',
              'not evaluated, not imported',
            ),
          );
          return false;
        }),
      };
    };
    const devices = resolve(DEVICES);
    const networksVal = resolve(NETWORKS);
    if (devices.items === undefined || networksVal.items === undefined) continue;
    const read = readHostNetworkd(
      { host: name, address: h.managementIp ?? h.ip, publicBridge: publicNet.net.bridge },
      devices.hit,
      networksVal.hit,
      devices.items,
      networksVal.items,
    );
    read.findings.forEach(once);
    nets.set(name, read.net);
    netSource.set(name, {
      ...(devices.hit ? { devices: devices.hit } : {}),
      ...(networksVal.hit ? { networks: networksVal.hit } : {}),
    });
  }
  return { nets, netSource, consumed };
}
