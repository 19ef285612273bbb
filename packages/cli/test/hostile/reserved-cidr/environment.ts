import { base } from '../_base/base';

// A CIDR in used_ips reserves nothing in OSA.
const site = base('reserved-cidr');
site.reserved.public_api = ['203.0.113.128/29'];
export default site;
