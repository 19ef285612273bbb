/**
 * Look a user-chosen name up in a record. `record[name]` also finds inherited members, so a
 * network called `constructor` would "exist" in every site; names come from definitions, so
 * every lookup by a referenced name goes through here (found by the hostile-input corpus).
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
