import { VERIFY_COMMANDS, type CommandOutput, type RawContainerOutput } from '@osa-gitops/render';

/** Runs one argv where the container's commands run (a namespace, a shell on the host, …). */
export type CommandRunner = (argv: readonly string[]) => Promise<CommandOutput>;

/**
 * Run the verify commands (the ones the verify playbook runs inside each haproxy container)
 * through `run` and record their results in the playbook's output shape. A runner that cannot
 * start the commands at all (rc 255 / spawn error on the first one) marks the container
 * unreachable, as the playbook does for a container Ansible cannot reach.
 */
export async function gatherContainer(
  run: CommandRunner,
  meta: { readonly name: string; readonly physicalHost?: string; readonly metal?: boolean },
  gateway: string,
): Promise<RawContainerOutput> {
  const addr = await run(VERIFY_COMMANDS.addr);
  const metal = meta.metal ? { metal: true } : {};
  if (addr.rc === 255 && addr.stdout === '') {
    return {
      name: meta.name,
      ...metal,
      ...hostOf(meta),
      reachable: false,
      error: 'the container did not answer',
    };
  }
  const keepalived = await run(VERIFY_COMMANDS.keepalived);
  if (meta.metal) return { name: meta.name, ...metal, ...hostOf(meta), reachable: true, addr, keepalived };
  const route = await run(VERIFY_COMMANDS.route);
  const listen = await run(VERIFY_COMMANDS.listen);
  const ping = await run([...VERIFY_COMMANDS.ping, gateway]);
  return {
    name: meta.name,
    ...hostOf(meta),
    reachable: true,
    addr,
    route,
    listen,
    ping: { ...ping, target: gateway },
    keepalived,
  };
}

function hostOf(meta: { readonly physicalHost?: string }) {
  return meta.physicalHost !== undefined ? { physicalHost: meta.physicalHost } : {};
}
