import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import { UNOWNED } from './fixture';

/**
 * Which version the owned files of a config dir are: all `old`, all `new`, or `mixed` (allowed
 * only while a journal says how to undo it). Throws when any owned file is neither its old nor
 * its new bytes (a torn or foreign file), naming it.
 */
export function ownedState(
  configDir: string,
  old: RenderedTree,
  next: RenderedTree,
): 'old' | 'new' | 'mixed' {
  let allOld = true;
  let allNew = true;
  for (const p of new Set([...old.keys(), ...next.keys()])) {
    const file = path.join(configDir, p);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const isOld = text === old.get(p);
    const isNew = text === next.get(p);
    if (!isOld && !isNew)
      throw new Error(`${p} is neither the old nor the new version: ${JSON.stringify(text)}`);
    allOld &&= isOld;
    allNew &&= isNew;
  }
  return allOld ? 'old' : allNew ? 'new' : 'mixed';
}

/** Unowned files still byte-identical (throws naming the first that is not). */
export function assertUnownedIntact(configDir: string): void {
  for (const [p, text] of Object.entries(UNOWNED)) {
    const now = fs.readFileSync(path.join(configDir, p), 'utf8');
    if (now !== text) throw new Error(`unowned ${p} changed`);
  }
}

/** Temp files, journal or lock left behind (the backups are meant to stay). */
export function leftovers(configDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(configDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (child !== '.osa-gitops/backups') walk(child);
      } else if (
        e.name.endsWith('.osa-gitops-tmp') ||
        e.name === 'journal.json' ||
        e.name.startsWith('deploy.lock')
      ) {
        out.push(child);
      }
    }
  };
  walk('');
  return out;
}

export function journalExists(configDir: string): boolean {
  return fs.existsSync(path.join(configDir, '.osa-gitops', 'journal.json'));
}

/** Alive and not a zombie (PID 1 of a container may not reap orphans). */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
