import { base } from '../_base/base';

// A getter that throws when the loader reads it.
const site = base('throwing-getter');
export default Object.defineProperty({ ...site }, 'description', {
  enumerable: true,
  get(): string {
    throw new Error('boom from a getter');
  },
});
