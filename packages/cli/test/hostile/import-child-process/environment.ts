import { execSync } from 'node:child_process';
import { base } from '../_base/base';

// Runs a command while rendering, if the import were allowed.
const site = base('import-child-process');
site.description = String(execSync('id'));
export default site;
