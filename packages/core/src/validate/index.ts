// Filled in by the validate work; re-exported from the package door.
export {};
