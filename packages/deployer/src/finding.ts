/** One thing a preflight check found in the config dir, before anything is touched. */
export interface Finding {
  readonly severity: 'error' | 'warning';
  /** Path relative to the config dir. */
  readonly file: string;
  readonly message: string;
}
