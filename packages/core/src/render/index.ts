// Filled in by the render work; re-exported from the package door.
export {};
