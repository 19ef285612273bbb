import { base } from '../_base/base';

// A class instance: its prototype is not Object.prototype.
class Site {
  constructor(readonly value = base('export-class-instance')) {}
}
export default new Site();
