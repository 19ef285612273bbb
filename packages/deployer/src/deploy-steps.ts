/** Named points of a deploy, in order; tests pause or crash the deployer at each. */
export const DEPLOY_STEPS = [
  'locked',
  'recovered',
  'preflight-done',
  'backed-up',
  'journal-written',
  'synced',
  'playbook-started',
  'playbook-done',
  'journal-cleared',
  'state-written',
] as const;
export type DeployStep = (typeof DEPLOY_STEPS)[number];
