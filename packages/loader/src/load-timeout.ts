/** Shortens (or lengthens) the loader's 10 s budget per definition; a whole number of ms. */
export const LOAD_TIMEOUT_ENV = 'OSA_GITOPS_LOAD_TIMEOUT_MS';
export const LOAD_TIMEOUT_MIN_MS = 100;
export const LOAD_TIMEOUT_MAX_MS = 600_000;

export type LoadTimeoutSetting =
  | { readonly ok: true; readonly timeoutMs: number | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * The per-definition load budget set by `OSA_GITOPS_LOAD_TIMEOUT_MS`: `timeoutMs` is `undefined`
 * when it is unset or empty (the loader's default then applies). Anything but a whole number of
 * milliseconds from 100 to 600000 is refused, so a typo never silently falls back. Shared by the
 * CLI (which turns a refusal into a usage error, exit 2) and the Nx generators, so both honour
 * the same variable the same way.
 */
export function loadTimeoutSetting(env: Readonly<Record<string, string | undefined>>): LoadTimeoutSetting {
  const raw = env[LOAD_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return { ok: true, timeoutMs: undefined };
  const ms = /^[0-9]{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (ms >= LOAD_TIMEOUT_MIN_MS && ms <= LOAD_TIMEOUT_MAX_MS) return { ok: true, timeoutMs: ms };
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  return {
    ok: false,
    message: `${LOAD_TIMEOUT_ENV} must be a whole number of milliseconds from ${LOAD_TIMEOUT_MIN_MS} to ${LOAD_TIMEOUT_MAX_MS}, got ${shown}`,
  };
}
