import { base } from '../_base/base';

// The kernel refuses "..", and it becomes a systemd file name.
const site = base('dotdot-bridge');
site.haproxy.publicNetwork.bridge = '..';
export default site;
