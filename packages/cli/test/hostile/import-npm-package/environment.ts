import { parse } from 'yaml';
import { base } from '../_base/base';

// npm packages are not part of a definition's world (only @osa-gitops/core is).
const site = base('import-npm-package');
site.description = String(parse('x: 1'));
export default site;
