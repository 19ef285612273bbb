import { formatPath, type Issue } from '@osa-gitops/core';
import type { Style } from './style';

/**
 * Issues for people: one block per issue with the site, the file (and line when the loader knows
 * it), the path in the definition and what was expected. Same facts as core's formatIssues, laid
 * out for a terminal.
 */
export function formatIssuesForTerminal(issues: readonly Issue[], style: Style): string {
  return issues
    .map((i) => {
      const mark = i.severity === 'error' ? style.red('✖ error') : style.yellow('⚠ warning');
      const loc = issueLocation(i);
      return `${mark} ${style.bold(i.site)} ${style.dim(`[${i.code}]`)}\n    at ${loc}\n    ${i.message}`;
    })
    .join('\n');
}

function issueLocation(i: Issue): string {
  const line = (i as { line?: number }).line;
  const column = (i as { column?: number }).column;
  const file =
    i.file === undefined
      ? ''
      : `${i.file}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}`;
  const path = i.path.length > 0 ? formatPath(i.path) : '';
  return [file, path].filter(Boolean).join(' → ') || '(whole fleet)';
}

/** The JSON form of an issue: every key always present (`null` when unknown). */
export function issueToJson(i: Issue) {
  const { line, column } = i as { line?: number; column?: number };
  return {
    code: i.code,
    severity: i.severity,
    site: i.site,
    path: [...i.path],
    message: i.message,
    file: i.file ?? null,
    line: line ?? null,
    column: column ?? null,
  };
}
