// Convolution's native WebAssembly SIMD kernel: a stride-1 Convolution is a stride-1 Deconvolution (one
// phase of phase-gemm-layout.ts) with the taps reversed, so it runs that phase-GEMM kernel.
//
// Per axis, a Convolution reads out[o] = Σ_k x[o − p + k·d]·w[k]; with k' = K−1−k this is
// Σ_k' x[o + p' − k'·d]·w[K−1−k'], a Deconvolution with pad p' = d·(K−1) − p and the filter flip toggled.
// A pad beyond the kernel's reach d·(K−1) (FCN's conv1_1: pad 100 for a 3×3) would make p' negative, which
// the Deconvolution's geometry has no use for: the excess e = p − d·(K−1) becomes e zero rows (columns)
// around the input instead, inside the kernel's zero-bordered grid (the inset), and p' = 0.
//
// A strided Convolution is first made stride-1 by a space-to-depth rearrangement (strided-convolution.ts):
// with stride s per axis, tap k·d = a·s + r reads phase r of the padded input at offset a, so the layer is a
// stride-1, pad-0, dilation-1 Convolution over (input channel, row phase, column phase) channels with the
// taps laid on an a-grid (zero where a phase has no tap).
import type { NativeKernel } from './native-kernel.js';
import { releaseArray } from './kernel-arena.js';
import type { ConvolutionNativeSpec, DeconvolutionNativeSpec } from '../../ir/native-kernel-spec.js';
import { phaseGemmKernel, type PhaseGemmOptions } from './phase-gemm-kernel.js';
import { deconvolutionLayout } from './phase-gemm-layout.js';
import { spaceToDepthKernel, stridedAsStrideOne } from './strided-convolution.js';

interface AsDeconvolution {
  spec: DeconvolutionNativeSpec;
  /** Zero rows and columns added around the input on each side. */
  inset: [number, number];
}

/** The stride-1 Deconvolution computing this (stride-1) Convolution. */
function asDeconvolution(spec: ConvolutionNativeSpec): AsDeconvolution {
  const axis = (a: 0 | 1) => {
    const reach = spec.dilation[a] * (spec.kernel[a] - 1);
    const excess = Math.max(0, spec.pad[a] - reach);
    return { pad: reach - (spec.pad[a] - excess), excess };
  };
  const [y, x] = [axis(0), axis(1)];
  return {
    spec: {
      kind: 'deconvolution',
      weights: 'dense',
      outer: spec.outer,
      cin: spec.cin,
      cout: spec.cout,
      group: spec.group,
      inH: spec.inH + 2 * y.excess,
      inW: spec.inW + 2 * x.excess,
      kernel: spec.kernel,
      stride: [1, 1],
      pad: [y.pad, x.pad],
      dilation: spec.dilation,
      bias: spec.bias,
      flip: !spec.flip,
      window: { y0: 0, x0: 0, h: spec.outH, w: spec.outW },
      ...(spec.relu !== undefined ? { relu: spec.relu } : {}),
    },
    inset: [y.excess, x.excess],
  };
}

/** Whether the native kernel covers this layer: whole groups, and memory under 2 GiB. */
export function nativeConvolutionCovers(spec: ConvolutionNativeSpec): boolean {
  if (spec.cin % spec.group !== 0 || spec.cout % spec.group !== 0) return false;
  if (spec.stride[0] !== 1 || spec.stride[1] !== 1) return nativeConvolutionCovers(stridedAsStrideOne(spec).spec);
  const { spec: deconv, inset } = asDeconvolution(spec);
  try {
    deconvolutionLayout(deconv, 1, inset);
    return true;
  } catch {
    return false;
  }
}

/** The kernel, reading Caffe's Convolution weights (C_out, C_in/g, kh, kw). */
export function convolutionNativeKernel(spec: ConvolutionNativeSpec, options: PhaseGemmOptions = {}): NativeKernel {
  if (spec.stride[0] !== 1 || spec.stride[1] !== 1) {
    const strided = stridedAsStrideOne(spec);
    const inner = convolutionNativeKernel(strided.spec, options);
    const phases = spaceToDepthKernel(strided, options.arena);
    let bound: Float32Array | undefined;
    let relaid: Float32Array | undefined;
    // The rearranged input, made once: the phases kernel writes it here on every call. In the executor's
    // arena (a region of this kernel's own) the phases kernel writes it in place and the stride-1 kernel reads
    // it in place: no copy between them.
    const stagedFloats = strided.spec.outer * strided.spec.cin * strided.spec.inH * strided.spec.inW;
    const stagedSlot = options.arena?.reserve(stagedFloats * 4, 0);
    let staged: Float32Array | undefined;
    const bind = ([x, weights, bias]: readonly Float32Array[]) => {
      if (weights === bound) return;
      relaid = strided.weights(weights);
      bound = weights;
      inner.bind!(bias ? [x, relaid, bias] : [x, relaid]);
      // Copied into the inner kernel's memory, which from now on only checks it is the same array.
      releaseArray(relaid);
    };
    return {
      bind,
      async run([x, weights, bias], out) {
        bind([x, weights, bias]);
        if (!staged) {
          const place = stagedSlot?.place();
          staged = place ? new Float32Array(place.memory.buffer, place.own, stagedFloats) : new Float32Array(stagedFloats);
        }
        const input = await phases.run([x], staged);
        return inner.run(bias ? [input, relaid!, bias] : [input, relaid!], out);
      },
      destroy() {
        phases.destroy();
        inner.destroy();
      },
    };
  }
  const [kh, kw] = spec.kernel;
  const cinG = spec.cin / spec.group;
  const coutG = spec.cout / spec.group;
  const { spec: deconv, inset } = asDeconvolution(spec);
  return phaseGemmKernel(
    deconv,
    inset,
    (ci, m, wy, wx) => {
      const g = Math.floor(ci / cinG);
      return (((g * coutG + m) * cinG + (ci - g * cinG)) * kh + wy) * kw + wx;
    },
    options,
  );
}
