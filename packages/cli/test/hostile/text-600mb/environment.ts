import { base } from '../_base/base';

// Issue 26: 600 references to one 1 MiB string. 2 KB of definition took the CLI to 656 MB (each
// reference is serialized whole) and was reported as "the evaluator exited (code 0); did the
// definition call process.exit?". The evaluator now refuses more than 8 MiB of text per site.
const s = 'x'.repeat(1 << 20);
const list: string[] = [];
for (let i = 0; i < 600; i++) list.push(s);
export default { ...base('text-600mb'), description: list };
