import { base } from '../_base/base';

// A Proxy whose ownKeys trap throws.
const site = base('proxy-throws');
export default new Proxy(site, {
  ownKeys(): never {
    throw new Error('no keys for you');
  },
});
