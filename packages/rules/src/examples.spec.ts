import { describe, expect, it } from 'vitest';
import dcEast from '../../../environments/dc-east/environment';
import dcWest from '../../../environments/dc-west/environment';
import guideLab from '../../../environments/guide-lab/environment';
import { validateFleet } from './fleet';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';

// The one spec allowed to import environments/: the committed example sites must stay valid.
const EXAMPLES = { 'dc-east': dcEast, 'dc-west': dcWest, 'guide-lab': guideLab };

describe('example sites', () => {
  it.each(Object.entries(EXAMPLES))('%s validates clean', (name, input) => {
    const result = validateEnvironment(input);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.environment?.name).toBe(name);
  });

  it('pass the fleet checks together', () => {
    const envs = Object.values(EXAMPLES).map((input) => validateEnvironmentOrThrow(input));
    expect(validateFleet(envs)).toEqual([]);
  });
});

/** A deep copy of an example, edited: the examples themselves are shared module state. */
function edited<T>(input: T, edit: (copy: any) => void): T {
  const copy = structuredClone(input);
  edit(copy);
  return copy;
}

const codes = (input: unknown) =>
  validateEnvironment(input).issues.map((i) => ({ code: i.code, severity: i.severity, path: i.path }));

describe('the whole chain on the examples (issue cases)', () => {
  it('dc-east: br-storage renamed br-stor while the storage network still binds br-storage', () => {
    const input = edited(dcEast, (d) => (d.hostNetworking.vlans[1].bridge = 'br-stor'));
    const result = validateEnvironment(input);
    expect(codes(input)).toEqual([
      { code: 'HOST_BRIDGE_MISSING', severity: 'error', path: ['hostNetworking', 'vlans', 1, 'bridge'] },
      { code: 'HOST_BRIDGE_UNUSED', severity: 'error', path: ['hostNetworking', 'vlans', 1, 'bridge'] },
    ]);
    const [missing, unused] = result.issues;
    expect(missing!.message).toContain(
      'bridge "br-storage" is needed on east-infra1, east-infra2, east-infra3',
    );
    expect(missing!.message).toContain('eth2 of glance_container');
    expect(missing!.message).toContain('did you mean "br-stor"');
    expect(unused!.message).toContain('did you mean "br-storage"');
  });

  it('dc-east: the management VLAN dropped (the hosts would lose their address)', () => {
    const input = edited(dcEast, (d) => d.hostNetworking.vlans.splice(0, 1));
    expect(codes(input)).toEqual([
      { code: 'HOST_MANAGEMENT_UNMODELLED', severity: 'error', path: ['hostNetworking', 'complete'] },
      { code: 'HOST_BRIDGE_MISSING', severity: 'error', path: ['hostNetworking', 'vlans'] },
    ]);
    const message = validateEnvironment(input).issues[1]!.message;
    expect(message).toContain('bridge "br-mgmt"');
    expect(message).toContain('haproxy_container');
    expect(message).toContain("the host's own container_address");
  });

  it('dc-east: the storage VLAN dropped', () => {
    const input = edited(dcEast, (d) => d.hostNetworking.vlans.splice(1, 1));
    expect(codes(input)).toEqual([
      { code: 'HOST_BRIDGE_MISSING', severity: 'error', path: ['hostNetworking', 'vlans'] },
    ]);
  });

  it('dc-east without `complete`: the same findings are warnings', () => {
    const input = edited(dcEast, (d) => {
      d.hostNetworking.vlans[1].bridge = 'br-stor';
      delete d.hostNetworking.complete;
    });
    expect(codes(input).map((i) => [i.code, i.severity])).toEqual([
      ['HOST_BRIDGE_MAYBE_MISSING', 'warning'],
      ['HOST_BRIDGE_MAYBE_UNUSED', 'warning'],
    ]);
  });

  it('dc-west: management on a NIC outside the bond, networking complete: no false alarm', () => {
    expect(dcWest.hostNetworking).toMatchObject({
      complete: true,
      externalBridges: [{ bridge: 'br-mgmt', interface: 'ens2', address: 'host-ip' }],
    });
    expect(dcWest.hostNetworking?.vlans).toBeUndefined();
    expect(codes(dcWest)).toEqual([]);
  });

  it('dc-west with dc-east’s bond MACs: a fleet error on both sites', () => {
    const west = edited(dcWest, (d) => {
      d.hosts['west-infra3'].bondMembers = { ...dcEast.hosts['east-infra1']!.bondMembers };
    });
    expect(codes(west)).toEqual([]);
    const issues = validateFleet([dcEast, west].map((i) => validateEnvironmentOrThrow(i)));
    expect(issues.map((i) => [i.code, i.site, i.path.join('.')])).toEqual([
      ['FLEET_MAC_DUPLICATE', 'dc-east', 'hosts.east-infra1.bondMembers.ens3'],
      ['FLEET_MAC_DUPLICATE', 'dc-east', 'hosts.east-infra1.bondMembers.ens6'],
      ['FLEET_MAC_DUPLICATE', 'dc-west', 'hosts.west-infra3.bondMembers.ens3'],
      ['FLEET_MAC_DUPLICATE', 'dc-west', 'hosts.west-infra3.bondMembers.ens6'],
    ]);
    expect(issues[0]!.message).toContain('west-infra3 ens3 in site dc-west');
  });

  it('dc-east with one host’s MACs copied to another: the per-site rule', () => {
    const input = edited(dcEast, (d) => {
      d.hosts['east-infra2'].bondMembers = { ...dcEast.hosts['east-infra1']!.bondMembers };
    });
    expect(codes(input).map((i) => i.code)).toEqual(['MAC_DUPLICATE', 'MAC_DUPLICATE']);
  });
});
