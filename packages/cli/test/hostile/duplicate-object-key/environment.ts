import { base, host } from '../_base/base';

// Two entries for infra1 in one object literal. JavaScript keeps the last one silently, so the
// reviewed text (infra1 at .11) is not what would be deployed (.99). TypeScript refuses this
// (TS1117), so the loader should too.
const site = base('duplicate-object-key');
export default {
  ...site,
  hosts: {
    infra1: host('172.29.236.11', '02:25:83:e1:77'),
    infra2: host('172.29.236.12', '02:25:83:e1:78'),
    infra1: host('172.29.236.99', '02:25:83:e1:79'),
  },
};
