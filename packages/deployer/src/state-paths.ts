import * as path from 'node:path';

/**
 * Where the deployer keeps its own state inside the OSA config dir. One hidden folder, so
 * nothing OSA reads can mistake it for configuration: the wrapper globs `user_*.yml` at the top
 * level only, and the inventory reads `conf.d/`, `env.d/` and fixed file names.
 */
export const STATE_DIR = '.osa-gitops';

export interface StatePaths {
  readonly stateDir: string;
  readonly lock: string;
  /** Guards breaking a dead holder's lock, so two waiters cannot both take it over. */
  readonly lockTakeover: string;
  readonly journal: string;
  readonly state: string;
  readonly backups: string;
}

export function statePaths(configDir: string): StatePaths {
  const stateDir = path.join(configDir, STATE_DIR);
  return {
    stateDir,
    lock: path.join(stateDir, 'deploy.lock'),
    lockTakeover: path.join(stateDir, 'deploy.lock.takeover'),
    journal: path.join(stateDir, 'journal.json'),
    state: path.join(stateDir, 'state.json'),
    backups: path.join(stateDir, 'backups'),
  };
}
