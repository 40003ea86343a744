// The progress bar shows only on a terminal, only for big files (or when forced), redraws only when the
// percentage moves, and erases itself at the end.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressBar } from '../../src/weights/progress-bar.js';
import { readCaffemodel } from '../../src/weights/read-caffemodel.js';
import { fixture } from './fixtures.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progressBar', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stays silent off a terminal and for files under 50 MB', () => {
    expect(progressBar(600e6, 'w', undefined, stream(false))).toBeUndefined();
    expect(progressBar(10e6, 'w', undefined, stream(true))).toBeUndefined();
    expect(progressBar(600e6, 'w', false, stream(true))).toBeUndefined();
  });

  it('draws on a terminal for big files, once per percent, and erases itself', () => {
    const s = stream(true);
    const bar = progressBar(200 * 1024 * 1024, 'loading w', undefined, s);
    bar?.update(0);
    bar?.update(1000);
    bar?.update(100 * 1024 * 1024);
    bar?.update(200 * 1024 * 1024);
    bar?.finish();
    expect(s.written).toEqual([
      '\rloading w [..............................] 0% 0/200 MB',
      '\rloading w [###############...............] 50% 100/200 MB',
      '\rloading w [##############################] 100% 200/200 MB',
      '\r\x1b[K',
    ]);
  });

  it('readCaffemodel draws it on stderr when asked, and not by default off a terminal', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    readCaffemodel(fixture('good-packed.caffemodel'), { file: 'g', windowBytes: 64 });
    expect(write).not.toHaveBeenCalled();
    readCaffemodel(fixture('good-packed.caffemodel'), { file: 'g', windowBytes: 64, progress: true });
    const text = write.mock.calls.map((c) => String(c[0]));
    expect(text[0]).toMatch(/^\rloading g \[/);
    expect(text.at(-2)).toMatch(/100% 0\/0 MB$/);
    expect(text.at(-1)).toBe('\r\x1b[K');
  });
});
