// InnerProduct (docs/caffe-semantics.md#innerproduct): everything from `axis` on is flattened into K inputs, so
// top = bottom[0:axis] ++ [num_output]; weights (num_output, K), or (K, num_output) with transpose.
// Caffe does not check num_output > 0.
//
// InnerProduct (docs/caffe-semantics.md#innerproduct): everything from `axis` on is one K-vector; y = W·x + b with W (N, K), or
// (K, N) with transpose: true.
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { InnerProductParameter } from '../schema/caffe-messages.generated.js';

function dims(layer: Layer): { m: number; k: number; n: number; transpose: boolean; bias: boolean } {
  const top = layer.tops[0].shape;
  const m = countOf(top, 0, top.length - 1);
  const n = top[top.length - 1];
  const k = layer.bottoms[0].count / m;
  const p = layer.typeParam;
  return { m, k, n, transpose: p.transpose === true, bias: p.bias_term !== false };
}

export function innerProductForward(layer: Layer, [x]: Tensor[], params: Float32Array[]): Tensor[] {
  const { m, k, n, transpose, bias } = dims(layer);
  const [w, b] = params;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = bias ? b[j] : 0;
      for (let t = 0; t < k; t++) sum += x.data[i * k + t] * w[transpose ? t * n + j : j * k + t];
      out[i * n + j] = sum;
    }
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}

export function innerProductLower(layer: Layer): LoweredLayer {
  const { m, k, n, transpose, bias } = dims(layer);
  const wIndex = transpose
    ? linear([
        ['t', n],
        ['j', 1],
      ])
    : linear([
        ['j', k],
        ['t', 1],
      ]);
  const body = `
    ${coordinates([m, n], ['i', 'j'])}
    let sum = ${bias ? 'b[(j|0)]' : '0.0'};
    for (let t = 0; t < ${int(k)}; t++) {
      sum += x[${linear([
        ['i', k],
        ['t', 1],
      ])}] * w[${wIndex}];
    }
    return sum;`;
  const args = bias ? [{ bottom: 0 }, { param: 0 }, { param: 1 }] : [{ bottom: 0 }, { param: 0 }];
  const kernels = [{ source: kernelFunction(bias ? ['x', 'w', 'b'] : ['x', 'w'], body), args, size: m * n, out: { top: 0 } }];
  // On wasm: the native f32x4 kernel (inner-product/native.ts).
  return { kernels, natives: [{ native: { kind: 'inner-product', m, k, n, transpose, bias }, args, size: m * n, out: { top: 0 } }] };
}

export const innerProduct: LayerModule<InnerProductParameter> = {
  type: 'InnerProduct',
  paramField: 'inner_product_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: innerProductForward,
  lower: innerProductLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    const numOutput = Number(p.num_output ?? 0);
    const k = count(bottom, axis);
    const weights = p.transpose === true ? [k, numOutput] : [numOutput, k];
    const params = p.bias_term === false ? [weights] : [weights, [numOutput]];
    const m = count(bottom, 0, axis);
    return { tops: [[...bottom.slice(0, axis), numOutput]], params, macs: m * k * numOutput };
  },
};
