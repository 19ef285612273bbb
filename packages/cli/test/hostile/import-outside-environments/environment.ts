import pkg from '../../package.json';
import { base } from '../_base/base';

// Reads a file outside environments/.
const site = base('import-outside-environments');
site.description = String(pkg);
export default site;
