import { issue, type Issue, type IssueCode, type IssuePath } from '@osa-gitops/core';

/**
 * A loading issue. Besides the core `Issue` fields it may carry a 1-based `line` and `column`
 * into `file`, so PR annotations can point at the exact spot; the message repeats the location
 * (`… at environments/dc1/environment.ts:3:5`) so `formatIssues` output is clickable too.
 */
export interface LoadIssue extends Issue {
  readonly line?: number;
  readonly column?: number;
}

export interface SourceLocation {
  /** Workspace-relative POSIX path. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export function loadIssue(
  code: IssueCode,
  site: string,
  message: string,
  where: SourceLocation,
  path: IssuePath = [],
): LoadIssue {
  const at =
    where.line === undefined
      ? ''
      : ` at ${where.file}:${where.line}${where.column === undefined ? '' : `:${where.column}`}`;
  return {
    ...issue(code, site, path, `${message}${at}`),
    file: where.file,
    ...(where.line === undefined ? {} : { line: where.line }),
    ...(where.column === undefined ? {} : { column: where.column }),
  };
}
