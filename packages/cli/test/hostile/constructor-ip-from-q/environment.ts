import { base } from '../_base/base';

// A provider network allocates from "constructor", which is not a network.
const site = base('constructor-ip-from-q');
site.providerNetworks.push({
  bridge: 'br-storage',
  containerInterface: 'eth2',
  containerType: 'veth',
  type: 'raw',
  ipFromQ: 'constructor',
  groupBinds: ['glance_api'],
});
export default site;
