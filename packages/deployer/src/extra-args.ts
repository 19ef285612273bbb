/**
 * `--extra-arg` values reach `ansible-playbook` through the openstack-ansible wrapper. They are
 * argv elements (no shell), but ansible itself can be steered: `-e`/`--extra-vars` would beat
 * every file we deploy, a second `--limit` or `-i` would widen or move the run, `--become-*`,
 * `--vault-*` or `--ssh-*` change credentials. So only a short allow-list of flags is accepted,
 * each as one `--flag` or `--flag=value` element with a value of a strict shape.
 */
const WORD_LIST = /^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$/;
const SMALL_INT = /^[1-9][0-9]{0,3}$/;

const ALLOWED: ReadonlyMap<string, RegExp | null> = new Map<string, RegExp | null>([
  ['-v', null],
  ['-vv', null],
  ['-vvv', null],
  ['-vvvv', null],
  ['--verbose', null],
  ['--check', null],
  ['--diff', null],
  ['--list-hosts', null],
  ['--list-tasks', null],
  ['--list-tags', null],
  ['--syntax-check', null],
  ['--flush-cache', null],
  ['--forks', SMALL_INT],
  ['--timeout', SMALL_INT],
  ['--tags', WORD_LIST],
  ['--skip-tags', WORD_LIST],
]);

export type ExtraArgCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function checkExtraArg(arg: string): ExtraArgCheck {
  const eq = arg.indexOf('=');
  const flag = eq === -1 ? arg : arg.slice(0, eq);
  const value = eq === -1 ? undefined : arg.slice(eq + 1);
  if (!ALLOWED.has(flag)) {
    return {
      ok: false,
      reason: `${JSON.stringify(arg)} is not allowed; allowed: ${[...ALLOWED.keys()].join(' ')} (values as --flag=value)`,
    };
  }
  const pattern = ALLOWED.get(flag)!;
  if (pattern === null && value !== undefined) return { ok: false, reason: `${flag} takes no value` };
  if (pattern !== null && (value === undefined || !pattern.test(value))) {
    return { ok: false, reason: `${flag} needs a value of the form ${pattern.source}, as ${flag}=value` };
  }
  return { ok: true };
}

/** All problems with a list of extra args (empty when every one is allowed). */
export function checkExtraArgs(args: readonly string[]): string[] {
  return args.flatMap((a) => {
    const r = checkExtraArg(a);
    return r.ok ? [] : [r.reason];
  });
}
