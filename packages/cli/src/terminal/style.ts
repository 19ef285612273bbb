import type { CliIo } from '../io';

export interface Style {
  readonly color: boolean;
  red(t: string): string;
  green(t: string): string;
  yellow(t: string): string;
  bold(t: string): string;
  dim(t: string): string;
}

/** Colour only for a person at a terminal who has not asked for none (https://no-color.org). */
export function styleFor(io: CliIo): Style {
  const color = io.isTTY && (io.env['NO_COLOR'] ?? '') === '';
  const wrap = (code: string) => (t: string) => (color ? `\u001b[${code}m${t}\u001b[0m` : t);
  return { color, red: wrap('31'), green: wrap('32'), yellow: wrap('33'), bold: wrap('1'), dim: wrap('2') };
}
