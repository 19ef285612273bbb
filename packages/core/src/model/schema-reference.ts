import { z } from 'zod';
import { BOUND_META_KEY, NUMERIC_BOUNDS, type NumericBoundKind } from './bounds';
import {
  BondSchema,
  BondVlanSchema,
  DeploySchema,
  EnvironmentSchema,
  HaproxySchema,
  HostNetworkingSchema,
  HostSchema,
  KeepalivedSchema,
  ProviderNetworkSchema,
  PublicNetworkSchema,
  StaticRouteSchema,
  VipsSchema,
} from './schema';

/**
 * The definition reference (docs/definition-reference.md) and the JSON Schema editors use
 * (docs/definition.schema.json), both generated from the zod schema and the descriptions it
 * carries (`.describe()`), so the documentation cannot drift from what validation accepts.
 * `npm run docs:schema` writes them; a test fails when the committed files differ.
 */

/** Section names for the object types; an object schema not listed here is shown inline. */
const NAMED: readonly [z.ZodType, string][] = [
  [HostNetworkingSchema, 'HostNetworking'],
  [BondSchema, 'Bond'],
  [BondVlanSchema, 'BondVlan'],
  [ProviderNetworkSchema, 'ProviderNetwork'],
  [StaticRouteSchema, 'StaticRoute'],
  [HostSchema, 'Host'],
  [HaproxySchema, 'Haproxy'],
  [PublicNetworkSchema, 'PublicNetwork'],
  [VipsSchema, 'Vips'],
  [KeepalivedSchema, 'Keepalived'],
  [DeploySchema, 'Deploy'],
];

export const DEFINITION_SCHEMA_FILE = 'docs/definition.schema.json';
export const DEFINITION_REFERENCE_FILE = 'docs/definition-reference.md';

type JsonSchema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
};

/** JSON Schema (draft 2020-12) of what an operator writes: defaults may be omitted. */
export function definitionJsonSchema(): JsonSchema {
  // The descriptions live in zod's global registry (`.describe()`); the section names are added
  // on the way, without registering ids globally (a second copy of this module would clash).
  const ids = new Map<unknown, string>(NAMED);
  const metadata = {
    get: (schema: z.ZodType) => {
      const meta = z.globalRegistry.get(schema);
      const id = ids.get(schema);
      return id === undefined ? meta : { ...meta, id };
    },
  } as unknown as z.core.$ZodRegistry<{ id?: string }>;
  const generated = z.toJSONSchema(EnvironmentSchema, {
    io: 'input',
    metadata,
    unrepresentable: 'any',
  }) as JsonSchema;
  sayBounds(generated, undefined);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: 'https://osa-gitops.invalid/definition.schema.json',
    title: 'osa-gitops site definition',
    description:
      'The object passed to defineEnvironment() in environments/<site>/environment.ts (generated from packages/core/src/model/schema.ts; npm run docs:schema).',
    ...rest,
  };
}

/**
 * The ranges of numbers (bounds.ts) in words: each number's description (or, for a map of
 * numbers, the map's) says the range, its code and which program sets it; the marker zod copied
 * from the metadata is taken out. `minimum`/`maximum` stay for editors.
 */
function sayBounds(node: JsonSchema, parent: JsonSchema | undefined): void {
  const kind = node[BOUND_META_KEY] as NumericBoundKind | undefined;
  if (kind !== undefined) {
    delete node[BOUND_META_KEY];
    const b = NUMERIC_BOUNDS[kind];
    const target = node.description !== undefined || parent === undefined ? node : parent;
    const words = `Range ${b.min}–${b.max} (\`${b.code}\`): ${b.setBy} (docs/osa-facts.md#numeric-ranges).`;
    target.description = target.description === undefined ? words : `${target.description} ${words}`;
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const v of value) if (v !== null && typeof v === 'object') sayBounds(v as JsonSchema, node);
    } else if (value !== null && typeof value === 'object') {
      // `properties` and `$defs` are maps of schemas: their values are the children.
      const children = node.properties === value || node.$defs === value ? Object.values(value) : [value];
      for (const c of children) if (c !== null && typeof c === 'object') sayBounds(c as JsonSchema, node);
    }
  }
}

export function definitionJsonSchemaText(): string {
  return `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`;
}

const anchor = (name: string): string => name.toLowerCase();

function typeOf(s: JsonSchema): string {
  if (s.$ref !== undefined) {
    const name = s.$ref.replace('#/$defs/', '');
    return `[${name}](#${anchor(name)})`;
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(' or ');
  if (s.enum) return `one of ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  switch (s.type) {
    case 'array': {
      const bounds = [
        s.minItems !== undefined ? `at least ${s.minItems}` : '',
        s.maxItems !== undefined ? `at most ${s.maxItems}` : '',
      ].filter((b) => b !== '');
      return `list of ${typeOf(s.items ?? {})}${bounds.length > 0 ? ` (${bounds.join(', ')})` : ''}`;
    }
    case 'object':
      if (s.properties === undefined && typeof s.additionalProperties === 'object') {
        return `map of name → ${typeOf(s.additionalProperties)}`;
      }
      return 'object';
    case 'string':
      return s.maxLength !== undefined ? `string (≤ ${s.maxLength})` : 'string';
    case 'integer':
    case 'number':
      return s.minimum !== undefined && s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER
        ? `${s.type} (${s.minimum}–${s.maximum})`
        : s.type;
    case 'boolean':
      return s.type;
    default:
      return 'any';
  }
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/docs\/osa-facts\.md#([a-z0-9-]+)/g, '[osa-facts.md#$1](osa-facts.md#$1)');

function table(s: JsonSchema, defs: Record<string, JsonSchema>): string[] {
  const required = new Set(s.required ?? []);
  const rows = Object.entries(s.properties ?? {}).map(([key, p]) => {
    // A key holding a named type says what that type is, unless it has words of its own.
    const described =
      p.description ?? (p.$ref ? defs[p.$ref.replace('#/$defs/', '')]?.description : undefined);
    const need = required.has(key)
      ? 'required'
      : p.default !== undefined
        ? `default \`${JSON.stringify(p.default)}\``
        : 'optional';
    return `| \`${key}\` | ${cell(typeOf(p))} | ${need} | ${cell(described ?? '')} |`;
  });
  return ['| key | type | | description |', '| --- | --- | --- | --- |', ...rows];
}

/** Object types in the order a reader meets them, starting at the root. */
function sectionOrder(root: JsonSchema): string[] {
  const defs = root.$defs ?? {};
  const seen: string[] = [];
  const visit = (s: JsonSchema | boolean | undefined): void => {
    if (s === undefined || typeof s === 'boolean') return;
    if (s.$ref !== undefined) {
      const name = s.$ref.replace('#/$defs/', '');
      if (!seen.includes(name)) {
        seen.push(name);
        visit(defs[name]);
      }
      return;
    }
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
    for (const a of s.anyOf ?? s.oneOf ?? []) visit(a);
  };
  visit(root);
  return seen;
}

export function definitionReferenceMarkdown(): string {
  const root = definitionJsonSchema();
  const defs = root.$defs ?? {};
  const out: string[] = [
    '# Definition reference',
    '',
    '<!-- Generated from packages/core/src/model/schema.ts by `npm run docs:schema`; do not edit. -->',
    '',
    'Every key of a site definition, `defineEnvironment({...})` in `environments/<site>/environment.ts`.',
    'Objects are strict: a key not listed here is an error (`SCHEMA_UNKNOWN_KEY`), with a suggestion',
    'when it is a likely typo. "default" means the key may be left out. The shapes are checked first;',
    'the content rules (addresses inside networks, names, cross-references, OSA limits) are in',
    '[validation-rules.md](validation-rules.md).',
    '',
    `Editors: [\`definition.schema.json\`](definition.schema.json) is the same schema as JSON Schema`,
    '(see [Editor support](#editor-support)).',
    '',
    '## Environment',
    '',
    ...table(root, defs),
  ];
  for (const name of sectionOrder(root)) {
    const s = defs[name]!;
    out.push('', `## ${name}`, '');
    if (s.description) out.push(cell(s.description), '');
    out.push(...table(s, defs));
  }
  out.push(
    '',
    '## Editor support',
    '',
    'Definitions are TypeScript: `defineEnvironment` is typed with this schema, so an editor running',
    'the TypeScript language service completes keys and flags wrong types as you write them.',
    '`docs/definition.schema.json` serves editors and tools that work on JSON or YAML: a definition',
    'kept as data (`environments/<site>/site.json`; its `environment.ts` then does',
    "`import site from './site.json'` and `export default defineEnvironment(site as EnvironmentInput)`)",
    'gets completion and the descriptions above in VS Code through',
    '`.vscode/settings.json` (`json.schemas`, files matching `environments/*/*.json`); other editors',
    'take the same file through their JSON Schema setting. Regenerate both files with',
    '`npm run docs:schema` after changing the schema; `npm test` fails until they match.',
    '',
  );
  return out.join('\n');
}
