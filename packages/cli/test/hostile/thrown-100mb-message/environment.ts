import { base } from '../_base/base';

// A 100 MB error message was printed whole; what is echoed from a definition is cut.
throw new Error('x'.repeat(100 * 1024 * 1024));
export default base('thrown-100mb-message');
