import * as path from 'node:path';
import { allocationToJson, formatAllocationMarkdown, formatAllocationText } from '@osa-gitops/render';
import {
  createDeployLog,
  DEFAULTS,
  DeployError,
  nodeDeployFs,
  previewOnHost,
  readWhileNoDeployRuns,
  readUntrustedTreeDir,
} from '@osa-gitops/deployer';
import { parseCommandArgs } from '../args';
import { loadDeployableSite, loadSiteEnvironment } from '../deploy-adapter/deployable-site';
import { EXIT, type CliIo } from '../io';
import { UsageError } from '../usage-error';
import { requireSiteName } from './site-arg';

export const PREVIEW_HELP = `Usage: osa-gitops preview <site> [options]

What OpenStack-Ansible's inventory generator would do if the site's tree were deployed on this
host: containers created or removed, every address of each new container, containers whose
addresses change, groups changed. Runs OSA's generator on a temporary copy of the config dir
with the tree synced in and a copy of the real openstack_inventory.json; the live config dir is
only read (docs/runner-insight.md).

Options:
  --tree <dir>          preview this rendered tree (untrusted data, e.g. a pull request's
                        environments/<site>/openstack_deploy) instead of the committed one
  --config-dir <dir>    the OSA config dir (default: the definition's deploy.configDir)
  --osa-dir <dir>       the openstack-ansible checkout (default: the definition's deploy.osaDir)
  --python <path>       interpreter for OSA's generator (default: ${DEFAULTS.python})
  --json                { schemaVersion: 1, site, containersAdded, … }
  --markdown            Markdown (for a job summary or a PR comment)
  -h, --help            show this help

Exit codes: 0 preview printed, 1 no preview (tree refused, generator failed, no OSA checkout), 2 usage.
`;

export async function runPreview(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('preview', args, {
    tree: { type: 'string' },
    'config-dir': { type: 'string' },
    'osa-dir': { type: 'string' },
    python: { type: 'string' },
    markdown: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(PREVIEW_HELP);
    return EXIT.ok;
  }
  if (values.json && values.markdown)
    throw new UsageError('--json and --markdown cannot be combined', 'preview');
  const site = requireSiteName('preview', positionals);
  const log = createDeployLog({ stdout: io.stderr, stderr: io.stderr });
  try {
    const { environment, tree } =
      values.tree === undefined
        ? await loadDeployableSite(io.cwd, site, log)
        : {
            environment: await loadSiteEnvironment(io.cwd, site, log),
            tree: await readUntrustedTreeDir(path.resolve(io.cwd, values.tree)),
          };
    const configDir = path.resolve(io.cwd, values['config-dir'] ?? environment.deploy.configDir);
    // Never while a deploy of the site changes the config dir (the deployer's own lock).
    const result = await readWhileNoDeployRuns({ fs: nodeDeployFs, configDir, site, log }, () =>
      previewOnHost({
        site,
        fs: nodeDeployFs,
        tree,
        configDir,
        osaDir: path.resolve(io.cwd, values['osa-dir'] ?? environment.deploy.osaDir),
        python: values.python ?? DEFAULTS.python,
        env: { ...io.env },
      }),
    );
    if (!result.ran) {
      io.stderr(`osa-gitops preview: no preview: ${result.reason}\n`);
      return EXIT.failed;
    }
    if (values.json) io.stdout(`${JSON.stringify(allocationToJson(result.preview), null, 2)}\n`);
    else if (values.markdown) io.stdout(formatAllocationMarkdown(result.preview));
    else io.stdout(formatAllocationText(result.preview));
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    io.stderr(`osa-gitops preview: ${err.message}\n`);
    return EXIT.failed;
  }
}
