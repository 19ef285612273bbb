import { createRequire } from 'node:module';
import { DeployError } from '../deploy-error';

/** The verify playbook's name as this package exports it (package.json `exports`, `./playbooks/*`). */
export const VERIFY_PLAYBOOK_SPECIFIER = '@osa-gitops/deployer/playbooks/osa-gitops-verify.yml';

/**
 * The verify playbook shipped with osa-gitops (`playbooks/osa-gitops-verify.yml` of this
 * package): read-only commands in each haproxy container, results written on the deploy host.
 *
 * Found the way Node finds the package, not next to this source: the CLI runs one build of all
 * its modules from node_modules/.cache (or from memory as packages/cli/src/main.bundle.cjs), where
 * every module shares the build's `__dirname`, and a path joined from it named a file that does not
 * exist (every deploy ended "verification failed"). Resolving from `__filename` works wherever that
 * file is: the source (tests), the CLI's build, the action's bundle, because each sits inside the
 * checkout whose node_modules links this package.
 */
export function verifyPlaybook(): string {
  try {
    return createRequire(__filename).resolve(VERIFY_PLAYBOOK_SPECIFIER);
  } catch (err) {
    throw new DeployError(
      `verify: cannot find the verify playbook ${VERIFY_PLAYBOOK_SPECIFIER} from ${__filename} (${(err as Error).message}); is node_modules installed (npm ci)?`,
    );
  }
}
