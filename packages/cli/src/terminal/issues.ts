import { formatIssueBlocks, type Issue } from '@osa-gitops/core';
import type { Style } from './style';

/**
 * Issues for people: one block per issue with the site, the file (and line when the loader knows
 * it), the path in the definition and what was expected. Core's formatIssueBlocks, so the Nx
 * generators log the same text.
 */
export function formatIssuesForTerminal(issues: readonly Issue[], style: Style): string {
  return formatIssueBlocks(issues, style);
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
