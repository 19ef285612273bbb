import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_DIR } from './build/bundle.js';
import { INPUT_NAMES } from './inputs.js';

const action = parse(fs.readFileSync(path.join(PACKAGE_DIR, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'test-utils' ? [] : sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [p] : [];
  });
}

it('runs the committed bundle on node24', () => {
  expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
});

it('declares exactly the inputs the action parses', () => {
  expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
});

it('declares every output a mode sets, and sets every declared output', () => {
  const set = new Set<string>();
  for (const file of sources(path.join(PACKAGE_DIR, 'src'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/setOutput\('([^']+)'/g)) set.add(m[1]!);
  }
  expect([...set].sort()).toEqual(Object.keys(action.outputs).sort());
});
