import { describe, expect, it } from 'vitest';
import type { EvaluationJob } from './protocol';
import { evaluateInWorkers } from './run-in-worker';

/** A CommonJS job, as the bundler would emit it. */
const job = (site: string, body: string): EvaluationJob => ({
  site,
  code: `${body}\nmodule.exports = { default: { name: ${JSON.stringify(site)}, ...value } };\n`,
  filename: `osa-gitops-bundle:${site}.js`,
});

/** Writes one byte per page, so the memory is resident, not only reserved. */
const TOUCH = 'const touch = (b) => { for (let p = 0; p < b.length; p += 4096) b[p] = 1; return b; };';

describe('evaluateInWorkers: the OS memory limit blames only the site that is proven', () => {
  it('a site during which the process dies, not first in it, is run again first in a fresh one', async () => {
    // A stand-in evaluator speaking the protocol: it kills itself on a job marked DIE_UNLESS_FIRST
    // unless that job is the first of its process, and reports each job's position in its process.
    const source = `
      let position = 0;
      const send = (m) => new Promise((resolve) => process.send(m, resolve));
      process.once('message', async ({ jobs }) => {
        for (const j of jobs) {
          await send([{ type: 'start', site: j.site }]);
          position++;
          if (j.code.includes('DIE_UNLESS_FIRST') && position > 1) process.kill(process.pid, 'SIGKILL');
          await send([{ type: 'data', site: j.site, value: { position } }]);
        }
      });`;
    const outcomes = await evaluateInWorkers(
      [job('a', ''), job('b', '// DIE_UNLESS_FIRST'), job('c', ''), job('d', '')],
      { timeoutMs: 30_000, source },
    );
    expect(Object.fromEntries(outcomes)).toEqual({
      a: { kind: 'data', value: { position: 1 } },
      b: { kind: 'data', value: { position: 1 } }, // again, first in a fresh process
      c: { kind: 'data', value: { position: 2 } },
      d: { kind: 'data', value: { position: 3 } },
    });
  }, 60_000);

  it("a site that dies even first in a fresh process is that site's crash; the others keep their results", async () => {
    const source = `
      const send = (m) => new Promise((resolve) => process.send(m, resolve));
      process.once('message', async ({ jobs }) => {
        for (const j of jobs) {
          await send([{ type: 'start', site: j.site }]);
          if (j.code.includes('ALWAYS_DIE')) process.kill(process.pid, 'SIGKILL');
          await send([{ type: 'data', site: j.site, value: {} }]);
        }
      });`;
    const outcomes = await evaluateInWorkers([job('a', ''), job('b', '// ALWAYS_DIE'), job('c', '')], {
      timeoutMs: 30_000,
      source,
    });
    expect(Object.fromEntries(outcomes)).toEqual({
      a: { kind: 'data', value: {} },
      b: {
        kind: 'crashed',
        reason:
          'the evaluator was killed (SIGKILL) during this site, not by osa-gitops: by the OS (out of memory?) or a signal sent to it',
      },
      c: { kind: 'data', value: {} },
    });
  }, 60_000);

  it('a site after one that left 400 MiB of buffers is not blamed for them', async () => {
    // Under a 700 MiB limit: a-leaves holds 400 MiB of buffers and returns (garbage from then on);
    // b-heap then needs 160 MiB of JS heap.
    const jobs = [
      job(
        'a-leaves',
        `${TOUCH}\nconst keep = []; for (let i = 0; i < 4; i++) keep.push(touch(new Uint8Array(100 * 1024 * 1024)));\nconst value = { n: keep.length };`,
      ),
      job(
        'b-heap',
        'const keep = []; for (let i = 0; i < 20; i++) keep.push(new Array(1 << 20).fill(i));\nconst value = { n: keep.length };',
      ),
      job('c-after', 'const value = {};'),
    ];
    const outcomes = await evaluateInWorkers(jobs, {
      timeoutMs: 30_000,
      limits: { heapMb: 256, totalMb: 700 },
    });
    expect(Object.fromEntries(outcomes)).toEqual({
      'a-leaves': { kind: 'data', value: { name: 'a-leaves', n: 4 } },
      'b-heap': { kind: 'data', value: { name: 'b-heap', n: 20 } },
      'c-after': { kind: 'data', value: { name: 'c-after' } },
    });
  }, 120_000);

  it('a site over the heap limit is blamed at once, wherever it runs; the others keep their results', async () => {
    const jobs = [
      job('a-first', 'const value = {};'),
      job(
        'b-bomb',
        'const hoard = []; for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));\nconst value = {};',
      ),
      job('c-after', 'const value = {};'),
    ];
    const outcomes = await evaluateInWorkers(jobs, {
      timeoutMs: 60_000,
      limits: { heapMb: 64, totalMb: 700 },
    });
    expect(Object.fromEntries(outcomes)).toEqual({
      'a-first': { kind: 'data', value: { name: 'a-first' } },
      'b-bomb': {
        kind: 'crashed',
        reason: "evaluation ran out of memory (the evaluator's JS heap limit, 64 MiB)",
      },
      'c-after': { kind: 'data', value: { name: 'c-after' } },
    });
  }, 120_000);

  it('an evaluator that exits during a site says so, with the error it printed, and blames no definition for exiting', async () => {
    // A definition has no `process`: "did the definition call process.exit?" (issue 26) misled.
    const source = `
      const send = (m) => new Promise((resolve) => process.send(m, resolve));
      process.once('message', async ({ jobs }) => {
        await send([{ type: 'start', site: jobs[0].site }]);
        process.stderr.write('some context\\nRangeError: Invalid string length\\n    at x (y:1:2)\\n');
        process.exit(7);
      });`;
    const outcomes = await evaluateInWorkers([job('a', '')], { timeoutMs: 30_000, source });
    expect(outcomes.get('a')).toEqual({
      kind: 'crashed',
      reason: 'the evaluator exited (code 7) during this site: RangeError: Invalid string length',
    });
  }, 60_000);

  it('starts the evaluator with an empty environment: no CI variable or token reaches it', async () => {
    // docs/SECURITY.md: "Definitions cannot read the runner's environment". The stand-in reports
    // what the real evaluator would see (through the same spawn: sh, ulimit, node).
    process.env['OSA_GITOPS_TEST_SECRET'] = 'ghs_not_for_definitions';
    try {
      const source = `
        const send = (m) => new Promise((resolve) => process.send(m, resolve));
        process.once('message', async ({ jobs }) => {
          await send([{ type: 'start', site: jobs[0].site }]);
          await send([{ type: 'data', site: jobs[0].site, value: Object.keys(process.env).sort() }]);
        });`;
      const outcomes = await evaluateInWorkers([job('a', '')], { timeoutMs: 30_000, source });
      const seen = outcomes.get('a');
      expect(seen?.kind).toBe('data');
      // /bin/sh may add its own PWD; nothing of this process's environment passes.
      const keys = (seen as { value: string[] }).value.filter((k) => k !== 'PWD');
      expect(keys).toEqual([]);
    } finally {
      delete process.env['OSA_GITOPS_TEST_SECRET'];
    }
  }, 60_000);

  it('an evaluator that cannot start fails every site with the reason, and does not loop', async () => {
    // 1 MiB of data mappings: node cannot even start.
    const outcomes = await evaluateInWorkers([job('a', 'const value = {};'), job('b', 'const value = {};')], {
      timeoutMs: 30_000,
      limits: { heapMb: 64, totalMb: 1 },
    });
    expect([...outcomes.keys()]).toEqual(['a', 'b']);
    for (const o of outcomes.values()) expect(o.kind).toBe('crashed');
  }, 60_000);
});
