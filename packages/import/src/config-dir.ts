import { parseDocument } from 'yaml';
import { finding, ImportInputError, type ImportFinding } from './findings';

/** One file of an OSA config dir, as the CLI (or the Nx generator) read it. */
export interface ConfigFile {
  /** POSIX path relative to the config dir, e.g. `conf.d/haproxy.yml`. */
  readonly path: string;
  readonly text: string;
}

export interface ParsedFile {
  readonly path: string;
  /** The top-level mapping (an empty file reads as `{}`, as PyYAML's `or {}` does in OSA). */
  readonly data: Record<string, unknown>;
}

/** The config dir sorted into what OSA and Ansible read, each file parsed. */
export interface ParsedConfigDir {
  readonly userConfig?: ParsedFile;
  /** `conf.d/**` `*.yml`/`*.yaml`, sorted by path (OSA's os.walk order is unspecified). */
  readonly confD: readonly ParsedFile[];
  readonly envD: readonly ParsedFile[];
  /** `user_*.yml`, in the `ls` order the openstack-ansible wrapper passes them as `-e @file`. */
  readonly userVariables: readonly ParsedFile[];
  /** group name → files (a `group_vars/<g>/` dir in sorted order, or `group_vars/<g>.yml`). */
  readonly groupVars: ReadonlyMap<string, readonly ParsedFile[]>;
  readonly hostVars: ReadonlyMap<string, readonly ParsedFile[]>;
  readonly findings: readonly ImportFinding[];
}

const YAML_FILE = /\.ya?ml$/;
const VARS_FILE = /^(group_vars|host_vars)\/([^/]+?)(?:\.ya?ml|\.json)?(?:\/(.+))?$/;

/**
 * Sort and parse the files of a config dir. Throws ImportInputError (nothing imported) when the
 * dir has neither `openstack_user_config.yml` nor a `conf.d/` YAML file, when a file does not
 * parse, or when a file is not a mapping. Vault-encrypted files are left out with a finding
 * (their values are secrets and never needed here).
 */
export function parseConfigDir(files: readonly ConfigFile[]): ParsedConfigDir {
  const findings: ImportFinding[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parsed = (f: ConfigFile): ParsedFile | undefined => {
    if (f.text.trimStart().startsWith('$ANSIBLE_VAULT')) {
      findings.push(
        finding(
          'IMPORT_LEFT_OUT',
          f.path,
          [],
          'the file is vault-encrypted',
          'not read; nothing in it was imported (the definition needs no secrets)',
        ),
      );
      return undefined;
    }
    return { path: f.path, data: parseMapping(f.path, f.text) };
  };

  let userConfig: ParsedFile | undefined;
  const confD: ParsedFile[] = [];
  const envD: ParsedFile[] = [];
  const userVariables: ParsedFile[] = [];
  const groupVars = new Map<string, ParsedFile[]>();
  const hostVars = new Map<string, ParsedFile[]>();
  for (const f of sorted) {
    if (f.path === 'openstack_user_config.yml') {
      userConfig = parsed(f);
    } else if (f.path.startsWith('conf.d/') && YAML_FILE.test(f.path)) {
      const p = parsed(f);
      if (p) confD.push(p);
    } else if (f.path.startsWith('env.d/') && YAML_FILE.test(f.path)) {
      const p = parsed(f);
      if (p) envD.push(p);
    } else if (/^user_[^/]*\.yml$/.test(f.path)) {
      const p = parsed(f);
      if (p) userVariables.push(p);
    } else {
      const m = VARS_FILE.exec(f.path);
      if (!m || (m[3] !== undefined && !YAML_FILE.test(m[3]))) continue;
      const p = parsed(f);
      if (!p) continue;
      const into = m[1] === 'group_vars' ? groupVars : hostVars;
      into.set(m[2]!, [...(into.get(m[2]!) ?? []), p]);
    }
  }
  if (userConfig === undefined && confD.length === 0) {
    throw new ImportInputError(
      'not an OpenStack-Ansible config dir: expected openstack_user_config.yml or conf.d/*.yml in it',
    );
  }
  return {
    ...(userConfig ? { userConfig } : {}),
    confD,
    envD,
    userVariables,
    groupVars,
    hostVars,
    findings,
  };
}

/**
 * YAML 1.1 (what PyYAML, and so OSA and Ansible, read: `off` is false, `0755` octal), one
 * document, aliases bounded. An empty file is `{}`; anything else must be a mapping.
 */
export function parseMapping(path: string, text: string): Record<string, unknown> {
  const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0]
      ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
      : '';
    throw new ImportInputError(`YAML does not parse${where}: ${first.message.split('\n')[0]}`, path);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ImportInputError(`YAML cannot be read: ${(err as Error).message}`, path);
  }
  if (data === null || data === undefined) return {};
  const proto = protoKeyPath(data, 0);
  if (proto !== undefined) {
    // Assigning such a key while merging would replace an object's prototype.
    throw new ImportInputError(
      `has a key named __proto__ at ${proto || 'the top level'}; OSA config has none`,
      path,
    );
  }
  if (!isMapping(data)) {
    throw new ImportInputError(`expected a mapping at the top level, found ${describe(data)}`, path);
  }
  return data;
}

/** Where a `__proto__` key is, as `a.b[2]`, or undefined; bounded in depth like the YAML itself. */
function protoKeyPath(value: unknown, depth: number): string | undefined {
  if (depth > 64 || typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') return k;
    const inner = protoKeyPath(v, depth + 1);
    if (inner !== undefined)
      return Array.isArray(value)
        ? `[${k}]${inner.startsWith('[') ? '' : '.'}${inner}`
        : `${k}${inner.startsWith('[') ? '' : '.'}${inner}`;
  }
  return undefined;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * OSA's `dictutils.merge_dict` (openstack-ansible `osa_toolkit/dictutils.py` @ ff08037): a
 * non-empty mapping merges recursively; anything else (lists, scalars, null, `{}`) replaces.
 * Returns the paths a replacement hit, for findings.
 */
export function osaMerge(
  base: Record<string, unknown>,
  add: Record<string, unknown>,
  onSet: (path: string[], old: { value: unknown } | undefined) => void = () => {},
  path: string[] = [],
): Record<string, unknown> {
  for (const [key, value] of Object.entries(add)) {
    const had = Object.hasOwn(base, key);
    const old = had ? base[key] : undefined;
    if (isMapping(value) && Object.keys(value).length > 0) {
      if (!isMapping(old)) onSet([...path, key], had ? { value: old } : undefined);
      base[key] = osaMerge(isMapping(old) ? old : {}, value, onSet, [...path, key]);
    } else {
      onSet([...path, key], had ? { value: old } : undefined);
      base[key] = value;
    }
  }
  return base;
}
