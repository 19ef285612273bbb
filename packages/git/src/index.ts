// The one door of @osa-gitops/git.
export { Git, type GitOptions, type Identity, type RunOptions } from './git';
export { GitCommandError, UnknownRefError } from './errors';
