/**
 * Escaping for anything user-derived that lands in a PR comment. Site names are strict, but file
 * paths, YAML values and diffs are whatever the committed tree holds, and a PR comment must not
 * let them close a code fence, inject HTML, hide text in an HTML comment or @-mention people.
 */

/** Inline text: Markdown punctuation backslash-escaped, HTML-significant characters as entities. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** Inline code that cannot be closed early: the delimiter is longer than any backtick run inside. */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const ticks = '`'.repeat(longestRun(flat, '`') + 1);
  // CommonMark strips one space on each side when both are present, so padding is invisible.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so a ``` line
 * inside a diff cannot end the block and turn the rest of the file into live Markdown.
 */
export function fencedBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
