import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeRequiring, source } from '@osa-gitops/test-support';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { OSA_BASE_FRONTENDS, OSA_SERVICE_FRONTENDS } from '../src';

/**
 * The frontend table verify expects (src/verify/osa-frontends.ts) against the pinned upstream it
 * was read from: each service playbook of the openstack.osa collection that imports
 * `haproxy_service_config` (its `service_group` and `service_variable`), and each service's
 * definition in openstack-ansible's `inventory/group_vars` (`haproxy_service_name`, `haproxy_port`,
 * `haproxy_bind`, `haproxy_ssl`, `haproxy_balance_type`, the group `haproxy_service_enabled`
 * tests, `haproxy_backend_only`). A literal port is compared as is; a templated one with its
 * default (`| default('6080')`) or OSA's value (group_vars/all) noted in the table. Needs OSA_SRC
 * and the collection (ANSIBLE_COLLECTIONS_PATH, as the pinned upstream env.sh sets them; .ci/run sources it).
 */
const OSA = process.env.OSA_SRC ?? '';
const COLLECTION = (process.env.ANSIBLE_COLLECTIONS_PATH ?? '')
  .split(':')
  .map((p) => join(p, 'ansible_collections', 'openstack', 'osa', 'playbooks'))
  .find((p) => existsSync(p));

const NEEDS = [
  source(
    'OSA_SRC',
    'a checkout of openstack/openstack-ansible (the pinned upstream env.sh, which .ci/run sources)',
    () => existsSync(join(OSA, 'inventory', 'group_vars', 'haproxy', 'haproxy.yml')),
  ),
  source(
    'the openstack.osa collection',
    'on ANSIBLE_COLLECTIONS_PATH (the pinned upstream env.sh, which .ci/run sources)',
    () => COLLECTION !== undefined,
  ),
];

interface Definition {
  readonly file: string;
  readonly service: string;
  readonly port: unknown;
  readonly bind?: unknown;
  readonly ssl?: unknown;
  readonly sslAllVips?: unknown;
  readonly balance?: unknown;
  readonly enabled?: unknown;
  readonly backendOnly: boolean;
  /** The `<x>_haproxy_services` list holding it. */
  readonly list?: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

function definitions(): Definition[] {
  const out: Definition[] = [];
  for (const file of yamlFiles(join(OSA, 'inventory', 'group_vars'))) {
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') continue;
    const lists = Object.entries(doc).filter(([k]) => k.endsWith('_haproxy_services'));
    for (const [key, v] of Object.entries(doc)) {
      if (typeof v !== 'object' || v === null || !('haproxy_service_name' in v)) continue;
      const d = v as Record<string, unknown>;
      const list = lists.find(([, items]) => JSON.stringify(items).includes(`${key} |`))?.[0];
      out.push({
        file: relative(OSA, file),
        service: String(d['haproxy_service_name']),
        port: d['haproxy_port'],
        bind: d['haproxy_bind'],
        ssl: d['haproxy_ssl'],
        sslAllVips: d['haproxy_ssl_all_vips'],
        balance: d['haproxy_balance_type'],
        enabled: d['haproxy_service_enabled'],
        backendOnly: d['haproxy_backend_only'] === true,
        ...(list !== undefined ? { list } : {}),
      });
    }
  }
  return out;
}

/** `service_group` → `service_variable` of every service playbook's haproxy_service_config import. */
function playbooks(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(COLLECTION!)) {
    if (!/\.ya?ml$/.test(file) || statSync(join(COLLECTION!, file)).isDirectory()) continue;
    const plays = parse(readFileSync(join(COLLECTION!, file), 'utf8')) as unknown;
    if (!Array.isArray(plays)) continue;
    for (const p of plays as Record<string, unknown>[]) {
      const target = p?.['ansible.builtin.import_playbook'] ?? p?.['import_playbook'];
      if (!/^openstack\.osa\.haproxy_service_config(\.yml)?$/.test(String(target))) continue;
      const vars = p['vars'] as Record<string, string>;
      out.set(vars['service_variable']!, vars['service_group']!);
    }
  }
  return out;
}

/** A port as OSA evaluates it with its defaults: literal, `| default('N')`, or a noted value. */
function portOf(d: Definition): number | undefined {
  if (typeof d.port === 'number') return d.port;
  const text = String(d.port);
  const dflt = /default\('?(\d+)'?\)/.exec(text);
  if (dflt) return Number(dflt[1]);
  // group_vars/all/zun.yml `zun_wsproxy_port: 6784`; rabbitmq: `rabbitmq_management_ssl` follows
  // `haproxy_ssl` (true) → 15671.
  if (text.includes('zun_wsproxy_port')) return 6784;
  if (text.includes('ternary(15671, 15672)')) return 15671;
  return undefined;
}

describeRequiring(NEEDS, "verify's frontend table against OSA's haproxy service definitions", () => {
  it('lists every frontend of every service playbook, with its port, binds, TLS and groups', () => {
    const defs = definitions();
    const lists = playbooks();
    expect(lists.size).toBeGreaterThan(25);
    for (const f of OSA_SERVICE_FRONTENDS) {
      const d = defs.find((x) => x.service === f.service);
      expect(d, f.service).toBeDefined();
      expect(d!.file, f.service).toBe(f.source.replace(/^inventory\/group_vars\//, 'inventory/group_vars/'));
      expect(portOf(d!), f.service).toBe(f.port);
      expect(d!.backendOnly, f.service).toBe(false);
      // Binds: an own haproxy_bind in OSA's services is always the internal VIP's.
      expect(d!.bind === undefined ? 'all' : 'internal', f.service).toBe(f.binds);
      if (d!.bind !== undefined) expect(String(d!.bind), f.service).toContain('internal_lb_vip_address');
      // TLS: haproxy_ssl true (its default) on an http service → the first bind.
      const ssl = String(d!.ssl ?? 'false');
      const http = String(d!.balance ?? 'http');
      const tls =
        /haproxy_ssl_all_vips/.test(ssl) || ssl === 'false' || ssl === 'False' || !/http/.test(http)
          ? 'none'
          : 'first';
      if (f.service !== 'nova_novnc_console') expect(tls, f.service).toBe(f.tls);
      // The group haproxy_service_enabled tests, and the playbook importing the list.
      expect(String(d!.enabled), f.service).toContain(`groups['${f.enabledGroup}']`);
      expect(d!.list, f.service).toBeDefined();
      expect(lists.get(d!.list!), `${f.service} (${d!.list})`).toBe(f.playbookGroup);
    }
  });

  it('leaves out only backend-only, disabled-by-default and letsencrypt frontends', () => {
    const listed = new Set([...OSA_SERVICE_FRONTENDS, ...OSA_BASE_FRONTENDS].map((f) => f.service));
    const lists = playbooks();
    const left = definitions()
      .filter((d) => d.list !== undefined && lists.has(d.list) && !listed.has(d.service))
      .map((d) => ({ service: d.service, backendOnly: d.backendOnly, enabled: String(d.enabled) }));
    for (const d of left) {
      const why =
        d.backendOnly ||
        d.enabled === 'false' ||
        d.enabled === 'False' ||
        /'(spice|serialconsole)' in/.test(d.enabled);
      expect(why, `${d.service} is neither listed nor explained`).toBe(true);
    }
  });

  it("haproxy-install's own frontends: base on 443 with TLS on every bind, its redirect on 80", () => {
    const doc = parse(
      readFileSync(join(OSA, 'inventory', 'group_vars', 'haproxy', 'haproxy.yml'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    const base = doc['haproxy_base_service']!;
    expect(base['haproxy_port']).toBe('{{ haproxy_ssl | ternary(443,80) }}');
    expect(base['haproxy_ssl_all_vips']).toBe(true);
    expect(base['haproxy_redirect_http_port']).toBe(80);
    expect(OSA_BASE_FRONTENDS.map((f) => [f.port, f.binds, f.tls])).toEqual([
      [443, 'all', 'all'],
      [80, 'all', 'none'],
    ]);
  });
});
