import { type Environment, ipv4, issue, type Issue, type IssueCode, type IssuePath } from '@osa-gitops/core';
const { parseCidr } = ipv4;
type Cidr = ipv4.Cidr;

/**
 * What every semantic rule reads: the parsed site, its networks parsed once, and a sink for
 * issues. Rules are plain functions `(ctx) => void`; they skip values another rule already
 * reports as malformed (an unparseable address is ADDRESS_INVALID once, not five times).
 */
export interface SiteContext {
  readonly env: Environment;
  readonly site: string;
  /** `networks` entries that parse as valid CIDRs, by key. */
  readonly cidrs: ReadonlyMap<string, Cidr>;
  report(code: IssueCode, path: IssuePath, message: string): void;
}

export type SiteRule = (ctx: SiteContext) => void;

export function createSiteContext(env: Environment, site: string, sink: Issue[]): SiteContext {
  const cidrs = new Map<string, Cidr>();
  for (const [name, text] of Object.entries(env.networks)) {
    const parsed = parseCidr(text);
    if (parsed.ok) cidrs.set(name, parsed.cidr);
  }
  return {
    env,
    site,
    cidrs,
    report: (code, path, message) => sink.push(issue(code, site, path, message)),
  };
}

/** `"x"` for messages; JSON quoting shows invisible characters instead of printing them. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
