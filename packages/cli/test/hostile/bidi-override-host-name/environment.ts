import { base, host } from '../_base/base';

// A right-to-left override hides text from reviewers (Trojan Source).
const site = base('bidi-override-host-name');
site.hosts['infra\u202e4'] = host('172.29.236.14', '02:25:83:e1:7a');
export default site;
