// A one-line progress bar on stderr while a big weights file loads. Only on a terminal (nothing in pipes,
// logs or CI), only for files worth waiting for, and redrawn only when the percentage changes.

import { stderrStream } from '#platform';

const MIN_BYTES = 50 * 1024 * 1024;
const WIDTH = 30;

export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A bar for `total` bytes, or undefined when none should show (`force` overrides the TTY/size rule). */
export function progressBar(
  total: number,
  label: string,
  force?: boolean,
  stream: Stream | undefined = stderrStream(),
): ProgressBar | undefined {
  if (!stream) return undefined; // a web page has no terminal
  const show = force ?? (stream.isTTY === true && total >= MIN_BYTES);
  if (!show || total <= 0) return undefined;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(0);
  let shown = -1;
  return {
    update(done) {
      const percent = Math.min(100, Math.floor((done / total) * 100));
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round((percent / 100) * WIDTH);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}% ${mb(done)}/${mb(total)} MB`);
    },
    finish() {
      // Erase the bar: what follows (diagnostics, results) starts on a clean line.
      if (shown >= 0) stream.write('\r\x1b[K');
    },
  };
}
