import { base } from '../_base/base';

// Throws a value whose toString throws too.
throw {
  toString(): never {
    throw new Error('unprintable');
  },
};
export default base('throw-unprintable');
