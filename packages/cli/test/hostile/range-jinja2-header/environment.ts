import { base } from '../_base/base';

// Issue 26, item 4: a `#jinja2:` header in `range` was accepted. Ansible's templar reads a string
// that starts with it as Jinja overrides: new delimiters, and `[% … %]` is then evaluated on the
// deploy host. Refused in any string (UNSAFE_TEXT), and the range is no range anyway.
const site = base('range-jinja2-header');
site.providerNetworks.push({
  bridge: 'br-vlan',
  type: 'vlan',
  netName: 'physnet1',
  range: "#jinja2:variable_start_string:'[%' [% lookup('pipe','id') }}",
  groupBinds: ['neutron_openvswitch_agent'],
});
export default site;
