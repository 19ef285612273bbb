import { base } from '../_base/base';

// A named export only.
export const site = base('no-default-export');
