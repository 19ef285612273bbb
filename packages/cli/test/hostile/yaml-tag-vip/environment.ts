import { base } from '../_base/base';

// A YAML tag where an address belongs.
const site = base('yaml-tag-vip');
site.haproxy.vips.internal = '!!python/object/apply:os.system ["id"]';
export default site;
