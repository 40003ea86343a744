// Structures of weight values that kernels specialise on, and their checks. They are data in the plan
// (a compiled module carries them) and are checked by the executor once the weights are bound, because
// `createNet({ weights })` may bind other weights than the ones seen at compile time.

/**
 * Weights laid out [rows, cols, taps] (Deconvolution: [C_in, C_out, kh·kw]) that are zero wherever
 * row ≠ col: each output channel reads only the same input channel, a depthwise layer. FCN's bilinear
 * upsampling weights have this form (surgery.interp fills the diagonal only).
 */
export interface ChannelDiagonal {
  kind: 'channel-diagonal';
  rows: number;
  cols: number;
  taps: number;
}

export type WeightPattern = ChannelDiagonal;

export function weightPatternHolds(pattern: WeightPattern, w: Float32Array): boolean {
  const { rows, cols, taps } = pattern;
  if (w.length !== rows * cols * taps) return false;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (r === c) continue;
      const base = (r * cols + c) * taps;
      for (let t = 0; t < taps; t++) if (w[base + t] !== 0) return false;
    }
  }
  return true;
}
