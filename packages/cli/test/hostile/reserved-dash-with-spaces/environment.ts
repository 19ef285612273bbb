import { base } from '../_base/base';

// The guide’s range with spaces around the dash.
const site = base('reserved-dash-with-spaces');
site.reserved.public_api = ['203.0.113.140 - 203.0.113.142'];
export default site;
