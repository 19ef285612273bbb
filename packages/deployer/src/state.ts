import { describeFsError } from './deploy-error';
import { atomicWrite, type DeployFs } from './deploy-fs';
import { statePaths } from './state-paths';

/** `<configDir>/.osa-gitops/state.json`: what was last deployed here successfully. */
export interface DeployState {
  readonly site: string;
  /** The workspace commit whose committed tree was deployed (null when unknown). */
  readonly commit: string | null;
  readonly deployedAt: string;
  /** The backup of what this deploy replaced, relative to the config dir (null: nothing replaced). */
  readonly backupDir: string | null;
}

export async function writeState(fs: DeployFs, configDir: string, state: DeployState): Promise<void> {
  const file = statePaths(configDir).state;
  try {
    await atomicWrite(fs, file, `${JSON.stringify(state, null, 2)}\n`, 0o644);
  } catch (err) {
    throw describeFsError('record the deploy in', file, err);
  }
}
