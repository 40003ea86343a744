// Pooling (docs/caffe-semantics.md#pooling) as Caffe's PoolingLayer::Forward_cpu: windows start at o·s − p and are
// clipped to the image; MAX keeps the first largest value (and its flat h·W + w index for the optional mask
// top); AVE divides by the window clipped to the *padded* extent [−p, in + p), counted before clipping to
// the image. STOCHASTIC pooling is random in TRAIN; brewnet runs TEST, where Caffe (StoPoolForwardTest, GPU
// only: its Forward_cpu has none) weights each value by itself — Σx² / Σx over the window (never padded),
// 0 where Σx ≤ 0.
import type { Layer } from '../../ir/layer.js';
import type { KernelSpec, LoweredLayer } from '../../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import type { PoolingNativeSpec } from '../../ir/native-kernel-spec.js';
import { cannotRun } from '../cannot-run.js';

interface PoolParams {
  max: boolean;
  stochastic: boolean;
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernel: number[];
  stride: number[];
  pad: number[];
}

const FLT_MAX = 3.4028234663852886e38;

function poolParams(layer: Layer): PoolParams {
  const method = String(layer.typeParam.pool ?? 'MAX');
  if (method !== 'MAX' && method !== 'AVE' && method !== 'STOCHASTIC') cannotRun(layer, `${method} pooling`);
  const op = layer.spatial;
  if (!op || op.kind !== 'window') throw new Error('internal: Pooling without a window');
  const [n, c, inH, inW] = layer.bottoms[0].shape;
  const [, , outH, outW] = layer.tops[0].shape;
  return {
    max: method === 'MAX',
    stochastic: method === 'STOCHASTIC',
    planes: n * c,
    inH,
    inW,
    outH,
    outW,
    kernel: op.kernel,
    stride: op.stride,
    pad: op.pad,
  };
}

export function poolingForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const q = poolParams(layer);
  const { inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const [sh, sw] = q.stride;
  const [ph, pw] = q.pad;
  const out = new Float32Array(q.planes * outH * outW);
  const mask = new Float32Array(out.length);
  for (let p = 0; p < q.planes; p++) {
    const base = p * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let h0 = oy * sh - ph;
        let w0 = ox * sw - pw;
        const o = (p * outH + oy) * outW + ox;
        if (q.max) {
          const h1 = Math.min(h0 + kh, inH);
          const w1 = Math.min(w0 + kw, inW);
          h0 = Math.max(h0, 0);
          w0 = Math.max(w0, 0);
          let best = -FLT_MAX;
          let at = -1;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = x.data[base + h * inW + w];
              if (v > best) {
                best = v;
                at = h * inW + w;
              }
            }
          }
          out[o] = best;
          mask[o] = at;
        } else if (q.stochastic) {
          const h1 = Math.min(h0 + kh, inH);
          const w1 = Math.min(w0 + kw, inW);
          let sum = 0;
          let squares = 0;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = x.data[base + h * inW + w];
              sum += v;
              squares += v * v;
            }
          }
          out[o] = sum > 0 ? squares / sum : 0;
        } else {
          let h1 = Math.min(h0 + kh, inH + ph);
          let w1 = Math.min(w0 + kw, inW + pw);
          const size = (h1 - h0) * (w1 - w0);
          h0 = Math.max(h0, 0);
          w0 = Math.max(w0, 0);
          h1 = Math.min(h1, inH);
          w1 = Math.min(w1, inW);
          let sum = 0;
          for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum += x.data[base + h * inW + w];
          out[o] = sum / size;
        }
      }
    }
  }
  const shape = [...layer.tops[0].shape];
  return layer.tops.length === 2
    ? [
        { shape, data: out },
        { shape: [...shape], data: mask },
      ]
    : [{ shape, data: out }];
}

/** `what`: the pooled value, or (MAX only) the mask: the flat in-plane index of the first maximum. */
function kernelSource(q: PoolParams, what: 'value' | 'mask'): string {
  const [kh, kw] = q.kernel;
  const [sh, sw] = q.stride;
  const [ph, pw] = q.pad;
  const xIndex = linear([
    ['p', q.inH * q.inW],
    ['h', q.inW],
    ['w', 1],
  ]);
  const head = `
    ${coordinates([q.planes, q.outH, q.outW], ['p', 'oy', 'ox'])}
    const h0 = oy * ${int(sh)} - ${int(ph)};
    const w0 = ox * ${int(sw)} - ${int(pw)};`;
  if (q.max) {
    return kernelFunction(
      ['x'],
      `${head}
      let best = ${-FLT_MAX};
      let at = -1.0;
      for (let dy = 0; dy < ${int(kh)}; dy++) {
        const h = h0 + dy;
        if (h >= 0 && h < ${int(q.inH)}) {
          for (let dx = 0; dx < ${int(kw)}; dx++) {
            const w = w0 + dx;
            if (w >= 0 && w < ${int(q.inW)}) {
              const v = x[${xIndex}];
              if (v > best) {
                best = v;
                at = h * ${int(q.inW)} + w;
              }
            }
          }
        }
      }
      return ${what === 'mask' ? 'at' : 'best'};`,
    );
  }
  if (q.stochastic) {
    return kernelFunction(
      ['x'],
      `${head}
      let sum = 0.0;
      let squares = 0.0;
      for (let dy = 0; dy < ${int(kh)}; dy++) {
        const h = h0 + dy;
        if (h < ${int(q.inH)}) {
          for (let dx = 0; dx < ${int(kw)}; dx++) {
            const w = w0 + dx;
            if (w < ${int(q.inW)}) {
              const v = x[${xIndex}];
              sum += v;
              squares += v * v;
            }
          }
        }
      }
      return sum > 0.0 ? squares / sum : 0.0;`,
    );
  }
  return kernelFunction(
    ['x'],
    `${head}
    const size = (Math.min(h0 + ${int(kh)}, ${int(q.inH + ph)}) - h0) * (Math.min(w0 + ${int(kw)}, ${int(q.inW + pw)}) - w0);
    let sum = 0.0;
    for (let dy = 0; dy < ${int(kh)}; dy++) {
      const h = h0 + dy;
      if (h >= 0 && h < ${int(q.inH)}) {
        for (let dx = 0; dx < ${int(kw)}; dx++) {
          const w = w0 + dx;
          if (w >= 0 && w < ${int(q.inW)}) {
            sum += x[${xIndex}];
          }
        }
      }
    }
    return sum / size;`,
  );
}

export function poolingLower(layer: Layer): LoweredLayer {
  const q = poolParams(layer);
  const size = layer.tops[0].count;
  const kernels: KernelSpec[] = [{ source: kernelSource(q, 'value'), args: [{ bottom: 0 }], size, out: { top: 0 } }];
  if (layer.tops.length === 2) {
    kernels.push({ source: kernelSource(q, 'mask'), args: [{ bottom: 0 }], size, out: { top: 1 } });
    return { kernels };
  }
  // On wasm: the native kernel (pooling/native.ts); the mask top of MAX and STOCHASTIC have none.
  if (q.stochastic) return { kernels };
  const { planes, inH, inW, outH, outW, kernel, stride, pad } = q;
  const native: PoolingNativeSpec = {
    kind: 'pooling',
    max: q.max,
    planes,
    inH,
    inW,
    outH,
    outW,
    kernel: [...kernel],
    stride: [...stride],
    pad: [...pad],
  };
  return { kernels, natives: [{ native, args: [{ bottom: 0 }], size, out: { top: 0 } }] };
}
