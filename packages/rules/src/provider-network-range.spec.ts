import { describe, expect, it } from 'vitest';
import { guideInput } from '@osa-gitops/core';
import { rangeProblem } from './provider-network-range';
import { validateEnvironment } from './validate-environment';

// Issue 26, item 4: `range` was written verbatim into openstack_user_config.yml, from where OSA's
// provider_networks module copies it into neutron's ML2 configuration.
describe('PROVIDER_RANGE_INVALID', () => {
  const withRange = (type: 'vxlan' | 'geneve' | 'vlan' | 'raw' | 'flat', range: string | undefined) => {
    const input = guideInput();
    const net = input.providerNetworks[1]!;
    net.type = type;
    if (range === undefined) delete net.range;
    else net.range = range;
    return validateEnvironment(input).issues.filter((i) => i.code === 'PROVIDER_RANGE_INVALID');
  };

  it.each([
    ['$(id)'],
    ['1:1000 $(id)'],
    ['"1:1000"'],
    ["'1:1000'"],
    ['1:1000: x'],
    ['{'],
    ['#jinja2:variable_start_string:"[%"'],
    ['1-1000'],
    ['1:1000,'],
    ['1:1000,,5:6'],
    ['1:1000 ,5:6'],
    ['1:1000,  5:6'],
    ['01:1000'],
    ['0:10'],
    ['10:5'],
    ['1:16777216'],
    [''],
    ['1000'],
  ])('refuses %j on a vxlan network, at its path', (range) => {
    expect(withRange('vxlan', range).map((i) => i.path)).toEqual([['providerNetworks', 1, 'range']]);
  });

  it.each([['1:1000'], ['1:16777215'], ['1:1, 101:101'], ['1:999,1000:1999'], ['7:7']])(
    'accepts %j on vxlan and geneve networks',
    (range) => {
      expect(withRange('vxlan', range)).toEqual([]);
      expect(withRange('geneve', range)).toEqual([]);
    },
  );

  it('bounds VLAN ranges by VLAN ids, VNI ranges by VNIs', () => {
    expect(rangeProblem('vlan', '101:200,301:400')).toBeUndefined();
    expect(rangeProblem('vlan', '1:4094')).toBeUndefined();
    expect(rangeProblem('vlan', '1:4095')).toMatch(/outside 1–4094/);
    expect(rangeProblem('vxlan', '1:4095')).toBeUndefined();
  });

  it('refuses a range on a network type OSA never reads it for, and a vxlan or geneve network without one', () => {
    expect(withRange('raw', '1:10').map((i) => i.message)).toEqual([
      expect.stringContaining('a raw network has no range'),
    ]);
    expect(withRange('vxlan', undefined).map((i) => i.message)).toEqual([
      expect.stringContaining('a vxlan network without a range'),
    ]);
    expect(withRange('geneve', undefined)).toHaveLength(1);
  });

  it('never echoes a refused range unquoted (control characters and quotes stay escaped)', () => {
    const [issue] = withRange('vxlan', '1:2"; x');
    expect(issue!.message).toContain('"1:2\\"; x"');
  });
});
