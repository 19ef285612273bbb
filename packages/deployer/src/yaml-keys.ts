import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';

/**
 * Top-level keys of a YAML mapping, read the way PyYAML (Ansible, OSA's inventory) reads it:
 * YAML 1.1. Values are never returned, so callers cannot log them (user_secrets.yml is parsed
 * too). `undefined` when the text is not a mapping, e.g. a whole-file ansible-vault blob.
 */
export function topLevelKeys(text: string): string[] | undefined {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, logLevel: 'silent' });
  if (doc.errors.length > 0) return undefined;
  if (doc.contents === null) return []; // an empty file sets nothing
  if (!isMap(doc.contents)) return undefined;
  const keys: string[] = [];
  for (const item of doc.contents.items) {
    if (isScalar(item.key)) keys.push(keyName(item.key));
  }
  return keys;
}

/** The keys under one top-level mapping key (e.g. `global_overrides`), or [] when absent. */
export function nestedKeys(text: string, key: string): string[] {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, logLevel: 'silent' });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const inner = doc.contents.get(key, true);
  if (!isMap(inner)) return [];
  return inner.items.filter((i) => isScalar(i.key)).map((i) => keyName(i.key as Scalar));
}

/** A key as written: YAML 1.1 would turn a key `y` or `on` into a boolean, a variable name never is. */
function keyName(key: Scalar): string {
  return typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
}
