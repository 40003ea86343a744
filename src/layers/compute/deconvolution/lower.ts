// Deconvolution's lowering: which kernels compute (a window of) its output, chosen by the weights' shape
// and, where the choice depends on their values, by a check the executor makes once weights are bound.
//
//   channel-diagonal weights (FCN's bilinear upsampling) → diagonal re-layout (once) + depthwise gather
//   anything else                                         → weight re-layout (once) + channels-last input
//                                                            + dense phase gather
//
// Each path also has a native WebAssembly SIMD kernel (wasm-layout.ts), run instead on backend 'wasm'.
//
// Why no GEMM + col2im: in a gpu.js kernel a GEMM thread does the same multiply-adds over the input
// channels as the gather's inner loop, then col2im needs a second pass over a column buffer Cout·k²/s²
// times the output; the phase gather does the useful multiply-adds only, with nothing in between.
import type { Layer } from '../../../ir/layer.js';
import type { KernelSpec, NativeKernelStepSpec, ValueRef, WeightCondition } from '../../../runtime/kernel-plan.js';
import type { DeconvolutionNativeSpec } from '../../../runtime/wasm/native-kernel-spec.js';
import { convParams, type ConvParams } from '../conv-params.js';
import { filterFlip } from '../filter-flip.js';
import { denseGatherSource, diagonalGatherSource } from './gather-kernels.js';
import { channelsLastSource, diagonalWeightsSource, gatherWeightsSource } from './relayout.js';
import type { OutputWindow } from './window.js';
import { nativeDeconvolutionCovers } from './wasm-layout.js';

/** Where the kernels find the layer's input and parameter blobs (its own, or — fused into a Crop — upstream). */
export interface DeconvolutionRefs {
  input: ValueRef;
  param(index: number): ValueRef & ({ param: number } | { upstream: number; ref: { param: number } });
}

/** Whether the weights' shape allows a depthwise layer (their values are checked when bound). */
const mayBeDiagonal = (q: ConvParams) => q.group === 1 && q.cin === q.cout;

/**
 * Kernels computing `window` of the output for bottom `bottom`, writing top `out`; temporaries numbered
 * from `firstTemp`. With them, the native kernels for the same window.
 */
export function deconvolutionKernels(
  layer: Layer,
  bottom: number,
  window: OutputWindow,
  refs: DeconvolutionRefs,
  out: { top: number },
  firstTemp: number,
): { kernels: KernelSpec[]; natives: NativeKernelStepSpec[] } {
  const q = convParams(layer, bottom);
  const flip = filterFlip(layer);
  const w = refs.param(0);
  const bias = q.bias ? [refs.param(1)] : [];
  const nativeStep = (weights: DeconvolutionNativeSpec['weights'], when?: WeightCondition): NativeKernelStepSpec[] => {
    const native: DeconvolutionNativeSpec = {
      kind: 'deconvolution', weights, outer: q.outer, cin: q.cin, cout: q.cout, group: q.group, inH: q.inH, inW: q.inW,
      kernel: q.kernel, stride: q.stride, pad: q.pad, dilation: q.dilation, bias: q.bias, flip, window: { ...window },
    };
    if (!nativeDeconvolutionCovers(native)) return [];
    return [{ native, args: [refs.input, w, ...bias], size: q.outer * q.cout * window.h * window.w, out, ...(when ? { when } : {}) }];
  };
  const kernels = gpujsKernels(layer, bottom, window, refs, out, firstTemp);
  const condition = kernels.find((k) => k.when)?.when;
  const natives = condition
    ? [...nativeStep('channel-diagonal', { ...condition, holds: true }), ...nativeStep('dense', { ...condition, holds: false })]
    : nativeStep('dense');
  return { kernels, natives };
}

function gpujsKernels(
  layer: Layer,
  bottom: number,
  window: OutputWindow,
  refs: DeconvolutionRefs,
  out: KernelSpec['out'],
  firstTemp: number,
): KernelSpec[] {
  const q = convParams(layer, bottom);
  const flip = filterFlip(layer);
  const size = q.outer * q.cout * window.h * window.w;
  const w = refs.param(0);
  const bias = q.bias ? [refs.param(1)] : [];
  const [kh, kw] = q.kernel;
  const weightCount = q.cin * (q.cout / q.group) * kh * kw;
  let temp = firstTemp;

  const dense = (when?: WeightCondition): KernelSpec[] => {
    const wt = temp++;
    const xt = temp++;
    return [
      { source: gatherWeightsSource(q, flip), args: [w], size: weightCount, out: { temp: wt }, when },
      { source: channelsLastSource(q), args: [refs.input], size: q.outer * q.cin * q.inH * q.inW, out: { temp: xt }, when },
      { source: denseGatherSource(q, window, q.bias), args: [{ temp: xt }, { temp: wt }, ...bias], size, out, when },
    ];
  };
  if (!mayBeDiagonal(q)) return dense().map(({ when: _, ...k }) => k);

  const pattern = { kind: 'channel-diagonal' as const, rows: q.cin, cols: q.cout, taps: kh * kw };
  const diagonal: WeightCondition = { param: w, pattern, holds: true };
  const wd = temp++;
  return [
    { source: diagonalWeightsSource(q, flip), args: [w], size: q.cout * kh * kw, out: { temp: wd }, when: diagonal },
    { source: diagonalGatherSource(q, window, q.bias), args: [refs.input, { temp: wd }, ...bias], size, out, when: diagonal },
    ...dense({ ...diagonal, holds: false }),
  ];
}
