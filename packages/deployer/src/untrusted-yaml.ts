import { isAlias, isNode, parseAllDocuments, visit } from 'yaml';
import type { RenderedTree } from '@osa-gitops/core';
import { DeployError } from './deploy-error';

/**
 * Anchors and aliases a tree may hold before OSA's generator reads it: none. The renderer never
 * writes one (render/yaml.ts: `aliasDuplicateObjects: false`), so any is hand-made, and aliases
 * are how a 2 KB file expands without bound: PyYAML shares an aliased node, but the generator's
 * `json.dumps` of the inventory writes it out once per reference (issue 26: a 2 KB alias bomb under
 * `global_overrides` took the generator to 2.9 GB in 54 s on a deploy runner).
 */
export const MAX_TREE_ALIASES = 0;

/**
 * Refuse a tree whose YAML holds an anchor or an alias, or does not parse, before any of it
 * reaches OSA's generator. Only parses (no alias is ever resolved, so this costs the size of the
 * file, which readUntrustedTreeDir caps).
 */
export function refuseYamlAliases(tree: RenderedTree): void {
  for (const [file, text] of tree) {
    if (!/\.ya?ml$/.test(file)) continue;
    let aliases = 0;
    let anchors = 0;
    let docs;
    try {
      docs = parseAllDocuments(text, { prettyErrors: false });
    } catch (err) {
      throw new DeployError(
        `${file} of the tree does not parse as YAML (${(err as Error).message}); nothing was run`,
      );
    }
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      if (doc.errors.length > 0) {
        throw new DeployError(
          `${file} of the tree does not parse as YAML (${doc.errors[0]!.message.split('\n')[0]}); nothing was run`,
        );
      }
      visit(doc, (_key, node) => {
        if (isAlias(node)) aliases++;
        else if (isNode(node) && node.anchor !== undefined) anchors++;
      });
    }
    if (aliases + anchors > MAX_TREE_ALIASES) {
      throw new DeployError(
        `${file} of the tree holds ${aliases} YAML alias(es) and ${anchors} anchor(s); osa-gitops renders none, ` +
          `and OSA's generator expands every alias in its output (a few KB of them can take gigabytes). ` +
          'Refusing to run the generator on it',
      );
    }
  }
}
