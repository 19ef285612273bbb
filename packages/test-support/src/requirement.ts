import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * "This test needs X": one helper for every test that depends on something outside Node.
 *
 * - A **tool** (`executable`, `pythonModules`) is something `.ci/run` installs. Absent on a
 *   developer's machine, the tests skip and say why on stderr (a fresh clone's `npm test` passes);
 *   absent under `CI=true`, the block turns into one failing test naming the tool, so CI can never
 *   skip them silently.
 * - A **source** (`source`) is something CI cannot get (an openstack-ansible checkout). Absent, the
 *   tests skip with the reason printed, under CI too.
 *
 * Requirements are checked in order and the first one missing decides, so list sources first:
 * without the checkout, a missing interpreter does not matter.
 */
export interface Requirement {
  readonly kind: 'tool' | 'source';
  /** What is needed, as a person would name it: `ansible-playbook`, `OSA_INVENTORY_SRC`. */
  readonly name: string;
  /** How to get it: `Debian ansible-core (.ci/run installs it)`. */
  readonly hint: string;
  /** True when present. Called once per `describeRequiring`. */
  readonly present: () => boolean;
}

/** An executable: a bare name is looked up on PATH (no shell), a path is checked as given. */
export function executable(name: string, hint: string, pathEnv?: string): Requirement {
  return { kind: 'tool', name, hint, present: () => findExecutable(name, pathEnv) !== undefined };
}

/** A Python interpreter that can import the given modules (e.g. Debian's python3-netaddr). */
export function pythonModules(python: string, modules: readonly string[], hint: string): Requirement {
  return {
    kind: 'tool',
    name: `${python} with ${modules.join(', ')}`,
    hint,
    present: () => {
      if (findExecutable(python) === undefined) return false;
      const r = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
        stdio: 'ignore',
        timeout: 30_000,
      });
      return r.status === 0;
    },
  };
}

/** Something CI cannot have (a checkout named by an environment variable): skips everywhere. */
export function source(name: string, hint: string, present: () => boolean): Requirement {
  return { kind: 'source', name, hint, present };
}

export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const candidates =
    isAbsolute(name) || name.includes('/')
      ? [name]
      : pathEnv
          .split(delimiter)
          .filter((d) => d !== '')
          .map((d) => join(d, name));
  for (const file of candidates) {
    try {
      if (!existsSync(file)) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not executable: keep looking
    }
  }
  return undefined;
}

export type RequirementStatus =
  | { readonly action: 'run' }
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'fail'; readonly reason: string };

/** `CI=true` (GitHub Actions, `.ci/run`); `1` too, as some runners set it. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1';
}

export function requirementStatus(requirements: readonly Requirement[], ci = isCi()): RequirementStatus {
  for (const r of requirements) {
    if (r.present()) continue;
    if (r.kind === 'source') return { action: 'skip', reason: `${r.name} is not available: ${r.hint}` };
    const missing = `${r.name} is not installed: ${r.hint}`;
    return ci
      ? {
          action: 'fail',
          reason: `${missing}. CI=true: a tool CI installs must be there, so this fails instead of skipping`,
        }
      : { action: 'skip', reason: `${missing}. Under CI=true this fails instead` };
  }
  return { action: 'run' };
}
