/**
 * Cut Markdown to at most `budget` characters at a line boundary, close any code fence or
 * `<details>` the cut left open (an unclosed fence would swallow the rest of the comment), and end
 * with `notice`. Text that fits is returned unchanged.
 */
export function capMarkdown(text: string, budget: number, notice: string): string {
  if (text.length <= budget) return text;
  const tail = `\n\n${notice}\n`;
  // Room for the closers: one fence and a few nested </details>.
  let room = budget - tail.length - 64;
  while (room > 0) {
    const cut = text.lastIndexOf('\n', room);
    const kept = text.slice(0, cut > 0 ? cut : room);
    const out = kept + closers(kept) + tail;
    if (out.length <= budget) return out;
    room -= out.length - budget;
  }
  return notice.slice(0, budget);
}

function closers(kept: string): string {
  let inFence = false;
  let fence = '';
  let open = 0;
  for (const line of kept.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (!inFence) {
        inFence = true;
        fence = m[1]!;
      } else if (m[1]!.startsWith(fence[0]!) && m[1]!.length >= fence.length) inFence = false;
      continue;
    }
    if (inFence) continue;
    open += (line.match(/<details\b/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return (inFence ? `\n${fence}` : '') + '\n</details>'.repeat(Math.max(0, open));
}

/** At most `max` items, then one line saying how many were left out. */
export function limitLines(
  lines: readonly string[],
  max: number,
  more: (hidden: number) => string,
): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), more(lines.length - max)];
}
