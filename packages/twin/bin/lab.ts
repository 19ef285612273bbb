/**
 * The site twin as a lab you can poke at (needs root, keepalived, haproxy, ansible-playbook and
 * the pinned upstream sources: the env.sh of the pinned upstream sources, as .ci/run does):
 *
 *   npm run lab -w @osa-gitops/twin -- [site] [--verify] [--for 30m]
 *
 * Starts the twin of `site` (default guide-lab) from its committed tree, prints its namespaces
 * and the commands to look inside, and with `--verify` runs the shipped `osa-gitops verify`
 * against it once and prints the table. Stays up until Ctrl-C or `--for` (default 1 h), then
 * removes everything it made (namespaces, /etc/netns entries, daemons), also after a failure.
 */
import { formatVerifyText, type VerifyResult } from '@osa-gitops/render';
import { loadRepoSite, runShippedVerify, Twin, twinRequirements, upstreamFromEnv } from '../src';
import { requirementStatus } from '@osa-gitops/test-support/requirement';

function duration(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new Error(`--for ${text}: expected a duration such as 90s, 30m, 1h`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const site = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--for') ?? 'guide-lab';
  const forIndex = args.indexOf('--for');
  const upFor = forIndex >= 0 ? duration(args[forIndex + 1] ?? '') : 3_600_000;
  const status = requirementStatus(twinRequirements(), false);
  if (status.action !== 'run') {
    process.stderr.write(`lab: cannot start the twin here: ${status.reason}\n`);
    return 1;
  }
  const { environment, tree } = await loadRepoSite(site);
  const twin = await Twin.start({
    environment,
    tree,
    sources: upstreamFromEnv(),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const stop = () => {
    twin.destroy();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const a = twin.addresses;
    process.stdout.write(
      [
        `twin of ${site} is up (files in ${twin.dir})`,
        `  gateway / client / deploy host: ip netns exec ${twin.gatewayNs} …  (${a.gateway}, ${a.deployHost})`,
        ...twin.containers.map(
          (c) => `  ${c.name}: ip netns exec ${c.ns} …  (${c.publicAddress}, ${c.managementAddress})`,
        ),
        `  backends: ip netns exec ${twin.backendNs} …  (${a.backend})`,
        `  try: ip netns exec ${twin.gatewayNs} curl -sk https://${a.externalVip}:5000/`,
        `       ip netns exec ${twin.containers[0]!.ns} ip -br addr`,
        '',
      ].join('\n'),
    );
    if (args.includes('--verify')) {
      const r = await runShippedVerify(twin, site, tree);
      process.stdout.write(
        r.json ? formatVerifyText(r.json as unknown as VerifyResult) : `${r.stdout}${r.stderr}`,
      );
      return r.code;
    }
    process.stderr.write(`lab: up for ${upFor / 1000} s; Ctrl-C to stop earlier\n`);
    await new Promise((r) => setTimeout(r, upFor));
    return 0;
  } finally {
    twin.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lab failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
