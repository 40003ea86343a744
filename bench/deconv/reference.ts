// The float64 oracle every implementation is checked against before it is timed: Caffe's deconvolution
// as a direct scatter (each input value times each kernel tap, added at s·i + t − p), written from the
// definition, then the Crop (a window of the full output at the offset).
import { cropOffset, fullSize, outputDims, type Problem } from './problems.js';

export function referenceOutput(q: Problem, x: Float32Array, w: Float32Array): Float64Array {
  const { cin, cout, h, w: width, k, s, p } = q;
  const fh = fullSize(q, h);
  const fw = fullSize(q, width);
  const full = new Float64Array(cout * fh * fw);
  for (let ci = 0; ci < cin; ci++) {
    for (let co = 0; co < cout; co++) {
      const kernel = (ci * cout + co) * k * k;
      if (!w.subarray(kernel, kernel + k * k).some((v) => v !== 0)) continue; // zero block: adds nothing
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < width; j++) {
          const v = x[(ci * h + i) * width + j];
          for (let ti = 0; ti < k; ti++) {
            const oi = s * i + ti - p;
            if (oi < 0 || oi >= fh) continue;
            const row = (co * fh + oi) * fw;
            for (let tj = 0; tj < k; tj++) {
              const oj = s * j + tj - p;
              if (oj >= 0 && oj < fw) full[row + oj] += v * w[kernel + ti * k + tj];
            }
          }
        }
      }
    }
  }
  const [c, oh, ow] = outputDims(q);
  if (oh === fh && ow === fw) return full;
  const off = cropOffset(q);
  const out = new Float64Array(c * oh * ow);
  for (let co = 0; co < c; co++) {
    for (let i = 0; i < oh; i++)
      out.set(full.subarray((co * fh + i + off) * fw + off, (co * fh + i + off) * fw + off + ow), (co * oh + i) * ow);
  }
  return out;
}

export interface Agreement {
  maxAbsError: number;
  /** maxAbsError over max |reference|: the "≤ 1e-4 relative". */
  relError: number;
}

export function compare(actual: ArrayLike<number>, reference: Float64Array): Agreement {
  if (actual.length !== reference.length) return { maxAbsError: Infinity, relError: Infinity };
  let maxAbsError = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(actual[i] - reference[i]);
    // NaN must fail the check, so compare with !(d <= …).
    if (!(d <= maxAbsError)) maxAbsError = Number.isNaN(d) ? Infinity : d;
    maxRef = Math.max(maxRef, Math.abs(reference[i]));
  }
  return { maxAbsError, relError: maxRef > 0 ? maxAbsError / maxRef : maxAbsError };
}

export const TOLERANCE = 1e-4;
