import { base } from '../_base/base';

// Jinja comment in a bridge name.
const site = base('jinja-bridge');
site.haproxy.publicNetwork.bridge = 'br-{# x #}pub';
export default site;
