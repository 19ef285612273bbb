import { base } from '../_base/base';

// A 50 MB key was printed whole in the path; keys longer than 1,024 characters are refused.
const site = base('key-50mb');
const hosts: Record<string, unknown> = { ...site.hosts };
hosts['h'.repeat(50 * 1024 * 1024)] = Object.values(site.hosts)[0];
export default { ...site, hosts };
