import { parseDocument } from 'yaml';

/** What a rendered YAML file holds as plain data; undefined for a missing or unreadable file. */
export type YamlReader = (text: string | undefined) => unknown;

/** The parse itself: tolerant of duplicate keys, bounded against alias bombs, never throws. */
export function readYaml(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    // Optional probe: an alias bomb or similar in a hand-edited file yields no data, not a crash.
    return undefined;
  }
}

/**
 * A reader that parses each distinct text once. One site's diff reads the same files for its facts
 * and for its unexplained changes, and files equal on both sides are the same text; parsing
 * dominated the PR report (bench `report-200`). Per call, not global: results are read-only and
 * must not outlive the diff that made them.
 */
export function cachingYamlReader(): YamlReader {
  const cache = new Map<string, unknown>();
  return (text) => {
    if (text === undefined) return undefined;
    if (!cache.has(text)) cache.set(text, readYaml(text));
    return cache.get(text);
  };
}
