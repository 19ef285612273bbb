import { base, host } from '../_base/base';

// `__proto__:` in an object literal sets the prototype instead of adding a host.
const site = base('proto-literal-hosts');
export default {
  ...site,
  hosts: { __proto__: host('172.29.236.14', '02:25:83:e1:7a'), ...site.hosts },
};
