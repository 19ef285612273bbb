import { GROUP_NAME, QUEUE_NAME, SITE_NAME, SITE_NAME_MAX } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';

/**
 * Rule 12, second half: names match strict allow-lists. Names become folders, branches, YAML keys
 * and Ansible variable names (`<queue>_address`), so a leading `!` (a YAML tag), `../` or a
 * space must never get through. Host names and interface names have their own codes (hosts.ts,
 * interfaces.ts).
 */

/** Labels that only people and this tool read (runner label, routing domain, segment). */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** One path segment of an absolute deploy-host path; `.` and `..` are refused separately. */
const PATH_SEGMENT = /^[A-Za-z0-9._@+-]+$/;

export function checkNames(ctx: SiteContext): void {
  const { env } = ctx;
  if (!SITE_NAME.test(env.name) || env.name.length > SITE_NAME_MAX) {
    ctx.report(
      'NAME_INVALID',
      ['name'],
      `site name ${quote(env.name)} is not valid; expected kebab-case (${SITE_NAME.source}) of at most ${SITE_NAME_MAX} characters, because it names a folder, a branch and an Nx project`,
    );
  }
  for (const key of Object.keys(env.networks)) queueName(ctx, ['networks', key], key);
  env.providerNetworks.forEach((net, i) => {
    if (net.ipFromQ !== undefined) queueName(ctx, ['providerNetworks', i, 'ipFromQ'], net.ipFromQ);
    if (net.addressPrefix !== undefined) {
      queueName(ctx, ['providerNetworks', i, 'addressPrefix'], net.addressPrefix);
    }
    net.groupBinds.forEach((g, j) => groupName(ctx, ['providerNetworks', i, 'groupBinds', j], g));
    if (net.referenceGroup !== undefined) {
      groupName(ctx, ['providerNetworks', i, 'referenceGroup'], net.referenceGroup);
    }
    if (net.netName !== undefined) token(ctx, ['providerNetworks', i, 'netName'], net.netName);
  });
  queueName(ctx, ['haproxy', 'publicNetwork', 'cidrName'], env.haproxy.publicNetwork.cidrName);
  for (const [host, h] of Object.entries(env.hosts)) {
    h.groups.forEach((g, j) => groupName(ctx, ['hosts', host, 'groups', j], g));
    for (const skel of Object.keys(h.affinity ?? {})) groupName(ctx, ['hosts', host, 'affinity', skel], skel);
  }
  token(ctx, ['routingDomain'], env.routingDomain);
  if (env.publicSegment !== undefined) token(ctx, ['publicSegment'], env.publicSegment);
  token(ctx, ['deploy', 'runnerLabel'], env.deploy.runnerLabel);
  absolutePath(ctx, ['deploy', 'configDir'], env.deploy.configDir);
  absolutePath(ctx, ['deploy', 'osaDir'], env.deploy.osaDir);
}

function queueName(ctx: SiteContext, path: (string | number)[], name: string): void {
  if (QUEUE_NAME.test(name)) return;
  ctx.report(
    'NAME_INVALID',
    path,
    `queue name ${quote(name)} is not valid; expected ${QUEUE_NAME.source}, because OSA turns it into the variable name <queue>_address`,
  );
}

function groupName(ctx: SiteContext, path: (string | number)[], name: string): void {
  if (GROUP_NAME.test(name)) return;
  ctx.report('NAME_INVALID', path, `group name ${quote(name)} is not valid; expected ${GROUP_NAME.source}`);
}

function token(ctx: SiteContext, path: (string | number)[], value: string): void {
  if (TOKEN.test(value)) return;
  ctx.report('NAME_INVALID', path, `${quote(value)} is not a single token; expected ${TOKEN.source}`);
}

function absolutePath(ctx: SiteContext, path: (string | number)[], value: string): void {
  const segments = value.split('/').slice(1);
  const ok =
    value.startsWith('/') &&
    segments.length > 0 &&
    segments.every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..');
  if (ok) return;
  ctx.report(
    'NAME_INVALID',
    path,
    `${quote(value)} is not a safe absolute path; expected an absolute POSIX path below / without empty, \`.\` or \`..\` segments (each matching ${PATH_SEGMENT.source}), because the deployer syncs files into it`,
  );
}
