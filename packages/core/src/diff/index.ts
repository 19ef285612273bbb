// Filled in by the diff work; re-exported from the package door.
export {};
