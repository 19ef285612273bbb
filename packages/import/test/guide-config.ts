import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConfigFile } from '../src/config-dir';

/** The config dir written by hand from the OSA guide, traps included (fixtures/guide-config). */
export const GUIDE_CONFIG_DIR = join(__dirname, 'fixtures', 'guide-config');

/** Every file under `dir`, as import's input (test helper: the import package itself never reads files). */
export function readConfigDir(dir: string): ConfigFile[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  return walk(dir).map((f) => ({ path: relative(dir, f), text: readFileSync(f, 'utf8') }));
}
