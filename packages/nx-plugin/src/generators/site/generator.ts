import * as path from 'node:path';
import { formatFiles, generateFiles, type Tree } from '@nx/devkit';
import { definitionFile, resolvePlaceholders, SITE_NAME, SITE_NAME_MAX } from '@osa-gitops/core';
import { discoverSites, loadSites, refuseSymlinksSync } from '@osa-gitops/loader';
import { createTreeSourceReader } from '../../lib/tree-source-reader';
import { pickAddressSlot } from './pick-slot';
import type { SiteGeneratorSchema } from './schema';
import { GeneratorFailure } from '../../lib/generator-failure';

const DEFAULT_DESCRIPTION = "New site (placeholder addresses: replace them with the site's plan)";

/**
 * `nx g @osa-gitops/nx-plugin:site <name>`: scaffold `environments/<name>/environment.ts` from
 * `files/`, importing the fleet base from `../_shared/base`. Refuses invalid names and existing
 * sites. Every value only the site's plan knows is a `placeholder(…)` (core's model/placeholder.ts):
 * validation reports PLACEHOLDER at each, with its line, until it is replaced, so a scaffold cannot
 * be rendered or deployed unedited; otherwise it is valid (site and fleet rules: its addresses come
 * from a slot no loaded site uses, placeholders of other scaffolds included). The hosts'
 * management network is modelled as a VLAN of the bond (host_vars replace the hosts' networking),
 * and each block of placeholders carries a `FILL IN` comment saying what to put there.
 */
export async function siteGenerator(tree: Tree, options: SiteGeneratorSchema): Promise<void> {
  const name = options.name;
  if (!SITE_NAME.test(name) || name.length > SITE_NAME_MAX) {
    throw new GeneratorFailure(
      `"${name}" is not a valid site name: expected lowercase kebab-case (${SITE_NAME.source}), at most ${SITE_NAME_MAX} characters.`,
    );
  }
  // The Tree writes through links on disk: never scaffold into a linked environments/.
  refuseSymlinksSync(tree.root, `environments/${name}`);
  if (tree.exists(`environments/${name}`)) {
    throw new GeneratorFailure(
      `environments/${name} already exists; pick another name or edit ${definitionFile(name)}.`,
    );
  }
  if (!tree.exists('environments/_shared/base.ts')) {
    throw new GeneratorFailure(
      'environments/_shared/base.ts is missing; the scaffold imports the fleet base from it.',
    );
  }

  const reader = createTreeSourceReader(tree);
  const loaded = await loadSites(tree.root, discoverSites(tree.root, reader), { reader });
  const slot = pickAddressSlot(loaded.flatMap((r) => (r.ok ? [resolvePlaceholders(r.value).value] : [])));

  generateFiles(tree, path.join(__dirname, 'files'), `environments/${name}`, {
    name,
    description: options.description ?? DEFAULT_DESCRIPTION,
    routingDomain: options.routingDomain ?? 'default',
    slot,
    slotHex: slot.toString(16).padStart(2, '0'),
    // Values land inside TS string literals: JSON quoting keeps quotes and backslashes harmless.
    quote: (s: string) => JSON.stringify(s),
    tmpl: '',
  });
  await formatFiles(tree);
}

export default siteGenerator;
