import { base } from '../_base/base';

// OSA pools here are IPv4.
const site = base('ipv6-network');
site.networks.public_api = '2001:db8::/64';
export default site;
