// Caffe-style preprocessing of an image for a net's input blob, as pycaffe's caffe.io.Transformer does it:
// resize to the blob's H×W, HWC → CHW, channel swap (RGB → BGR for nets trained with OpenCV-loaded
// images), multiply by raw_scale (pixels 0–255 here already), subtract the per-channel mean, multiply by
// input_scale. Plain functions on bytes, so the page and the unit test share them.

export interface Preprocess {
  /** Per-channel mean in the net's channel order (after the swap), e.g. [104, 117, 123] for BVLC nets. */
  mean: number[];
  /** Multiplies pixel values (0–255) before the mean is subtracted (pycaffe's raw_scale / 255). */
  rawScale: number;
  /** Multiplies after the mean is subtracted (pycaffe's input_scale). */
  inputScale: number;
  /** Net channel c reads image channel swap[c] (RGB order); [2, 1, 0] gives BGR. */
  swap: number[];
}

export const CAFFE_DEFAULTS: Preprocess = { mean: [104, 117, 123], rawScale: 1, inputScale: 1, swap: [2, 1, 0] };

/**
 * RGBA pixels (already resized to width×height, e.g. by a canvas) → a C×H×W Float32Array for C net
 * channels (1: the grey value of the swapped first channel; 3: the swapped channels).
 */
export function toBlob(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, channels: number, p: Preprocess): Float32Array {
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width}×${height} RGBA pixels (${width * height * 4} bytes), got ${rgba.length}`);
  if (channels !== 1 && channels !== 3) throw new Error(`an image fills 1 or 3 channels; this input has ${channels}`);
  if (p.swap.length !== 3 || p.swap.some((s) => s !== 0 && s !== 1 && s !== 2))
    throw new Error('channel swap must list 3 channels from 0, 1, 2');
  const out = new Float32Array(channels * width * height);
  const plane = width * height;
  for (let c = 0; c < channels; c++) {
    const mean = p.mean.length === 1 ? p.mean[0] : (p.mean[c] ?? 0);
    for (let i = 0; i < plane; i++) {
      const px = i * 4;
      const v = channels === 1 ? 0.299 * rgba[px] + 0.587 * rgba[px + 1] + 0.114 * rgba[px + 2] : rgba[px + p.swap[c]];
      out[c * plane + i] = (v * p.rawScale - mean) * p.inputScale;
    }
  }
  return out;
}

/** "104, 117, 123" → [104, 117, 123]; a clear error for anything that is not a list of numbers. */
export function parseNumbers(text: string, what: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const values = parts.map(Number);
  if (!parts.length || values.some((v) => !Number.isFinite(v)))
    throw new Error(`${what}: expected numbers separated by commas, got "${text}"`);
  return values;
}
