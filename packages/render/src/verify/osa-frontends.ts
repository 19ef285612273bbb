/**
 * The HAProxy frontends OSA configures, read from the pinned openstack-ansible
 * (`inventory/group_vars/<service>/haproxy_service.yml`, `inventory/group_vars/haproxy/haproxy.yml`)
 * and the openstack.osa collection's service playbooks (each imports
 * `playbooks/haproxy_service_config.yml` with a `service_group` and a `service_variable`), at the
 * commits docs/osa-facts.md names (#haproxy-frontends there lists them). `test/osa-frontends.int.spec.ts`
 * re-reads the upstream files and fails when this table and them disagree.
 *
 * haproxy_server writes a service's frontends (`templates/service.j2`) when its service playbook
 * ran (the `service_group` has hosts), the service is enabled (`haproxy_service_enabled`, in
 * OSA a test that `groups[<enabledGroup>]` has hosts) and it is not backend-only. It binds every
 * VIP bind (`haproxy_vip_binds`) unless the service names its own `haproxy_bind` (the internal VIP
 * for the services below marked `internal`). TLS (`ssl crt`) is on the first bind (the external
 * one) of an `http` service with `haproxy_ssl`, on every bind with `haproxy_ssl_all_vips`.
 */

/** Where a frontend listens: every VIP bind, or only the internal VIP. */
export type FrontendBinds = 'all' | 'internal';

/** Which binds terminate TLS: the first (external, or the only one of an internal service), all, none. */
export type FrontendTls = 'first' | 'all' | 'none';

export interface OsaFrontend {
  /** `haproxy_service_name`. */
  readonly service: string;
  /** The service playbook's `service_group` (its haproxy_service_config import runs when it has hosts). */
  readonly playbookGroup: string;
  /** The group `haproxy_service_enabled` tests (the service's frontends exist when it has hosts). */
  readonly enabledGroup: string;
  readonly port: number;
  readonly binds: FrontendBinds;
  /** With OSA's defaults (`haproxy_ssl: true`, `haproxy_ssl_all_vips: false`). */
  readonly tls: FrontendTls;
  /** The upstream file of the definition, relative to openstack-ansible. */
  readonly source: string;
}

const gv = (dir: string) => `inventory/group_vars/${dir}`;
const svc = (
  service: string,
  playbookGroup: string,
  enabledGroup: string,
  port: number,
  source: string,
  binds: FrontendBinds = 'all',
  tls: FrontendTls = 'first',
): OsaFrontend => ({ service, playbookGroup, enabledGroup, port, binds, tls, source: gv(source) });

/**
 * Every frontend of a service whose playbook configures HAProxy, with OSA's defaults. Not here:
 * backend-only services (horizon, skyline, security.txt: served through the `base` frontend), the
 * console proxies other than noVNC (nova's SPICE and serial consoles are off unless
 * `nova_console_type` asks for them), and letsencrypt (off by default).
 */
export const OSA_SERVICE_FRONTENDS: readonly OsaFrontend[] = [
  svc('adjutant_api', 'adjutant_api', 'adjutant_api', 5050, 'adjutant_all/haproxy_service.yml'),
  svc('aodh_api', 'aodh_api', 'aodh_api', 8042, 'aodh_all/haproxy_service.yml'),
  svc('barbican', 'barbican_api', 'barbican_api', 9311, 'barbican_all/haproxy_service.yml'),
  svc('blazar_api', 'blazar_api', 'blazar_api', 1234, 'blazar_all/haproxy_service.yml'),
  svc('cinder_api', 'cinder_api', 'cinder_api', 8776, 'cinder_all/haproxy_service.yml'),
  svc('cloudkitty_api', 'cloudkitty_api', 'cloudkitty_api', 8089, 'cloudkitty_all/haproxy_service.yml'),
  svc('designate_api', 'designate_api', 'designate_api', 9001, 'designate_all/haproxy_service.yml'),
  svc('freezer_api', 'freezer_api', 'freezer_api', 9090, 'freezer_all/haproxy_service.yml'),
  svc('galera', 'galera_all', 'galera_all', 3306, 'galera_all.yml', 'internal', 'none'),
  svc('glance_api', 'glance_api', 'glance_api', 9292, 'glance_all/haproxy_service.yml'),
  svc('gnocchi', 'gnocchi_api', 'gnocchi_all', 8041, 'gnocchi_all/haproxy_services.yml'),
  svc('heat_api', 'heat_api', 'heat_api', 8004, 'heat_all/haproxy_service.yml'),
  svc('heat_api_cfn', 'heat_api', 'heat_api_cfn', 8000, 'heat_all/haproxy_service.yml'),
  svc('ironic_api', 'ironic_api', 'ironic_api', 6385, 'ironic_all/haproxy_service.yml'),
  svc('ironic_inspector', 'ironic_api', 'ironic_inspector', 5050, 'ironic_all/haproxy_service.yml'),
  svc('k8s', 'k8s_all', 'k8s_all', 6443, 'k8s_all/haproxy_service.yml', 'all', 'none'),
  svc('keystone_service', 'keystone_all', 'keystone_all', 5000, 'keystone_all/haproxy_service.yml'),
  svc('magnum', 'magnum_all', 'magnum_all', 9511, 'magnum_all/haproxy_service.yml'),
  svc('manila', 'manila_api', 'manila_api', 8786, 'manila_all/haproxy_service.yml'),
  svc('masakari_api', 'masakari_api', 'masakari_api', 15868, 'masakari_all/haproxy_service.yml'),
  svc('mistral', 'mistral_api', 'mistral_all', 8989, 'mistral_all/haproxy_service.yml'),
  svc('neutron_server', 'neutron_server', 'neutron_server', 9696, 'neutron_all/haproxy_service.yml'),
  svc(
    'nova_api_metadata',
    'nova_all',
    'nova_api_metadata',
    8775,
    'nova_all/haproxy_service.yml',
    'internal',
    'none',
  ),
  svc('nova_api_os_compute', 'nova_all', 'nova_api_os_compute', 8774, 'nova_all/haproxy_service.yml'),
  svc('nova_novnc_console', 'nova_all', 'nova_console', 6080, 'nova_all/haproxy_service.yml'),
  svc('octavia', 'octavia_api', 'octavia_all', 9876, 'octavia_all/haproxy_service.yml'),
  svc('placement', 'placement_api', 'placement_all', 8780, 'placement_all/haproxy_service.yml'),
  svc('rabbitmq_mgmt', 'rabbitmq_all', 'rabbitmq', 15671, 'rabbitmq_all.yml', 'internal', 'first'),
  svc('repo_all', 'repo_all', 'repo_all', 8181, 'repo_all.yml', 'internal', 'none'),
  svc('swift_proxy', 'swift_all', 'swift_proxy', 8080, 'swift_all/haproxy_service.yml'),
  svc('tacker', 'tacker_server', 'tacker_all', 9890, 'tacker_all/haproxy_service.yml'),
  svc('trove', 'trove_api', 'trove_api', 8779, 'trove_all/haproxy_service.yml'),
  svc('zun_api', 'zun_api', 'zun_api', 9517, 'zun_all/haproxy_service.yml'),
  svc('zun_console', 'zun_api', 'zun_api', 6784, 'zun_all/haproxy_service.yml'),
];

/**
 * haproxy-install's own frontends (`haproxy_default_services`, group_vars/haproxy/haproxy.yml):
 * `base` answers on 443 with TLS on every bind (`haproxy_ssl_all_vips: true`) and redirects
 * plain HTTP from 80 on every bind. They exist on every site, whatever services it runs.
 */
export const OSA_BASE_FRONTENDS: readonly OsaFrontend[] = [
  { ...svc('base', 'haproxy', 'haproxy', 443, 'haproxy/haproxy.yml', 'all', 'all') },
  { ...svc('base-redirect', 'haproxy', 'haproxy', 80, 'haproxy/haproxy.yml', 'all', 'none') },
];

/** The OSA groups whose sizes decide which frontends a site has (what the verify playbook reads). */
export const FRONTEND_GROUPS: readonly string[] = [
  ...new Set(OSA_SERVICE_FRONTENDS.flatMap((f) => [f.playbookGroup, f.enabledGroup])),
].sort();

/** One frontend as verify expects it on one VIP. */
export interface ExpectedFrontend {
  readonly service: string;
  readonly vip: 'external' | 'internal';
  readonly port: number;
  readonly tls: boolean;
}

/**
 * The frontends a site has, given which OSA groups have hosts: the base ones, then each service
 * whose playbook and enabled groups are both non-empty. One entry per VIP the frontend binds;
 * a port two services share (ironic_inspector and adjutant_api, 5050) is listed once per service.
 */
export function expectedFrontends(groupsWithHosts: ReadonlySet<string>): ExpectedFrontend[] {
  const out: ExpectedFrontend[] = [];
  const present = OSA_SERVICE_FRONTENDS.filter(
    (f) => groupsWithHosts.has(f.playbookGroup) && groupsWithHosts.has(f.enabledGroup),
  );
  for (const f of [...OSA_BASE_FRONTENDS, ...present]) {
    const vips: ('external' | 'internal')[] = f.binds === 'all' ? ['external', 'internal'] : ['internal'];
    vips.forEach((vip, i) =>
      out.push({
        service: f.service,
        vip,
        port: f.port,
        tls: f.tls === 'all' || (f.tls === 'first' && i === 0),
      }),
    );
  }
  return out;
}
