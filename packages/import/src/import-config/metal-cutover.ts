// The metal HAProxy hosts and what the first deploy does about them (the metal cut-over).
import { isMapping, type ParsedConfigDir } from '../config-dir';

/** The hosts of `haproxy_hosts` (user config and conf.d): on a metal site, the HAProxy instances. */
export function metalHaproxyHosts(dir: ParsedConfigDir): string[] {
  const hosts = new Set<string>();
  for (const f of [...(dir.userConfig ? [dir.userConfig] : []), ...dir.confD]) {
    const group = f.data['haproxy_hosts'];
    if (isMapping(group)) for (const h of Object.keys(group)) hosts.add(h);
  }
  return [...hosts].sort();
}

/** What the first deploy does about a metal HAProxy site (docs/deploy.md, the metal cut-over). */
export function metalCutoverAction(hosts: readonly string[]): string {
  const which = hosts.length > 0 ? hosts.join(', ') : 'the haproxy hosts';
  return (
    'the rendered env.d/haproxy.yml moves HAProxy into LXC containers; OSA keeps the metal hosts in the haproxy group, ' +
    `so the first deploy plans a cut-over for ${which}: HAProxy, the service frontends and galera's trusted proxies are ` +
    'set up in the containers with the metal hosts left out, then, with its own approval (deploy --metal-cutover ' +
    'approved, or done by hand and --metal-cutover done), keepalived and haproxy stop on them and ' +
    'scripts/inventory-manage.py -r takes them out of the haproxy group; the VIPs are down from then until the ' +
    'keepalived stage brings them up in the containers'
  );
}
