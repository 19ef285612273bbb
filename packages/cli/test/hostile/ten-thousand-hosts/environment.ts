import { base, host } from '../_base/base';

// 10,000 hosts, generated in a loop.
const site = base('ten-thousand-hosts');
for (let i = 0; i < 10_000; i++) {
  site.hosts[`gen${i}`] = host(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, '02:00:00:00:00', ['compute_hosts']);
}
export default site;
