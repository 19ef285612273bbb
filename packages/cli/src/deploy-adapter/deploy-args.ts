import { SITE_NAME } from '@osa-gitops/core';
import { parseCommandArgs } from '../args';
import { UsageError } from '../usage-error';
import { BACKUP_ID, checkExtraArgs, DEFAULTS } from '@osa-gitops/deployer';
import { parseDuration } from './duration';

export const DEPLOY_HELP = `Usage: osa-gitops deploy <site> [options]

Sync the site's committed tree (environments/<site>/openstack_deploy/) into its OSA config dir on
this host and run, from the OSA dir, the stages the change needs, in order, under one lock:
  host networking  openstack-ansible playbooks/openstack-hosts-setup.yml --limit <hosts whose
                   host_vars changed> --tags openstack_hosts-systemd (only with
                   --host-networking approved; otherwise the deploy stops before it)
  containers       openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts
  haproxy          openstack-ansible playbooks/haproxy-install.yml --skip-tags keepalived
  frontends        openstack-ansible <the service playbooks the site has> --tags
                   haproxy-service-config
  trusted-proxies  openstack-ansible playbooks/galera-install.yml --tags galera_server-config
  metal-cutover    a site moving off metal HAProxy: stops keepalived and haproxy on the metal
                   hosts and takes them out of the haproxy group (only with --metal-cutover
                   approved; otherwise the deploy stops before it)
  keepalived       openstack-ansible playbooks/haproxy-install.yml --tags keepalived
  verify           what osa-gitops verify <site> does
Each HAProxy stage runs only when the change needs it; --dry-run prints which and why.
Refuses an invalid site or a committed tree that differs from a fresh render. Only files the
manifest owns are written or removed (atomically, backed up first); one deploy per config dir at
a time; a crashed deploy is recovered by the next one. See docs/deploy.md.

Options:
  --config-dir <dir>      OSA config dir (default: the site's deploy.configDir)
  --osa-dir <dir>         openstack-ansible checkout (default: the site's deploy.osaDir)
  --osa-bin <cmd>         the openstack-ansible wrapper, a name on PATH or an absolute path
                          (default: ${DEFAULTS.osaBin})
  --extra-arg=<arg>       extra ansible-playbook argument, repeatable, written with '=' since
                          it starts with a dash (--extra-arg=-vv), allow-listed:
                          -v…-vvvv --verbose --check --diff --list-hosts --list-tasks
                          --list-tags --syntax-check --flush-cache --forks=N --timeout=N
                          --tags=a,b --skip-tags=a,b (never -e/--extra-vars, --limit or -i)
  --timeout <duration>    stop each playbook after this long: SIGTERM, then SIGKILL to its
                          process group (default: 2h; units ms, s, m, h)
  --deadline <duration>   the whole deploy (lock wait, every stage, verify) ends this long
                          after it started: each playbook gets what is left (at most
                          --timeout), a stage is not started after it, and a stopped stage
                          restores as after a timeout (124). Give CI jobs the job's limit less
                          the time to restore (default: none)
  --lock-timeout <dur>    wait this long for another deploy's lock (default: 10m)
  --keep-backups <n>      backups kept in <config-dir>/.osa-gitops/backups (default: ${DEFAULTS.keepBackups})
  --no-restore            keep the new files when the playbook fails (default: restore them,
                          unless the playbook changed openstack_inventory.json: then they
                          are kept and the command to restore them is printed)
  --adopt <path>          take over an existing file at a path the site renders that no
                          manifest of ours lists (repeatable; without it such a file stops
                          the deploy, unless byte-identical to ours); it is backed up first
  --restore <backup-id>   instead of deploying, put back the files a failed deploy kept
                          (the id it printed); needs --config-dir; no playbook runs
  --commit <sha>          commit recorded in state.json (default: git rev-parse HEAD)
  --allow-dirty           deploy although environments/ has uncommitted changes (default:
                          refuse, since state.json would record a commit that is not what runs)
  --python <path>         interpreter for OSA's inventory check (default: ${DEFAULTS.python})
  --host-networking <approved|done>
                          approved: run the host-networking stage when the change needs it
                          (the deploy workflow passes it once the stage's own environment
                          approved); done: it was run by hand, skip it. Without it the deploy
                          stops before that stage (exit 91). A site with deploy.hostNetworking
                          'manual' never runs it (use done after running it yourself)
  --metal-cutover <approved|done>
                          approved: run the move off metal HAProxy when the host's inventory
                          still has metal instances in the haproxy group; done: it was done by
                          hand, skip it. Without it the deploy stops before that stage (exit 91)
  --planned-host-networking <approve|manual|none>
                          what the deploy plan (from the git diff) said of the host-networking
                          stage; with none, a host that needs it all the same (its config dir
                          is behind) stops before changing anything (exit 92) and says how
                          to get the stage's approval (the deploy workflow passes it)
  --containers-only       run only the container playbook (no other stage, no verify)
  --summary <file>        append the stage table and the verify table (Markdown) to <file>
  --outcome <file>        also write the --json summary to <file> (with the site's last verified
                          commit); the deploy workflow's revert job reads it
  --dry-run               print every step (files, backups, command) and change nothing
  --json                  log to stderr; print a JSON summary on stdout at the end
  -h, --help              show this help

Exit codes: the failed stage's own code once a playbook ran (0 ok, 2 failed hosts,
4 unreachable, …; 124 timed out); 90 every stage ran and verify failed (or had no verdict);
91 stopped before the host-networking or metal-cutover stage, waiting for a person; 92 host
networking needed but not planned (nothing changed, see --planned-host-networking); before any playbook
1 (refused or failed, nothing left half-done) or 2 (usage).
`;

export interface DeployArgs {
  readonly site: string;
  readonly configDir?: string;
  readonly osaDir?: string;
  readonly osaBin: string;
  readonly extraArgs: string[];
  readonly timeoutMs: number;
  /** `--deadline`: the whole deploy's limit, from its start. */
  readonly deadlineMs?: number;
  readonly lockTimeoutMs: number;
  readonly keepBackups: number;
  readonly restoreOnFailure: boolean;
  readonly commit?: string;
  readonly python: string;
  readonly dryRun: boolean;
  readonly adopt: string[];
  readonly restore?: string;
  readonly json: boolean;
  readonly allowDirty: boolean;
  readonly hostNetworking?: 'approved' | 'done';
  readonly metalCutover?: 'approved' | 'done';
  readonly plannedHostNetworking?: 'approve' | 'manual' | 'none';
  readonly containersOnly: boolean;
  readonly summary?: string;
  readonly outcome?: string;
}

/** Parse `deploy` arguments; UsageError (exit 2) for anything malformed. `'help'` for -h. */
export function parseDeployArgs(args: readonly string[]): DeployArgs | 'help' {
  const { values, positionals } = parseCommandArgs('deploy', args, {
    'config-dir': { type: 'string' },
    'osa-dir': { type: 'string' },
    'osa-bin': { type: 'string' },
    'extra-arg': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    deadline: { type: 'string' },
    'lock-timeout': { type: 'string' },
    'keep-backups': { type: 'string' },
    'no-restore': { type: 'boolean' },
    commit: { type: 'string' },
    python: { type: 'string' },
    'dry-run': { type: 'boolean' },
    adopt: { type: 'string', multiple: true },
    restore: { type: 'string' },
    'allow-dirty': { type: 'boolean' },
    'host-networking': { type: 'string' },
    'metal-cutover': { type: 'string' },
    'planned-host-networking': { type: 'string' },
    'containers-only': { type: 'boolean' },
    summary: { type: 'string' },
    outcome: { type: 'string' },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('give exactly one site to deploy', 'deploy');
  const site = positionals[0]!;
  if (!SITE_NAME.test(site)) throw new UsageError(`${JSON.stringify(site)} is not a site name`, 'deploy');

  const duration = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined)
      throw new UsageError(`--${flag} ${text}: expected a duration such as 90s, 10m, 4h`, 'deploy');
    return ms;
  };
  const keep = values['keep-backups'] ?? String(DEFAULTS.keepBackups);
  if (!/^[1-9][0-9]{0,3}$/.test(keep))
    throw new UsageError(`--keep-backups ${keep}: expected 1–9999`, 'deploy');
  const extraArgs = values['extra-arg'] ?? [];
  const bad = checkExtraArgs(extraArgs);
  if (bad.length > 0) throw new UsageError(`--extra-arg: ${bad.join('; ')}`, 'deploy');
  const commit = values.commit;
  if (commit !== undefined && !/^[0-9a-f]{7,64}$/.test(commit)) {
    throw new UsageError(`--commit ${commit}: expected a hex commit id`, 'deploy');
  }
  const adopt = values.adopt ?? [];
  const badAdopt = adopt.filter(
    (p) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/.test(p),
  );
  if (badAdopt.length > 0) {
    throw new UsageError(
      `--adopt ${badAdopt.join(', ')}: expected a path relative to the config dir, as the site renders it (e.g. host_vars/infra1.yml)`,
      'deploy',
    );
  }
  const hostNetworking = values['host-networking'];
  if (hostNetworking !== undefined && hostNetworking !== 'approved' && hostNetworking !== 'done')
    throw new UsageError(`--host-networking ${hostNetworking}: expected approved or done`, 'deploy');
  const metalCutover = values['metal-cutover'];
  if (metalCutover !== undefined && metalCutover !== 'approved' && metalCutover !== 'done')
    throw new UsageError(`--metal-cutover ${metalCutover}: expected approved or done`, 'deploy');
  const planned = values['planned-host-networking'];
  if (planned !== undefined && planned !== 'approve' && planned !== 'manual' && planned !== 'none')
    throw new UsageError(`--planned-host-networking ${planned}: expected approve, manual or none`, 'deploy');
  const restore = values.restore;
  if (restore !== undefined) {
    if (!BACKUP_ID.test(restore))
      throw new UsageError(
        `--restore ${restore}: expected a backup id such as 2026-07-16T12-01-02.123Z`,
        'deploy',
      );
    if (values['config-dir'] === undefined)
      throw new UsageError('--restore needs --config-dir (the config dir the backup is in)', 'deploy');
    if (values['dry-run'] || adopt.length > 0)
      throw new UsageError('--restore cannot be combined with --dry-run or --adopt', 'deploy');
  }
  return {
    site,
    ...(values['config-dir'] !== undefined ? { configDir: values['config-dir'] } : {}),
    ...(values['osa-dir'] !== undefined ? { osaDir: values['osa-dir'] } : {}),
    osaBin: values['osa-bin'] ?? DEFAULTS.osaBin,
    extraArgs,
    timeoutMs: duration('timeout', values.timeout, DEFAULTS.timeoutMs),
    ...(values.deadline !== undefined ? { deadlineMs: duration('deadline', values.deadline, 0) } : {}),
    lockTimeoutMs: duration('lock-timeout', values['lock-timeout'], DEFAULTS.lockTimeoutMs),
    keepBackups: Number(keep),
    restoreOnFailure: !values['no-restore'],
    ...(commit !== undefined ? { commit } : {}),
    python: values.python ?? DEFAULTS.python,
    dryRun: Boolean(values['dry-run']),
    adopt,
    ...(restore !== undefined ? { restore } : {}),
    json: Boolean(values.json),
    allowDirty: Boolean(values['allow-dirty']),
    ...(hostNetworking !== undefined ? { hostNetworking } : {}),
    ...(metalCutover !== undefined ? { metalCutover } : {}),
    ...(planned !== undefined ? { plannedHostNetworking: planned } : {}),
    containersOnly: Boolean(values['containers-only']),
    ...(values.summary !== undefined ? { summary: values.summary } : {}),
    ...(values.outcome !== undefined ? { outcome: values.outcome } : {}),
  };
}
