import { describe, expect, it } from 'vitest';
import { guideInput, hostNetdevs } from '@osa-gitops/core';
import { validateEnvironmentOrThrow } from '@osa-gitops/rules';
import { renderHostVars } from './host-vars';

type Item = Record<string, unknown>;

function render(edit: (d: ReturnType<typeof guideInput>) => void = () => undefined) {
  const input = guideInput();
  edit(input);
  const env = validateEnvironmentOrThrow(input);
  return { env, vars: renderHostVars(env) };
}

function filenames(vars: Record<string, unknown> | undefined, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (vars?.[key] ?? []) as Item[]) {
    const name = (item.NetDev as Item | undefined)?.Name ?? item.interface;
    out[String(name)] = String(item.filename);
  }
  return out;
}

describe('networkd file names', () => {
  it('are ours by default: NN-osa-gitops-<interface>', () => {
    const { vars } = render();
    expect(filenames(vars.get('host_vars/infra1.yml'), 'openstack_hosts_systemd_networkd_networks')).toEqual({
      ens3: '05-osa-gitops-ens3',
      ens6: '05-osa-gitops-ens6',
      bond0: '05-osa-gitops-bond0',
      'vlan-public-api': '10-osa-gitops-vlan-public-api',
      'br-public-api': '11-osa-gitops-br-public-api',
    });
  });

  it('take over the site map, and a host map wins over it per name', () => {
    const { vars } = render((d) => {
      Object.assign(d.hostNetworking, {
        networkdFilenames: { bond0: '05-general-bond0', ens3: '05-generic-ens3' },
      });
      Object.assign(d.hosts.infra2!, { networkdFilenames: { ens3: '05-hand-made-ens3' } });
    });
    const nets = (h: string) =>
      filenames(vars.get(`host_vars/${h}.yml`), 'openstack_hosts_systemd_networkd_networks');
    const devs = (h: string) =>
      filenames(vars.get(`host_vars/${h}.yml`), 'openstack_hosts_systemd_networkd_devices');
    expect(nets('infra1')).toMatchObject({
      bond0: '05-general-bond0',
      ens3: '05-generic-ens3',
      ens6: '05-osa-gitops-ens6',
    });
    expect(nets('infra2')).toMatchObject({ bond0: '05-general-bond0', ens3: '05-hand-made-ens3' });
    // The bond's .netdev takes the same stem as its .network.
    expect(devs('infra1')).toMatchObject({
      bond0: '05-general-bond0',
      'br-public-api': '11-osa-gitops-br-public-api',
    });
  });

  it('come from the same interface list the validation reads', () => {
    const { env, vars } = render();
    for (const host of Object.keys(env.hosts)) {
      const v = vars.get(`host_vars/${host}.yml`);
      const rendered = new Set([
        ...Object.keys(filenames(v, 'openstack_hosts_systemd_networkd_networks')),
        ...Object.keys(filenames(v, 'openstack_hosts_systemd_networkd_devices')),
      ]);
      expect(new Set(hostNetdevs(env, host).map((n) => n.name))).toEqual(rendered);
    }
  });
});
