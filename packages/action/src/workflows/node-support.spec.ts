import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Which Node.js osa-gitops supports, in one place: `engines` in the root package.json. The
 * workflows run the current LTS line; CI on the project's own machine runs whatever Node it has,
 * which must be a supported line (the oldest one is kept tested there). Every package the lockfile
 * installs must accept the first version of each supported line, or `npm ci` warns EBADENGINE and
 * the package may not run there (content-type 3 wants Node 22: the root package.json overrides it
 * to 2.1.0 under @octokit/request, the same parser with the same results).
 */
const ROOT = path.resolve(__dirname, '../../../..');
const NODE_LTS = '24';

const semver = createRequire(__filename)('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  minVersion(range: string): { version: string } | null;
  Range: new (range: string) => { set: readonly (readonly { value: string }[])[] };
};

const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const engines = rootPackage.engines.node;
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

/** The first version of each line `engines` admits (`^20.19.0 || >=24` → 20.19.0, 24.0.0). */
function lineStarts(range: string): string[] {
  return new semver.Range(range).set.map((comparators) => {
    const min = semver.minVersion(comparators.map((c) => c.value).join(' '));
    if (min === null) throw new Error(`engines ${range} admits no version`);
    return min.version;
  });
}

describe('supported Node.js', () => {
  it('engines names whole lines, the LTS among them', () => {
    expect(lineStarts(engines)).toEqual(['20.19.0', '22.13.0', '24.0.0']);
    expect(semver.satisfies(`${NODE_LTS}.0.0`, engines)).toBe(true);
    expect(semver.satisfies('23.11.0', engines)).toBe(false);
  });

  it('every workflow sets up the current LTS line', () => {
    const dir = path.join(ROOT, '.github/workflows');
    const versions: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/node-version:\s*(\S+)/g)) {
        versions.push(`${file}: ${m[1]!.replace(/['"]/g, '')}`);
      }
    }
    expect(versions.length).toBeGreaterThan(5);
    expect(versions.filter((v) => !v.endsWith(`: ${NODE_LTS}`))).toEqual([]);
  });

  it('the Node running these tests is a supported one', () => {
    expect(semver.satisfies(process.versions.node, engines), process.version).toBe(true);
  });

  it('every locked package accepts the first version of every supported line (no EBADENGINE)', () => {
    const refused: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (where === '' || range === undefined) continue;
      for (const version of lineStarts(engines)) {
        if (!semver.satisfies(version, range, { includePrerelease: true }))
          refused.push(`${where} (engines ${range}) refuses Node ${version}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
