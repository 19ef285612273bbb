import {
  allProviderNetworks,
  type Environment,
  type IssuePath,
  type ProviderNetwork,
} from '@osa-gitops/core';

/**
 * The provider networks OSA will see: the operator's, then the public one the renderer derives
 * from `haproxy.publicNetwork` (derive.ts). Each comes with a function that maps one of its keys
 * to where that value is written in the definition, so issues point at the source.
 */
export interface LocatedNetwork {
  readonly net: ProviderNetwork;
  readonly label: string;
  readonly at: (key: keyof ProviderNetwork) => IssuePath;
}

const PUBLIC_KEYS: Partial<Record<keyof ProviderNetwork, string>> = {
  bridge: 'bridge',
  containerInterface: 'containerInterface',
  ipFromQ: 'cidrName',
  addressPrefix: 'cidrName',
  mtu: 'mtu',
};

export function locatedNetworks(env: Environment): LocatedNetwork[] {
  const declared = env.providerNetworks.length;
  return allProviderNetworks(env).map((net, i) =>
    i < declared
      ? { net, label: `provider network ${i} (${net.bridge})`, at: (key) => ['providerNetworks', i, key] }
      : {
          net,
          label: `the public network (${net.bridge})`,
          at: (key) => {
            const field = PUBLIC_KEYS[key];
            return field === undefined ? ['haproxy', 'publicNetwork'] : ['haproxy', 'publicNetwork', field];
          },
        },
  );
}
