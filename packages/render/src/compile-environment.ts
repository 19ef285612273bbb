import { type Environment, hasErrors, type Issue, type RenderedTree } from '@osa-gitops/core';
import { validateEnvironment } from '@osa-gitops/rules';
import { renderEnvironment } from './render-environment';

export interface CompileEnvironmentOptions {
  /** Site name used in issues (passed to validateEnvironment). @default the input's `name` */
  readonly site?: string;
}

export interface CompileEnvironmentResult {
  readonly issues: Issue[];
  /** The parsed definition, when it parsed. */
  readonly environment?: Environment;
  /** The rendered tree, only when there are no error issues. */
  readonly tree?: RenderedTree;
}

/**
 * Validate, then render. Bad input never yields a tree, not even a partial one: render only runs
 * when validation produced an environment and no error (warnings pass through).
 */
export function compileEnvironment(
  input: unknown,
  opts: CompileEnvironmentOptions = {},
): CompileEnvironmentResult {
  const result = validateEnvironment(input, opts.site === undefined ? {} : { site: opts.site });
  const issues = [...result.issues];
  if (!result.ok || !result.environment || hasErrors(issues)) {
    return result.environment ? { issues, environment: result.environment } : { issues };
  }
  return { issues, environment: result.environment, tree: renderEnvironment(result.environment) };
}
