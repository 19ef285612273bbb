import { base } from '../_base/base';

// Jinja expression in free text.
const site = base('jinja-description');
site.description = "{{ lookup('pipe', 'id') }}";
export default site;
