// The part of a Deconvolution's output a kernel computes: all of it, or — when a Crop follows — only the
// window the Crop keeps (FCN-8s's upscore8: 500² of 568², 22 % less work, and no Crop pass).
import type { ConvParams } from '../conv-params.js';

export interface OutputWindow {
  /** First output row and column computed. */
  y0: number;
  x0: number;
  /** Rows and columns computed. */
  h: number;
  w: number;
}

export const wholeOutput = (q: ConvParams): OutputWindow => ({ y0: 0, x0: 0, h: q.outH, w: q.outW });
