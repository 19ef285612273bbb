import type { PublicPath } from './types';

/**
 * A Mermaid flowchart of a site's public path: bond → VLAN → bridge → container interface →
 * gateway, with the VIPs the haproxy containers hold. Labels are entity-encoded (Mermaid's
 * `#<code>;` form) for every character outside a small safe set, so a value can neither break
 * the label's quotes nor the surrounding code fence.
 */
export function publicPathFlowchart(path: PublicPath): string {
  const lines = ['flowchart LR'];
  const hosts = path.haproxyHosts.length > 0 ? path.haproxyHosts.join(', ') : 'no haproxy hosts';
  lines.push(`  bond["${label('bond', path.bond)}"]`);
  lines.push(
    `  vlan["${label('VLAN', path.vlanInterface, path.vlanId === undefined ? undefined : `id ${path.vlanId}`)}"]`,
  );
  lines.push(`  bridge["${label('bridge', path.bridge)}"]`);
  lines.push(
    `  ctr["${label('haproxy containers', path.containerInterface, path.cidr)}<br/>${mermaidText(`on ${hosts}`)}"]`,
  );
  lines.push(`  gw(["${label('gateway', path.gateway, 'default route')}"])`);
  lines.push('  bond --> vlan --> bridge --> ctr --> gw');
  if (path.externalVip !== undefined) {
    lines.push(`  evip{{"${label('external VIP', `${path.externalVip}/32`)}"}}`);
    lines.push('  evip -.- ctr');
  }
  if (path.internalVip !== undefined) {
    lines.push(`  ivip{{"${label('internal VIP', `${path.internalVip}/32`, path.internalInterface)}"}}`);
    lines.push('  ivip -.- ctr');
  }
  return lines.join('\n');
}

function label(title: string, value: string | undefined, detail?: string): string {
  const parts = [mermaidText(title), mermaidText(value ?? '?')];
  if (detail !== undefined) parts.push(mermaidText(detail));
  return parts.join('<br/>');
}

/** Keep `[A-Za-z0-9 ./:,_+-]`, encode everything else as `#<decimal>;`. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) out += /[A-Za-z0-9 ./:,_+-]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}
