export interface RenderGeneratorSchema {
  /** Render only this site; all sites when omitted. */
  site?: string;
  /** Evaluation budget per definition, in milliseconds. @default 10000 */
  timeoutMs?: number;
}
