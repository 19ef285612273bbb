import { base } from '../_base/base';

// Over 6 characters: veth pair names collide.
const site = base('container-interface-eth20000');
site.haproxy.publicNetwork.containerInterface = 'eth20000';
export default site;
