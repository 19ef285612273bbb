import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { guideInput, type RenderedTree } from '@osa-gitops/core';
import { compileEnvironment } from './compile-environment';

// Issue 26, item 5: keepalived.unicast renders OSA's keepalived_instances_overrides with unicast
// peers looked up in the inventory (the containers' addresses are OSA's random draw).
function render(unicast: boolean | undefined): RenderedTree {
  const input = guideInput();
  input.haproxy.keepalived = {
    externalRouterId: 10,
    internalRouterId: 11,
    ...(unicast === undefined ? {} : { unicast }),
  };
  const r = compileEnvironment(input);
  if (r.tree === undefined) throw new Error(JSON.stringify(r.issues));
  return r.tree;
}

const PEERS = (key: string): string =>
  `{{ groups['haproxy'] | difference([inventory_hostname]) | map('extract', hostvars, ['container_networks', '${key}', 'address']) | map('regex_replace', '$', ' min_ttl 255 max_ttl 255') | list }}`;

describe('keepalived.unicast', () => {
  it('renders nothing new by default (multicast, as OSA does)', () => {
    for (const unicast of [undefined, false]) {
      const uv = parse(render(unicast).get('user_variables_haproxy_lxc.yml')!, { version: '1.1' });
      expect(uv).not.toHaveProperty('keepalived_instances_overrides');
    }
  });

  it('renders unicast_src_ip and unicast_peers for both instances, on their own networks', () => {
    const uv = parse(render(true).get('user_variables_haproxy_lxc.yml')!, { version: '1.1' });
    expect(uv.keepalived_instances_overrides).toEqual({
      external: {
        unicast_src_ip: "{{ container_networks['public_api_address']['address'] }}",
        unicast_peers: PEERS('public_api_address'),
      },
      internal: {
        unicast_src_ip: "{{ container_networks['container_address']['address'] }}",
        unicast_peers: PEERS('container_address'),
      },
    });
  });

  it('adds no other Jinja: the tree holds OSA’s eth0 defaults and these four expressions only', () => {
    const jinja = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && /\{\{|\{%|\{#/.test(v)) jinja.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (walk(k), walk(x)));
    };
    for (const [file, text] of render(true)) if (file.endsWith('.yml')) walk(parse(text, { version: '1.1' }));
    expect([...jinja].sort()).toEqual(
      [
        "{{ lxc_net_bridge | default('lxcbr0') }}",
        "{{ lxc_net_bridge_type | default('linuxbridge') }}",
        '{{ lxc_net_mtu | default(1500) }}',
        "{{ container_networks['public_api_address']['address'] }}",
        "{{ container_networks['container_address']['address'] }}",
        PEERS('public_api_address'),
        PEERS('container_address'),
      ].sort(),
    );
  });
});
