import { base } from '../_base/base';

// Jinja in a key the model does not know (checked although zod rejects the key).
const site = base('jinja-unknown-key');
(site as Record<string, unknown>)['{{ x }}'] = 1;
export default site;
