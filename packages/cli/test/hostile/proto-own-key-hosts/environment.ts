import { base, host } from '../_base/base';

// A computed ["__proto__"] key is an own property named __proto__.
const site = base('proto-own-key-hosts');
Object.defineProperty(site.hosts, '__proto__', {
  value: host('172.29.236.14', '02:25:83:e1:7a'),
  enumerable: true,
});
export default site;
