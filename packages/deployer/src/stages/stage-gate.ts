import type { DeployStage } from '@osa-gitops/report';
import type { StagedDeployOptions } from './deploy-stages';

/**
 * What the deploy does at a stage, decided in one place for the real run and the dry run:
 * - `run`: run its command;
 * - `skip`: a person did it by hand (`--host-networking done`, `--metal-cutover done`);
 * - `wait`: it needs a person (its own approval was not given, or the site runs it by hand): the
 *   deploy stops before it with the files synced, exit EXIT_WAITING.
 */
export type StageGate =
  | { readonly action: 'run' }
  | { readonly action: 'skip'; readonly flag: string }
  | { readonly action: 'wait'; readonly why: string; readonly flag: string; readonly canApprove: boolean };

export function stageGate(stage: DeployStage, staged: StagedDeployOptions): StageGate {
  if (stage.name === 'host-networking') {
    if (staged.hostNetworking === 'done') return { action: 'skip', flag: '--host-networking done' };
    if (stage.approval === 'manual')
      return {
        action: 'wait',
        why: "deploy.hostNetworking is 'manual'",
        flag: '--host-networking',
        canApprove: false,
      };
    if (staged.hostNetworking !== 'approved')
      return {
        action: 'wait',
        why: 'host networking was not approved for this run (--host-networking approved)',
        flag: '--host-networking',
        canApprove: true,
      };
  }
  if (stage.name === 'metal-cutover') {
    if (staged.metalCutover === 'done') return { action: 'skip', flag: '--metal-cutover done' };
    if (staged.metalCutover !== 'approved')
      return {
        action: 'wait',
        why: 'the move off metal HAProxy was not approved for this run (--metal-cutover approved)',
        flag: '--metal-cutover',
        canApprove: true,
      };
  }
  return { action: 'run' };
}
