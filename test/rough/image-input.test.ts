// Images as inputs (issue 17, item 7): decoding (pngjs, jpeg-js) and bilinear resizing checked against OpenCV
// (test/fixtures/images/generate.py), and pycaffe's Transformer order — resize, HWC → CHW, channel swap,
// × raw_scale, − mean, × input_scale — computed by hand; a mean from a .binaryproto.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { imageTensor, readImage, readMeanFile, resizeBilinear } from '../../src/cli/image-input.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'images');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

function close(actual: ArrayLike<number>, wanted: number[], tolerance: number): void {
  expect(actual.length).toBe(wanted.length);
  let worst = 0;
  for (let i = 0; i < wanted.length; i++) worst = Math.max(worst, Math.abs(actual[i] - wanted[i]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe('decoding and resizing', () => {
  it('decodes a PNG to the RGB values OpenCV reads, in [0, 1]', () => {
    const image = readImage(join(DIR, 'small.png'));
    expect([image.height, image.width, 3]).toEqual(expected['small.png'].shape);
    close(image.data, expected['small.png'].rgb, 1e-7);
  });

  it('decodes a JPEG within 5/255 of OpenCV, 1/255 on average (IDCT and chroma upsampling differ in rounding)', () => {
    const image = readImage(join(DIR, 'small.jpg'));
    expect([image.height, image.width, 3]).toEqual(expected['small.jpg'].shape);
    close(image.data, expected['small.jpg'].rgb, 5 / 255 + 1e-6);
    const rgb: number[] = expected['small.jpg'].rgb;
    expect(rgb.reduce((s, v, i) => s + Math.abs(v - image.data[i]), 0) / rgb.length).toBeLessThan(1 / 255);
  });

  it.each(['3x4', '9x11', '6x5'])('resizes bilinearly as cv2.resize INTER_LINEAR does: %s', (size) => {
    const image = readImage(join(DIR, 'small.png'));
    const [h, w] = size.split('x').map(Number);
    close(resizeBilinear(image.data, image.height, image.width, 3, h, w), expected.resized[size], 1e-5);
  });
});

describe("pycaffe's Transformer order", () => {
  const image = readImage(join(DIR, 'small.png'));
  const pixel = (i: number, c: number) => image.data[i * 3 + c];

  it('channel swap, × raw_scale, − mean, × input_scale, batch copies', () => {
    const notes: Diagnostic[] = [];
    const t = imageTensor(
      image,
      'data',
      [2, 3, 6, 8],
      { channelSwap: [2, 1, 0], rawScale: 255, mean: { values: [10, 20, 30] }, inputScale: 0.5 },
      notes,
    );
    expect(t.shape).toEqual([2, 3, 6, 8]);
    const want: number[] = [];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 48; i++) want.push((pixel(i, 2 - c) * 255 - [10, 20, 30][c]) * 0.5);
    close(t.data.subarray(0, 144), want, 1e-4);
    close(t.data.subarray(144), want, 1e-4);
    expect(notes).toEqual([]);
  });

  it('one channel: grey as skimage rgb2grey', () => {
    const t = imageTensor(image, 'data', [1, 1, 6, 8], { rawScale: 1, inputScale: 1 }, []);
    close(
      t.data,
      Array.from({ length: 48 }, (_, i) => 0.2125 * pixel(i, 0) + 0.7154 * pixel(i, 1) + 0.0721 * pixel(i, 2)),
      1e-6,
    );
  });

  it('a .binaryproto mean: element by element at its size, per-channel averages (with a note) at another', () => {
    const mean = readMeanFile(join(DIR, 'mean.binaryproto'));
    expect(mean.shape).toEqual([1, 3, 6, 8]);
    close(mean.data, expected.mean, 1e-4);
    const same = imageTensor(image, 'data', [1, 3, 6, 8], { rawScale: 255, inputScale: 1, mean }, []);
    close(
      same.data,
      Array.from({ length: 144 }, (_, j) => pixel(j % 48, Math.floor(j / 48)) * 255 - expected.mean[j]),
      1e-3,
    );
    const notes: Diagnostic[] = [];
    const other = imageTensor(image, 'data', [1, 3, 3, 4], { rawScale: 255, inputScale: 1, mean }, notes);
    const avg = [0, 1, 2].map((c) => expected.mean.slice(c * 48, c * 48 + 48).reduce((a: number, b: number) => a + b, 0) / 48);
    const small = resizeBilinear(image.data, 6, 8, 3, 3, 4);
    close(
      other.data,
      Array.from({ length: 36 }, (_, j) => small[(j % 12) * 3 + Math.floor(j / 12)] * 255 - avg[Math.floor(j / 12)]),
      1e-3,
    );
    expect(notes[0].message).toMatch(/mean\.binaryproto is 6×8 and "data" 3×4: subtracting its per-channel averages/);
  });
});
