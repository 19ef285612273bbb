import * as path from 'node:path';
import { formatFiles, logger, type Tree } from '@nx/devkit';
import { formatIssues } from '@osa-gitops/core';
import { formatSourcePath, ImportInputError, type ImportFinding } from '@osa-gitops/import';
import { prepareImport, readConfigDir } from '@osa-gitops/loader';
import { createTreeSourceReader } from '../../lib/tree-source-reader';
import type { ImportGeneratorSchema } from './schema';
import { GeneratorFailure } from '../../lib/generator-failure';

/**
 * `nx g @osa-gitops/nx-plugin:import --configDir=<dir> --site=<name>`: the same import as
 * `osa-gitops import` (the loader's prepareImport: core's mapping, the printed definition loaded
 * and validated with every site of the Tree), written into the Tree. Bad input throws, so Nx
 * writes nothing; a definition with validation errors is written and the errors are logged, as
 * the CLI does. Findings are logged (docs/import.md).
 */
export async function importGenerator(tree: Tree, options: ImportGeneratorSchema): Promise<void> {
  const configDir = path.resolve(tree.root, options.configDir);
  let prepared;
  try {
    prepared = await prepareImport(tree.root, readConfigDir(configDir), {
      site: options.site,
      reader: createTreeSourceReader(tree),
    });
  } catch (err) {
    if (err instanceof ImportInputError)
      throw new GeneratorFailure(`import: ${err.message}. Nothing was written.`);
    throw err;
  }
  for (const f of prepared.findings) logger.info(formatFinding(f));
  tree.write(prepared.file, prepared.source);
  await formatFiles(tree);
  if (prepared.issues.length > 0) {
    const log = prepared.ok ? logger.warn : logger.error;
    log(formatIssues(prepared.issues));
  }
  if (!prepared.ok) {
    logger.error(`${prepared.file} has validation errors: fix them, then render.`);
  }
}

function formatFinding(f: ImportFinding): string {
  const at = f.path.length > 0 ? `${f.file} → ${formatSourcePath(f.path)}` : f.file;
  return `[${f.code}] (${f.kind}) ${at}: ${f.message} → ${f.action}`;
}

export default importGenerator;
