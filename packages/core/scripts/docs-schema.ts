import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import {
  DEFINITION_REFERENCE_FILE,
  DEFINITION_SCHEMA_FILE,
  definitionJsonSchemaText,
  definitionReferenceMarkdown,
} from '../src/model/schema-reference';

/**
 * `npm run docs:schema`: writes docs/definition-reference.md and docs/definition.schema.json from
 * the zod schema, formatted as `npm run format` would, so `prettier --check` and the sync test
 * (schema-reference.spec.ts) both accept the result.
 */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

export async function schemaDocFiles(): Promise<Record<string, string>> {
  const format = async (file: string, text: string): Promise<string> => {
    const options = (await prettier.resolveConfig(join(REPO_ROOT, file))) ?? {};
    return prettier.format(text, { ...options, filepath: join(REPO_ROOT, file) });
  };
  return {
    [DEFINITION_REFERENCE_FILE]: await format(DEFINITION_REFERENCE_FILE, definitionReferenceMarkdown()),
    [DEFINITION_SCHEMA_FILE]: await format(DEFINITION_SCHEMA_FILE, definitionJsonSchemaText()),
  };
}

async function main(): Promise<void> {
  for (const [file, text] of Object.entries(await schemaDocFiles())) {
    writeFileSync(join(REPO_ROOT, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (process.argv[1] !== undefined && /docs-schema\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
