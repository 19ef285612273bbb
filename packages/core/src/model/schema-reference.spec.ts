import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, schemaDocFiles } from '../../scripts/docs-schema';
import { EnvironmentSchema } from './schema';
import { definitionJsonSchema, definitionReferenceMarkdown } from './schema-reference';

describe('definition reference and JSON Schema', () => {
  it('the committed files are what `npm run docs:schema` generates', async () => {
    const files = await schemaDocFiles();
    for (const [file, text] of Object.entries(files)) {
      const committed = readFileSync(join(REPO_ROOT, file), 'utf8');
      expect(committed, `${file} is stale: run npm run docs:schema`).toBe(text);
    }
  }, 60_000); // loads prettier

  it('describes every key of every object in the schema', () => {
    const schema = definitionJsonSchema();
    const missing: string[] = [];
    const walk = (s: any, at: string): void => {
      if (s === null || typeof s !== 'object') return;
      for (const [key, p] of Object.entries<any>(s.properties ?? {})) {
        // A key holding a named object type is described by that type's section.
        if (!p.description && !p.$ref) missing.push(`${at}.${key}`);
        walk(p, `${at}.${key}`);
      }
      walk(s.items, `${at}[]`);
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}{}`);
    };
    walk(schema, 'Environment');
    for (const [name, def] of Object.entries<any>(schema.$defs ?? {})) {
      if (!def.description) missing.push(`$defs.${name}`);
      walk(def, name);
    }
    expect(missing).toEqual([]);
  });

  it('lists every top-level key with its description, default and nested section', () => {
    const md = definitionReferenceMarkdown();
    for (const key of Object.keys(EnvironmentSchema.shape)) expect(md).toContain(`| \`${key}\` |`);
    expect(md).toContain(
      '| `managementBridge` | string (≤ 64) | default `"br-mgmt"` | `global_overrides.management_bridge`. |',
    );
    expect(md).toContain('## ProviderNetwork');
    expect(md).toContain('[BondVlan](#bondvlan)');
  });

  it('the JSON Schema accepts what operators write and is strict like the model', () => {
    const schema = definitionJsonSchema() as any;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'networks', 'providerNetworks', 'hosts', 'haproxy', 'deploy']);
    expect(schema.$defs.Bond.properties.mode.default).toBe('802.3ad');
  });
});
