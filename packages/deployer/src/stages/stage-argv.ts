import { createRequire } from 'node:module';
import type { DeployStage } from '@osa-gitops/report';
import { DeployError } from '../deploy-error';

/** The cut-over playbook as this package exports it (package.json `exports`, `./playbooks/*`). */
export const METAL_CUTOVER_PLAYBOOK_SPECIFIER = '@osa-gitops/deployer/playbooks/osa-gitops-metal-cutover.yml';

/**
 * The cut-over playbook shipped with osa-gitops, found the way Node finds the package (as the
 * verify playbook is: verify/verify-playbook.ts says why not next to this source).
 */
export function metalCutoverPlaybook(): string {
  try {
    return createRequire(__filename).resolve(METAL_CUTOVER_PLAYBOOK_SPECIFIER);
  } catch (err) {
    throw new DeployError(
      `cannot find the cut-over playbook ${METAL_CUTOVER_PLAYBOOK_SPECIFIER} from ${__filename} (${(err as Error).message}); is node_modules installed (npm ci)?`,
    );
  }
}

/**
 * The wrapper's arguments for a stage, exactly as the deploy runs them and the dry run prints
 * them: the planned argv after `openstack-ansible`, then the allow-listed extra arguments. The
 * cut-over's playbook is this package's file, and it is told the OSA dir (where
 * `scripts/inventory-manage.py` is).
 */
export function stageArgs(stage: DeployStage, osaDir: string, extraArgs: readonly string[]): string[] {
  if (stage.name !== 'metal-cutover') return [...stage.argv.slice(1), ...extraArgs];
  const vars = { osa_gitops_metal_hosts: [...(stage.hosts ?? [])], osa_gitops_osa_dir: osaDir };
  return [metalCutoverPlaybook(), '-e', JSON.stringify(vars), ...extraArgs];
}
