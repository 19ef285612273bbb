import { base } from '../_base/base';

// Jinja in a reserved entry (it would land in used_ips).
const site = base('jinja-reserved-entry');
site.reserved.public_api = ["{{ '203.0.113.140' }}"];
export default site;
