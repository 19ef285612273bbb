import { base } from '../_base/base';

// "a, b" with a space crashes OSA (AddrFormatError).
const site = base('reserved-comma-space');
site.reserved.public_api = ['203.0.113.140, 203.0.113.142'];
export default site;
