import {
  definitionFile,
  EnvironmentSchema,
  hasErrors,
  SITE_NAME,
  SITE_NAME_MAX,
  type Issue,
} from '@osa-gitops/core';
import {
  BOND_NICS_PROBE,
  importConfigDir,
  ImportInputError,
  printEnvironment,
  type ConfigFile,
  type ImportFinding,
  type SharedBase,
} from '@osa-gitops/import';
import { compileSites } from '../compile-sites';
import { discoverSites } from '../discover-sites';
import { loadSites } from '../load-sites';
import type { SourceReader } from '../source-reader';

export interface PreparedImport {
  readonly site: string;
  /** `environments/<site>/environment.ts`. */
  readonly file: string;
  /** The definition's source, to be written at `file`. */
  readonly source: string;
  readonly findings: readonly ImportFinding[];
  /** Load, validation and fleet issues of the new site, as `validate` would report them. */
  readonly issues: readonly Issue[];
  /** No error issue: the site renders. */
  readonly ok: boolean;
}

export interface PrepareImportOptions {
  readonly site: string;
  /** The workspace's definitions (fs or Nx Tree), read through. */
  readonly reader: SourceReader;
  /** Formats TypeScript (the CLI passes prettier when it is installed). @default none */
  readonly format?: (source: string) => Promise<string>;
  readonly timeoutMs?: number;
}

/**
 * Everything import does short of writing: check the site name is new, map the config dir
 * (core's `importConfigDir`), print `environment.ts` using the fleet base where it fits, and load
 * and validate the printed source with the normal loader (a virtual file over `reader`, so a
 * failure leaves nothing behind) together with every other site, for the fleet rules.
 *
 * The printed source is checked to evaluate to exactly the imported definition; if the shared
 * base does not give back the same values, it is printed without it. Throws ImportInputError for
 * bad input (nothing is to be written then).
 */
export async function prepareImport(
  root: string,
  files: readonly ConfigFile[],
  opts: PrepareImportOptions,
): Promise<PreparedImport> {
  const { site, reader } = opts;
  if (!SITE_NAME.test(site) || site.length > SITE_NAME_MAX) {
    throw new ImportInputError(
      `"${site}" is not a valid site name: expected lowercase kebab-case, at most ${SITE_NAME_MAX} characters`,
    );
  }
  if (reader.children('environments').includes(site) || discoverSites(root, reader).includes(site)) {
    throw new ImportInputError(`environments/${site} exists already; pick another --site name`);
  }
  const result = importConfigDir(files, { site });
  const file = definitionFile(site);
  const timeout = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs };
  const shared = await probeSharedBase(root, reader, site, timeout);
  const want = canonical(EnvironmentSchema.safeParse(result.input).data ?? result.input);
  const comment = [
    `Imported by \`osa-gitops import --site ${site}\` from an OpenStack-Ansible config dir.`,
    'The import report lists what OSA really did with that config (the traps fixed here), what the',
    'definition left out and what it adds; re-run the import with --json to see it again.',
  ];

  for (const base of shared === undefined ? [undefined] : [shared, undefined]) {
    let source = printEnvironment(result.input, { ...(base ? { shared: base } : {}), comment });
    if (opts.format) source = await opts.format(source);
    const virtual = withFile(reader, file, source);
    const [loaded] = await loadSites(root, [site], { reader: virtual, ...timeout });
    if (!loaded?.ok) continue;
    const got = canonical(EnvironmentSchema.safeParse(loaded.value).data ?? loaded.value);
    if (got !== want) continue;
    const ws = await compileSites(root, { reader: virtual, sites: [site], ...timeout });
    const issues = [...ws.sites.flatMap((s) => s.issues), ...ws.fleetIssues];
    return { site, file, source, findings: result.findings, issues, ok: !hasErrors(issues) };
  }
  throw new Error(
    `import: the printed ${file} does not evaluate to the imported definition (a bug, please report it)`,
  );
}

/** The values `environments/_shared/base.ts` exports, evaluated like a definition; undefined without it. */
async function probeSharedBase(
  root: string,
  reader: SourceReader,
  site: string,
  timeout: { timeoutMs?: number },
): Promise<SharedBase | undefined> {
  if (!reader.isFile('environments/_shared/base.ts')) return undefined;
  const probe = `import * as base from '../_shared/base';
const b = base as Record<string, unknown>;
const call = (f: unknown, arg: string) => (typeof f === 'function' ? f(arg) : null);
export default {
  fleetBase: b.fleetBase ?? null,
  standardProviderNetworks: b.standardProviderNetworks ?? null,
  infraWithHaproxy: b.infraWithHaproxy ?? null,
  deployTo: call(b.deployTo, ${JSON.stringify(site)}),
  bondNics: call(b.bondNics, ${JSON.stringify(BOND_NICS_PROBE)}),
};
`;
  const [loaded] = await loadSites(root, [site], {
    reader: withFile(reader, definitionFile(site), probe),
    ...timeout,
  });
  if (!loaded?.ok || typeof loaded.value !== 'object' || loaded.value === null) return undefined;
  const v = loaded.value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['fleetBase', 'standardProviderNetworks', 'infraWithHaproxy', 'deployTo', 'bondNics']) {
    if (v[key] !== null && v[key] !== undefined) out[key] = v[key];
  }
  return out as SharedBase;
}

/** `reader` with one more file (and its folder) that exists only in memory. */
function withFile(reader: SourceReader, file: string, text: string): SourceReader {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const parent = dir.slice(0, dir.lastIndexOf('/'));
  const name = dir.slice(dir.lastIndexOf('/') + 1);
  return {
    readFile: (rel) => (rel === file ? text : reader.readFile(rel)),
    isFile: (rel) => rel === file || reader.isFile(rel),
    children: (rel) => {
      const real = reader.children(rel);
      if (rel === parent && !real.includes(name)) return [...real, name];
      if (rel === dir && !real.includes('environment.ts')) return [...real, 'environment.ts'];
      return real;
    },
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
