import { base } from '../_base/base';

// Never finishes: the loader's per-site time budget must stop it.
const site = base('endless-loop');
for (;;) {
  site.description += '';
}
export default site;
