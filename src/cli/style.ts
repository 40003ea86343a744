// Terminal styling: ANSI colours only when the stream is a TTY and NO_COLOR is unset, so pipes and
// files get plain text.
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s };
const wrap = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const ansi: Style = { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), yellow: wrap('33'), cyan: wrap('36') };

export function styleFor(stream: NodeJS.WriteStream): Style {
  return stream.isTTY && !process.env.NO_COLOR ? ansi : plain;
}

/** Visible width of a string that may hold ANSI codes. */
export function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
