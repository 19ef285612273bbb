export interface ImportGeneratorSchema {
  /** The OSA config dir to read (absolute, or relative to the workspace root). */
  configDir: string;
  /** The new site's name, lowercase kebab-case. */
  site: string;
}
