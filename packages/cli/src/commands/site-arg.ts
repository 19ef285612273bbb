import { SITE_NAME } from '@osa-gitops/core';
import { UsageError } from '../usage-error';

/** The one positional `<site>` of a per-site command, checked like a folder name. */
export function requireSiteName(command: string, positionals: readonly string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expects exactly one site name`, command);
  const site = positionals[0]!;
  if (!SITE_NAME.test(site)) throw new UsageError(`${JSON.stringify(site)} is not a site name`, command);
  return site;
}
