import { base } from '../_base/base';

// 190,000 unknown keys overflowed the validator's stack ("Maximum call stack size exceeded",
// refused, but saying nothing useful); an object with more than 20,000 keys is refused by name.
const site: Record<string, unknown> = base('unknown-keys-190k');
for (let i = 0; i < 190_000; i++) site[`unknown${i}`] = i;
export default site;
