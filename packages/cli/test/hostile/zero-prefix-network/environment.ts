import { base } from '../_base/base';

// A /0 network holds every address.
const site = base('zero-prefix-network');
site.networks.public_api = '0.0.0.0/0';
export default site;
