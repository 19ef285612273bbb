import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvironmentSchema, type EnvironmentInput } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/core';
import { validateEnvironment } from '@osa-gitops/core';
import guideLab from '../../../environments/guide-lab/environment';
import dcEast from '../../../environments/dc-east/environment';
import dcWest from '../../../environments/dc-west/environment';
import { importConfigDir } from './import-config';

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLab,
  'dc-east': dcEast,
  'dc-west': dcWest,
};

/** A rendered tree as a config dir (the manifest is ours, not OSA's: the import ignores it). */
function asConfigDir(tree: ReadonlyMap<string, string>) {
  return [...tree].map(([path, text]) => ({ path, text }));
}

describe.each(Object.keys(SITES))('import of the rendered %s tree', (site) => {
  const original = renderEnvironment(EnvironmentSchema.parse(SITES[site]));
  const imported = importConfigDir(asConfigDir(original), { site });

  it('renders the same YAML, file for file', () => {
    const again = renderEnvironment(EnvironmentSchema.parse(imported.input));
    expect([...again.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [path, text] of original) {
      if (!path.endsWith('.yml')) continue;
      expect(parse(again.get(path)!, { version: '1.1' }), path).toEqual(parse(text, { version: '1.1' }));
    }
  });

  it('validates clean', () => {
    const issues = validateEnvironment(imported.input, { site }).issues.filter((i) => i.severity === 'error');
    expect(issues).toEqual([]);
  });

  it('reports no trap in a tree osa-gitops rendered', () => {
    expect(imported.findings.filter((f) => f.kind === 'trap')).toEqual([]);
  });
});
