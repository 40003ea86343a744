// Why: a BatchNorm (stored statistics) and a Scale after a Convolution or InnerProduct are per-output-channel
// affine maps y = s·v + t, so the layer can compute them itself with weights s·W and bias s·b + t — one
// pass over the output instead of three. The plan carries this as data (the spec's `affine` list and the
// folded layers' parameter blobs after the layer's own arguments; runtime/fusion-rules.ts), never as folded
// numbers: a compiled module may be given other weights, so the folding happens here, when weights are
// bound, and again only when the bound arrays change.
import type { FoldedAffine } from '../../ir/native-kernel-spec.js';
import { channelAffineCoefficients } from './elementwise-kernels.js';
import type { NativeKernel } from './native-kernel.js';
import { releaseArray } from './kernel-arena.js';

/** Where a layer's weights keep output channel j's coefficients: (C_out, …) rows, or InnerProduct's transposed (K, N) columns. */
export type WeightLayout = { rows: number } | { columns: number };

/** The composed map S·v + T of the folded maps, in float64 (S and T, `channels` each). */
function composed(affine: readonly FoldedAffine[], channels: number, params: readonly Float32Array[]): [Float64Array, Float64Array] {
  const s = new Float64Array(channels).fill(1);
  const t = new Float64Array(channels);
  let p = 0;
  for (const from of affine) {
    const count = from.kind === 'batch-norm' ? 3 : Number(from.scale) + Number(from.bias);
    const c = channelAffineCoefficients(from, channels, params.slice(p, p + count));
    p += count;
    for (let j = 0; j < channels; j++) {
      s[j] *= c[j];
      t[j] = t[j] * c[j] + c[channels + j];
    }
  }
  return [s, t];
}

/**
 * The kernel `inner` (the layer with a bias, no folded maps) reading arguments [x, W, b?, …the folded maps'
 * blobs]: it gets [x, s·W, s·b + t], re-derived only when a parameter array changes.
 */
export function foldedAffineKernel(
  inner: NativeKernel,
  affine: readonly FoldedAffine[],
  channels: number,
  layout: WeightLayout,
  hasBias: boolean,
): NativeKernel {
  let bound: readonly Float32Array[] | undefined;
  let folded: [Float32Array, Float32Array] | undefined;
  // Folded arrays the inner kernel has not copied yet; once it has, it only checks they are the same arrays,
  // and their bytes are freed (releaseArray).
  let pending = false;
  const own = hasBias ? 2 : 1;
  const fold = (args: readonly Float32Array[]) => {
    const params = args.slice(1);
    if (bound && folded && params.length === bound.length && params.every((a, i) => a === bound![i])) return;
    const [w, b] = [params[0], hasBias ? params[1] : undefined];
    const [s, t] = composed(affine, channels, params.slice(own));
    const weights = new Float32Array(w.length);
    if ('rows' in layout) {
      const row = layout.rows;
      for (let j = 0; j < channels; j++) for (let i = j * row; i < (j + 1) * row; i++) weights[i] = w[i] * s[j];
    } else {
      for (let i = 0; i < w.length; i++) weights[i] = w[i] * s[i % layout.columns];
    }
    const bias = new Float32Array(channels);
    for (let j = 0; j < channels; j++) bias[j] = (b ? b[j] : 0) * s[j] + t[j];
    folded = [weights, bias];
    bound = params;
    pending = true;
  };
  return {
    engine: inner.engine,
    bind(args) {
      fold(args);
      if (!pending || !inner.bind) return;
      inner.bind([args[0], ...folded!]);
      for (const a of folded!) releaseArray(a);
      pending = false;
    },
    run(args, out) {
      fold(args);
      if (!pending) return inner.run([args[0], ...folded!], out);
      const fresh = folded!;
      pending = false;
      return inner.run([args[0], ...fresh], out).then((y) => {
        for (const a of fresh) releaseArray(a);
        return y;
      });
    },
    destroy: () => inner.destroy(),
  };
}
