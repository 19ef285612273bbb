import { base } from '../_base/base';

// The guide’s indentation: keys beside a null network: (OSA skips the entry).
const site = base('provider-network-beside-network');
site.providerNetworks.push({
  network: null,
  container_bridge: 'br-public-api',
  container_interface: 'eth20',
  ip_from_q: 'public_api',
  group_binds: ['haproxy'],
});
export default site;
