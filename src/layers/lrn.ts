// LRN (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias): local response normalisation over an odd window of channels (or of pixels with
// WITHIN_CHANNEL); 4-D only; top = bottom shape. Not marked in-place: its backward pass reads both the
// bottom and the top data.
//
// LRN (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias). ACROSS_CHANNELS: y = x · (k + α/n · Σ x²)^−β over the n channels centred on c
// (clipped at the ends). WITHIN_CHANNEL is Caffe's Power → AVE Pooling (n×n, pad (n−1)/2, stride 1) →
// Power chain: y = x · (1 + α · Σ x² / n²)^−β over the n×n window clipped to the image; with stride 1 and
// that pad every window fits the padded extent, so the divisor is always n².
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear, lit } from './kernel-source.js';
import type { Tensor } from '../ir/tensor.js';
import type { LRNParameter } from '../schema/caffe-messages.generated.js';

function lrnParams(layer: Layer) {
  const p = layer.typeParam;
  const [n, c, h, w] = layer.bottoms[0].shape;
  return {
    size: Number(p.local_size ?? 5),
    alpha: Number(p.alpha ?? 1),
    beta: Number(p.beta ?? 0.75),
    k: Number(p.k ?? 1),
    within: p.norm_region === 'WITHIN_CHANNEL',
    shape: [n, c, h, w],
  };
}

export function lrnForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const q = lrnParams(layer);
  const [n, c, h, w] = q.shape;
  const half = (q.size - 1) / 2;
  const out = new Float32Array(x.data.length);
  const at = (ni: number, ci: number, y: number, xx: number) => ((ni * c + ci) * h + y) * w + xx;
  for (let ni = 0; ni < n; ni++) {
    for (let ci = 0; ci < c; ci++) {
      for (let y = 0; y < h; y++) {
        for (let xx = 0; xx < w; xx++) {
          let sum = 0;
          if (q.within) {
            for (let yy = Math.max(0, y - half); yy <= Math.min(h - 1, y + half); yy++) {
              for (let x2 = Math.max(0, xx - half); x2 <= Math.min(w - 1, xx + half); x2++) sum += x.data[at(ni, ci, yy, x2)] ** 2;
            }
          } else {
            for (let cc = Math.max(0, ci - half); cc <= Math.min(c - 1, ci + half); cc++) sum += x.data[at(ni, cc, y, xx)] ** 2;
          }
          const scale = q.within ? 1 + (q.alpha * sum) / (q.size * q.size) : q.k + (q.alpha / q.size) * sum;
          const i = at(ni, ci, y, xx);
          out[i] = x.data[i] * Math.pow(scale, -q.beta);
        }
      }
    }
  }
  return [{ shape: [...x.shape], data: out }];
}

export function lrnLower(layer: Layer): LoweredLayer {
  const q = lrnParams(layer);
  const [n, c, h, w] = q.shape;
  const half = (q.size - 1) / 2;
  const window = q.within
    ? `for (let dy = 0; dy < ${int(q.size)}; dy++) {
        const yy = y + dy - ${int(half)};
        if (yy >= 0 && yy < ${int(h)}) {
          for (let dx = 0; dx < ${int(q.size)}; dx++) {
            const xx = x_ + dx - ${int(half)};
            if (xx >= 0 && xx < ${int(w)}) {
              const v = x[${linear([
                ['ni', c * h * w],
                ['ci', h * w],
                ['yy', w],
                ['xx', 1],
              ])}];
              sum += v * v;
            }
          }
        }
      }
      const scale = 1.0 + ${lit(q.alpha / (q.size * q.size))} * sum;`
    : `for (let dc = 0; dc < ${int(q.size)}; dc++) {
        const cc = ci + dc - ${int(half)};
        if (cc >= 0 && cc < ${int(c)}) {
          const v = x[${linear([
            ['ni', c * h * w],
            ['cc', h * w],
            ['y', w],
            ['x_', 1],
          ])}];
          sum += v * v;
        }
      }
      const scale = ${lit(q.k)} + ${lit(q.alpha / q.size)} * sum;`;
  const body = `
    ${coordinates([n, c, h, w], ['ni', 'ci', 'y', 'x_'])}
    let sum = 0.0;
    ${window}
    return x[this.thread.x] * Math.pow(scale, ${lit(-q.beta)});`;
  const size = layer.tops[0].count;
  const kernels = [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size, out: { top: 0 } }];
  if (q.size % 2 !== 1 || layer.bottoms[0].shape.length !== 4) return { kernels };
  // On wasm: an f32x4 kernel with a running sum over the channel window (runtime/wasm/lrn-kernel.ts).
  const native = { kind: 'lrn' as const, shape: q.shape, size: q.size, alpha: q.alpha, beta: q.beta, k: q.k, within: q.within };
  return { kernels, natives: [{ native, args: [{ bottom: 0 }], size, out: { top: 0 } }] };
}

export const lrn: LayerModule<LRNParameter> = {
  type: 'LRN',
  paramField: 'lrn_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  passThrough: true,
  forward: lrnForward,
  lower: lrnLower,
  infer(ctx) {
    const p = ctx.param;
    const size = Number(p.local_size ?? 5);
    if (size % 2 !== 1) ctx.fail(`LRN only supports odd values for local_size (got ${size})`, { msg: p, field: 'local_size' });
    const bottom = ctx.bottoms[0];
    if (bottom.length !== 4) ctx.fail(`input must have 4 axes, corresponding to (num, channels, height, width); got ${showShape(bottom)}`);
    const window = p.norm_region === 'WITHIN_CHANNEL' ? size * size : size;
    return { tops: [[...bottom]], params: [], macs: count(bottom) * window };
  },
};
