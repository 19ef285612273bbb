/**
 * The loader's errors alone (`@osa-gitops/loader/errors`): the CLI's entry tests for them on every
 * command, and importing the loader's index for that ran the whole loader's module code at start-up,
 * `--help` included (~10 ms of CPU).
 */
export { SymlinkRefusedError } from './no-symlinks';
