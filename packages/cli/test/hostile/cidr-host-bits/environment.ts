import { base } from '../_base/base';

// Host bits set in a CIDR.
const site = base('cidr-host-bits');
site.networks.public_api = '203.0.113.130/28';
export default site;
