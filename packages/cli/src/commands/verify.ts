import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { SITE_NAME } from '@osa-gitops/core';
import { formatVerifyMarkdown, formatVerifyText, verifyResultToJson } from '@osa-gitops/render';
import {
  createDeployLog,
  DEFAULTS,
  DeployError,
  nodeDeployFs,
  readAppliedStages,
  readStageRecord,
  resolveExecutable,
  verifySite,
  writeVerifiedRecord,
} from '@osa-gitops/deployer';
import { parseCommandArgs } from '../args';
import { loadDeployableSite } from '../deploy-adapter/deployable-site';
import { parseDuration } from '../deploy-adapter/duration';
import { EXIT, type CliIo } from '../io';
import { UsageError } from '../usage-error';

/** No verdict: the facts could not be gathered (wrapper or playbook failed, site invalid). */
export const EXIT_NO_VERDICT = 3;

export const VERIFY_HELP = `Usage: osa-gitops verify <site> [options]

Prove the site's VIPs serve. With the verify playbook shipped with osa-gitops, run through the
openstack-ansible wrapper from the OSA dir, read every member of the haproxy group (metal ones
too): addresses, routes, listening sockets, a ping of the public gateway, keepalived's state;
then, from this host, connect to every frontend OSA configures for the site's services on each
VIP. Checked against the site's definition: every haproxy host runs its container; its public
address, default route (via the public gateway, none via eth0) and gateway; keepalived runs in
every container with its track scripts GOOD, exactly one MASTER per VRRP instance and the rest
BACKUP; each VIP is held by exactly one member, a container; every container listens on every
frontend port; each frontend answers on each VIP, and TLS binds present a certificate whose
SANs carry the VIP (and the external name). A failed check names the instance, the VIP and the
port. Checks of a stage not applied on this host (recorded by the deploy in
<config-dir>/.osa-gitops/) are "not applicable". Changes nothing on the hosts. When every check
passes, the deployed commit is recorded as the last verified one.

Options:
  --config-dir <dir>    OSA config dir (default: the site's deploy.configDir)
  --osa-dir <dir>       openstack-ansible checkout (default: the site's deploy.osaDir)
  --osa-bin <cmd>       the openstack-ansible wrapper (default: ${DEFAULTS.osaBin})
  --timeout <duration>  stop the playbook after this long (default: 10m)
  --json                print the checks as JSON on stdout (logs go to stderr)
  --markdown <file>     also append the checks as a Markdown table to <file>
                        (e.g. "$GITHUB_STEP_SUMMARY")
  -h, --help            show this help

Exit codes: 0 every check passed (not applicable ones allowed), 1 a check failed,
2 usage error, 3 no verdict (invalid site, the wrapper or the playbook failed).
`;

export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', args, {
    'config-dir': { type: 'string' },
    'osa-dir': { type: 'string' },
    'osa-bin': { type: 'string' },
    timeout: { type: 'string' },
    markdown: { type: 'string' },
  });
  if (values.help) {
    io.stdout(VERIFY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one site to verify', 'verify');
  const site = positionals[0]!;
  if (!SITE_NAME.test(site)) throw new UsageError(`${JSON.stringify(site)} is not a site name`, 'verify');
  const timeoutMs = values.timeout === undefined ? 10 * 60_000 : parseDuration(values.timeout);
  if (timeoutMs === undefined)
    throw new UsageError(`--timeout ${values.timeout}: expected a duration such as 90s, 10m`, 'verify');

  const log = createDeployLog(values.json ? { stdout: io.stderr, stderr: io.stderr } : io);
  try {
    const { environment } = await loadDeployableSite(io.cwd, site, log);
    const configDir = path.resolve(io.cwd, values['config-dir'] ?? environment.deploy.configDir);
    const osaDir = path.resolve(io.cwd, values['osa-dir'] ?? environment.deploy.osaDir);
    const env = io.env as NodeJS.ProcessEnv;
    const osaBin = await resolveExecutable(values['osa-bin'] ?? DEFAULTS.osaBin, env);
    const applied = await readAppliedStages(nodeDeployFs, configDir);
    const result = await verifySite({ environment, configDir, osaDir, osaBin, env, timeoutMs, log, applied });
    io.stdout(
      values.json ? `${JSON.stringify(verifyResultToJson(result), null, 2)}\n` : formatVerifyText(result),
    );
    if (values.markdown !== undefined) appendFileSync(values.markdown, formatVerifyMarkdown(result));
    if (!result.ok) return EXIT.failed;
    // Only a full pass of everything the site should be names a commit as verified: a check not
    // applicable, or a stage still pending, means part of the commit is not live yet.
    const record = await readStageRecord(nodeDeployFs, configDir);
    const commit = record?.commit;
    if (commit && record.pending.length === 0 && result.counts['not-applicable'] === 0) {
      await writeVerifiedRecord(nodeDeployFs, configDir, {
        site,
        commit,
        verifiedAt: new Date().toISOString(),
      });
      log.info(`verify: recorded ${commit} as the last verified commit of ${site}`);
    }
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    log.error(err.message);
    return EXIT_NO_VERDICT;
  }
}
