export interface SiteGeneratorSchema {
  /** Site name, lowercase kebab-case. */
  name: string;
  /** @default "New site (placeholder addresses: replace them with the site's plan)" */
  description?: string;
  /** @default "default" */
  routingDomain?: string;
}
