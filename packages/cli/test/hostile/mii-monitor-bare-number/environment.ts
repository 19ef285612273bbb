import { base } from '../_base/base';

// The guide’s MIIMonitorSec: 100 means 100 seconds.
const site = base('mii-monitor-bare-number');
site.hostNetworking.bond.miiMonitor = '100';
export default site;
