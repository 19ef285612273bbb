import * as fs from 'fs';
import { base } from '../_base/base';

// Writes into the workspace while rendering, if the import were allowed.
fs.writeFileSync('pwned-by-import-fs.txt', 'x');
export default base('import-fs');
