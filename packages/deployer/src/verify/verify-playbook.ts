import * as path from 'node:path';

/**
 * The verify playbook shipped with osa-gitops (`playbooks/osa-gitops-verify.yml` of this
 * package): read-only commands in each haproxy container, results written on the deploy host.
 * Located next to the sources (the CLI bundle keeps each file's own __dirname).
 */
export const VERIFY_PLAYBOOK = path.join(__dirname, '..', '..', 'playbooks', 'osa-gitops-verify.yml');
