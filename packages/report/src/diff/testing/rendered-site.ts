import { guideInput, type RenderedTree } from '@osa-gitops/core';
import { compileEnvironment } from '@osa-gitops/render';

/**
 * Rendered trees for the diff tests, made by the real renderer from the OSA guide's site
 * (core's `guideInput`, two haproxy hosts) with one knob turned per parameter, so the classifier
 * and the report are tested on the YAML osa-gitops writes, not on a hand-built imitation of it.
 */
export interface SiteVariant {
  readonly site: string;
  readonly externalVip?: string;
  readonly internalVip?: string;
  readonly gateway?: string;
  readonly vlanId?: number;
  /** The site's hosts, each in the guide's groups (so each runs haproxy); infra1, infra2 if unset. */
  readonly haproxyHosts?: readonly string[];
  readonly bind?: 'interface' | 'address';
  readonly externalRouterId?: number;
  readonly internalRouterId?: number;
  readonly publicCidr?: string;
  /** Files, path → text, written over the rendered ones (hand edits, broken YAML, big diffs). */
  readonly extraFiles?: Readonly<Record<string, string>>;
}

export function renderedSite(v: SiteVariant): RenderedTree {
  const input = guideInput();
  const template = input.hosts['infra1']!;
  input.name = v.site;
  input.deploy.runnerLabel = `osa-deploy-${v.site}`;
  input.hosts = {};
  (v.haproxyHosts ?? ['infra1', 'infra2']).forEach((name, i) => {
    const mac = (0x77 + i).toString(16);
    input.hosts[name] = {
      ...template,
      ip: `172.29.236.${11 + i}`,
      bondMembers: { ens3: `d2:25:83:e1:${mac}:c8`, ens6: `d2:25:83:e1:${mac}:c9` },
    };
  });
  if (v.externalVip !== undefined) input.haproxy.vips.external = v.externalVip;
  if (v.internalVip !== undefined) input.haproxy.vips.internal = v.internalVip;
  if (v.gateway !== undefined) input.haproxy.publicNetwork.gateway = v.gateway;
  if (v.vlanId !== undefined) input.haproxy.publicNetwork.vlan = v.vlanId;
  if (v.externalRouterId !== undefined) input.haproxy.keepalived.externalRouterId = v.externalRouterId;
  if (v.internalRouterId !== undefined) input.haproxy.keepalived.internalRouterId = v.internalRouterId;
  if (v.publicCidr !== undefined) input.networks['public_api'] = v.publicCidr;
  // The guide's fixture types `bind` as its own literal; a variant may pick the other mode.
  const compiled = compileEnvironment(
    v.bind === undefined ? input : { ...input, haproxy: { ...input.haproxy, bind: v.bind } },
  );
  if (!compiled.tree) {
    throw new Error(`renderedSite: the variant does not validate: ${JSON.stringify(compiled.issues)}`);
  }
  const tree = new Map(compiled.tree);
  for (const [path, text] of Object.entries(v.extraFiles ?? {})) tree.set(path, text);
  return tree;
}
