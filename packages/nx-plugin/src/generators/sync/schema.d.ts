// The sync generator takes no options: Nx calls sync generators with the Tree only.
export type SyncGeneratorSchema = Record<string, never>;
