import { base } from '../_base/base';

// The thrown message carries a GitHub workflow command on its own line and terminal escapes
// (clear screen, colour): printed raw, they forge an annotation in an Actions log and rewrite
// an operator's terminal.
throw new Error('boom\n::error file=README.md,line=1::forged annotation\n\u001b[2J\u001b[32m✔ all sites valid\u001b[0m');
export default base('throw-control-chars');
