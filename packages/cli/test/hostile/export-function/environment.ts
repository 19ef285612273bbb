import { base } from '../_base/base';

// The default export is a function, not data.
export default () => base('export-function');
