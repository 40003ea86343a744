// Images as net inputs (`run --input data=cat.jpg`), prepared as pycaffe's caffe.io does: load_image gives RGB
// in [0, 1] (a 1-channel net gets grey: 0.2125 R + 0.7154 G + 0.0721 B, as skimage's rgb2grey); then, in
// Transformer.preprocess's order: resize to the input's H×W (bilinear, pixel centres aligned, like
// skimage.transform.resize with order 1), HWC → CHW, channel swap, × raw_scale, − mean, × input_scale.
// JPEG is decoded by jpeg-js and PNG by pngjs. A mean is values per channel or a .binaryproto (BlobProto):
// subtracted element by element when it has the input's H×W, else its per-channel averages (with a note).
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fail, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeBlob } from '../weights/decode-blob.js';
import { WireError, WireReader } from '../weights/wire-reader.js';
import type { Tensor } from '../ir/tensor.js';

export const IMAGE_FILE = /\.(jpe?g|png)$/i;

/** Caffe-style preprocessing (pycaffe's Transformer), from --mean, --scale, --raw-scale, --channel-swap. */
export interface Preprocess {
  /** Per-channel values, or a C×H×W array read from a .binaryproto. */
  mean?: { values: number[] } | { file: string; shape: number[]; data: Float32Array };
  rawScale: number;
  inputScale: number;
  channelSwap?: number[];
}

/** A decoded image: H×W×3 RGB in [0, 1]. */
export interface Rgb {
  height: number;
  width: number;
  data: Float32Array;
}

export function readImage(file: string): Rgb {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(`cannot read image ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let rgba: { width: number; height: number; data: Uint8Array | Buffer };
  try {
    rgba = /\.png$/i.test(file)
      ? PNG.sync.read(bytes)
      : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 200, maxMemoryUsageInMB: 2048 });
  } catch (e) {
    fail(`${file}: not a readable ${/\.png$/i.test(file) ? 'PNG' : 'JPEG'} image: ${(e as Error).message}`);
  }
  const { width, height } = rgba;
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = rgba.data[i * 4 + c] / 255;
  }
  return { height, width, data };
}

/** Bilinear resize of an H×W×C image, pixel centres aligned (x_src = (x + 0.5)·W/W' − 0.5, edges clamped). */
export function resizeBilinear(src: Float32Array, h: number, w: number, channels: number, toH: number, toW: number): Float32Array {
  if (h === toH && w === toW) return src;
  const out = new Float32Array(toH * toW * channels);
  const axis = (to: number, from: number, i: number): [number, number, number] => {
    const x = Math.min(Math.max((i + 0.5) * (from / to) - 0.5, 0), from - 1);
    const x0 = Math.floor(x);
    const x1 = Math.min(x0 + 1, from - 1);
    return [x0, x1, x - x0];
  };
  for (let y = 0; y < toH; y++) {
    const [y0, y1, fy] = axis(toH, h, y);
    for (let x = 0; x < toW; x++) {
      const [x0, x1, fx] = axis(toW, w, x);
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => src[(yy * w + xx) * channels + c];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * toW + x) * channels + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/**
 * The image as the net's input blob of `shape` (N×C×H×W, N copies of one image), prepared as pycaffe's
 * Transformer.preprocess does. Notes (a mean averaged per channel) are pushed onto `notes`.
 */
export function imageTensor(image: Rgb, name: string, shape: readonly number[], pre: Preprocess, notes: Diagnostic[]): Tensor {
  if (shape.length !== 4) fail(`--input ${name}: an image feeds a 4-axis N×C×H×W input, but "${name}" has shape ${shape.join('×')}`);
  const [n, channels, height, width] = shape;
  if (channels !== 1 && channels !== 3)
    fail(
      `--input ${name}: an image has 3 channels (or 1 as grey), but "${name}" takes ${channels}`,
      undefined,
      'give the input as a .npy array instead',
    );
  let pixels = image.data;
  if (channels === 1) {
    pixels = new Float32Array(image.height * image.width);
    for (let i = 0; i < pixels.length; i++)
      pixels[i] = 0.2125 * image.data[i * 3] + 0.7154 * image.data[i * 3 + 1] + 0.0721 * image.data[i * 3 + 2];
  }
  const resized = resizeBilinear(pixels, image.height, image.width, channels, height, width);
  const swap = pre.channelSwap ?? Array.from({ length: channels }, (_, c) => c);
  if (swap.length !== channels || [...swap].sort((a, b) => a - b).some((c, i) => c !== i)) {
    fail(
      `--channel-swap ${swap.join(',')} is not an order of the ${channels} channels of "${name}"`,
      undefined,
      channels === 3 ? 'e.g. --channel-swap 2,1,0 (RGB → BGR)' : undefined,
    );
  }
  const plane = height * width;
  const mean = meanFor(pre.mean, name, channels, height, width, notes);
  const one = new Float32Array(channels * plane);
  for (let c = 0; c < channels; c++) {
    const from = swap[c];
    for (let i = 0; i < plane; i++) {
      const v = resized[i * channels + from] * pre.rawScale - mean(c, i);
      one[c * plane + i] = v * pre.inputScale;
    }
  }
  const data = new Float32Array(n * one.length);
  for (let b = 0; b < n; b++) data.set(one, b * one.length);
  return { shape: [...shape], data };
}

function meanFor(
  mean: Preprocess['mean'],
  name: string,
  channels: number,
  height: number,
  width: number,
  notes: Diagnostic[],
): (c: number, i: number) => number {
  if (!mean) return () => 0;
  if ('values' in mean) {
    const v = mean.values;
    if (v.length !== 1 && v.length !== channels)
      fail(
        `--mean gives ${v.length} values, but "${name}" has ${channels} channels`,
        undefined,
        `give one value or ${channels}, in the channel order after --channel-swap`,
      );
    return (c) => v[v.length === 1 ? 0 : c];
  }
  const [c0, h0, w0] = mean.shape.length === 4 ? mean.shape.slice(1) : mean.shape;
  if (mean.shape.length < 3 || mean.shape.length > 4 || (mean.shape.length === 4 && mean.shape[0] !== 1) || c0 !== channels) {
    fail(
      `${mean.file}: the mean has shape ${mean.shape.join('×')}, but "${name}" has ${channels} channels`,
      undefined,
      'a mean file is a C×H×W (or 1×C×H×W) BlobProto, as compute_image_mean writes',
    );
  }
  if (h0 === height && w0 === width) return (c, i) => mean.data[c * height * width + i];
  const perChannel = Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    for (let i = 0; i < h0 * w0; i++) sum += mean.data[c * h0 * w0 + i];
    return sum / (h0 * w0);
  });
  notes.push({
    severity: 'note',
    message: `${mean.file} is ${h0}×${w0} and "${name}" ${height}×${width}: subtracting its per-channel averages (${perChannel.map((v) => v.toFixed(3)).join(', ')})`,
  });
  return (c) => perChannel[c];
}

/** A mean from a .binaryproto file (a BlobProto, as Caffe's compute_image_mean writes). */
export function readMeanFile(file: string): { file: string; shape: number[]; data: Float32Array } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(`cannot read mean file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    const blob = decodeBlob(WireReader.fromBuffer(bytes), bytes.length, true, {});
    const shape = blob.shape.length ? blob.shape : blob.legacy ? [...blob.legacy] : [];
    const count = shape.reduce((a, b) => a * b, 1);
    if (shape.length === 0 || blob.count !== count)
      fail(
        `${file}: not a mean .binaryproto (a BlobProto holding ${count} values for its shape ${shape.join('×') || '()'}; it has ${blob.count})`,
      );
    return { file, shape, data: blob.data };
  } catch (e) {
    if (e instanceof WireError) fail(`${file}: not a mean .binaryproto (a BlobProto): ${e.detail} at byte ${e.at}`);
    throw e;
  }
}

/** `--mean 104,117,123` or `--mean mean.binaryproto`. */
export function parseMean(text: string): Preprocess['mean'] {
  if (/^\s*-?[\d.]+(e-?\d+)?(\s*,\s*-?[\d.]+(e-?\d+)?)*\s*$/i.test(text)) {
    const values = text.split(',').map(Number);
    if (values.every(Number.isFinite)) return { values };
  }
  return readMeanFile(text);
}
