// Element-wise "neuron" layers (docs/caffe-semantics.md#neurons): one bottom, one top of the same shape, in-place allowed
// (except AbsVal, which Caffe refuses: its backward pass needs the bottom data).
//
// Element-wise "neuron" layers (docs/caffe-semantics.md#neurons): one formula per type, written twice on purpose: once as
// a double-precision JS function for the reference executor and once as kernel source for gpu.js. Tanh
// and friends are spelled with exp so GLSL ES 1.0 (no tanh) computes them too.
import { type LayerModule, type ShapeContext, exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { kernelFunction, lit } from './kernel-source.js';
import type { Tensor } from '../ir/tensor.js';
import type { Msg } from '../schema/message.js';
import { cannotRun } from './cannot-run.js';

interface NeuronOp {
  /** Reference: y = f(x) in doubles. */
  ref(p: Msg): (x: number) => number;
  /** Kernel statements that turn `v` (the input) into the result held in `v`. */
  src(p: Msg): string;
}

const num = (p: Msg, field: string, fallback: number) => Number(p[field] ?? fallback);

const tanhSrc = (x: string) => `const t = Math.exp(-2.0 * Math.abs(${x}));\nv = (${x} >= 0.0 ? 1.0 : -1.0) * (1.0 - t) / (1.0 + t);`;

/** Power's special cases, as Caffe's PowerLayer has them (power 0 ignores the input; 1 and 2 skip pow). */
function powerSrc(p: Msg): string {
  const power = num(p, 'power', 1);
  const scale = num(p, 'scale', 1);
  const shift = num(p, 'shift', 0);
  if (power === 0) return 'v = 1.0;';
  const base = `(${lit(shift)} + ${lit(scale)} * v)`;
  if (power === 1) return `v = ${base};`;
  if (power === 2) return `const b = ${base};\nv = b * b;`;
  if (power === 0.5) return `v = Math.sqrt(${base});`;
  // GLSL's pow is undefined for a negative base (llvmpipe gives NaN), where C's pow — Caffe's — and JS's
  // are defined for whole powers. So whole powers raise |base| and put the sign back for odd ones.
  if (Number.isInteger(power)) {
    const magnitude = `Math.pow(Math.abs(b), ${lit(power)})`;
    return `const b = ${base};\nv = ${power % 2 === 0 ? magnitude : `(b < 0.0 ? -1.0 : 1.0) * ${magnitude}`};`;
  }
  return `v = Math.pow(${base}, ${lit(power)});`;
}

const ops: Record<string, NeuronOp> = {
  ReLU: {
    ref: (p) => {
      const slope = num(p, 'negative_slope', 0);
      return (x) => (x > 0 ? x : x * slope);
    },
    src: (p) => `v = v > 0.0 ? v : v * ${lit(num(p, 'negative_slope', 0))};`,
  },
  ELU: {
    ref: (p) => {
      const alpha = num(p, 'alpha', 1);
      return (x) => (x > 0 ? x : alpha * (Math.exp(x) - 1));
    },
    src: (p) => `v = v > 0.0 ? v : ${lit(num(p, 'alpha', 1))} * (Math.exp(v) - 1.0);`,
  },
  Sigmoid: {
    ref: () => (x) => 1 / (1 + Math.exp(-x)),
    src: () => 'v = 1.0 / (1.0 + Math.exp(-v));',
  },
  TanH: { ref: () => Math.tanh, src: () => `const u = v;\n${tanhSrc('u')}` },
  AbsVal: { ref: () => Math.abs, src: () => 'v = Math.abs(v);' },
  BNLL: {
    // Caffe's stable form: x + log(1 + e^−x) for x > 0, log(1 + e^x) otherwise.
    ref: () => (x) => (x > 0 ? x + Math.log(1 + Math.exp(-x)) : Math.log(1 + Math.exp(x))),
    src: () => 'v = v > 0.0 ? v + Math.log(1.0 + Math.exp(-v)) : Math.log(1.0 + Math.exp(v));',
  },
  Power: {
    ref: (p) => {
      const [power, scale, shift] = [num(p, 'power', 1), num(p, 'scale', 1), num(p, 'shift', 0)];
      return (x) => (power === 0 ? 1 : Math.pow(shift + scale * x, power));
    },
    src: powerSrc,
  },
  Exp: {
    // base^(shift + scale·x); base −1 means e.
    ref: (p) => {
      const base = num(p, 'base', -1);
      const ln = base === -1 ? 1 : Math.log(base);
      const [scale, shift] = [num(p, 'scale', 1), num(p, 'shift', 0)];
      return (x) => Math.exp(ln * (shift + scale * x));
    },
    src: (p) => {
      const base = num(p, 'base', -1);
      const ln = base === -1 ? 1 : Math.log(base);
      return `v = Math.exp(${lit(ln)} * (${lit(num(p, 'shift', 0))} + ${lit(num(p, 'scale', 1))} * v));`;
    },
  },
  Log: {
    // log_base(shift + scale·x); base −1 means e.
    ref: (p) => {
      const base = num(p, 'base', -1);
      const k = base === -1 ? 1 : 1 / Math.log(base);
      const [scale, shift] = [num(p, 'scale', 1), num(p, 'shift', 0)];
      return (x) => Math.log(shift + scale * x) * k;
    },
    src: (p) => {
      const base = num(p, 'base', -1);
      const k = base === -1 ? 1 : 1 / Math.log(base);
      return `v = Math.log(${lit(num(p, 'shift', 0))} + ${lit(num(p, 'scale', 1))} * v) * ${lit(k)};`;
    },
  },
  Threshold: {
    ref: (p) => {
      const t = num(p, 'threshold', 0);
      return (x) => (x > t ? 1 : 0);
    },
    src: (p) => `v = v > ${lit(num(p, 'threshold', 0))} ? 1.0 : 0.0;`,
  },
  Clip: {
    ref: (p) => {
      const [lo, hi] = [num(p, 'min', 0), num(p, 'max', 0)];
      return (x) => Math.max(Math.min(x, hi), lo);
    },
    src: (p) => `v = Math.max(Math.min(v, ${lit(num(p, 'max', 0))}), ${lit(num(p, 'min', 0))});`,
  },
  // OpenCV's dnn and the MobileNet-v2 forks: min(max(x, 0), 6), no parameters.
  ReLU6: {
    ref: () => (x) => Math.min(Math.max(x, 0), 6),
    src: () => 'v = Math.min(Math.max(v, 0.0), 6.0);',
  },
  Swish: {
    ref: (p) => {
      const beta = num(p, 'beta', 1);
      return (x) => x / (1 + Math.exp(-beta * x));
    },
    src: (p) => `v = v / (1.0 + Math.exp(${lit(-num(p, 'beta', 1))} * v));`,
  },
};

function opOf(layer: Layer): NeuronOp {
  const op = ops[layer.type];
  if (!op) cannotRun(layer);
  if (layer.type === 'Clip' && (layer.typeParam.min === undefined || layer.typeParam.max === undefined)) {
    cannotRun(layer, 'clip_param needs both min and max');
  }
  return op;
}

export function neuronForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const f = opOf(layer).ref(layer.typeParam);
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < data.length; i++) data[i] = f(x.data[i]);
  return [{ shape: [...x.shape], data }];
}

export function neuronLower(layer: Layer): LoweredLayer {
  const body = `let v = x[this.thread.x];\n${opOf(layer).src(layer.typeParam)}\nreturn v;`;
  const kernels = [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: layer.tops[0].count, out: { top: 0 } }];
  if (layer.type !== 'ReLU') return { kernels };
  // On wasm, a ReLU (0 ≤ negative_slope ≤ 1) runs a native element-wise kernel; after a Convolution, the
  // Convolution's native kernel computes it instead (runtime/fusion-rules.ts).
  const slope = Number(layer.typeParam.negative_slope ?? 0);
  if (!(slope >= 0 && slope <= 1)) return { kernels };
  const size = layer.tops[0].count;
  const native = { kind: 'channel-affine' as const, outer: 1, channels: 1, inner: size, from: { kind: 'none' as const }, relu: slope };
  return { kernels, natives: [{ native, args: [{ bottom: 0 }], size, out: { top: 0 } }] };
}

/** Dropout scales by a random mask in TRAIN; brewnet runs nets in TEST, where it passes its input through. */
export function dropoutForward(_layer: Layer, [x]: Tensor[]): Tensor[] {
  return [{ shape: [...x.shape], data: x.data }];
}

export function dropoutLower(): LoweredLayer {
  return { kernels: [], aliases: [{ top: 0, bottom: 0 }] };
}

function neuron(type: string, paramField?: string, check?: (ctx: ShapeContext) => void, inPlace = true): LayerModule {
  return {
    type,
    paramField,
    bottoms: exactly(1),
    tops: exactly(1),
    inPlace,
    passThrough: true,
    forward: neuronForward,
    lower: neuronLower,
    infer(ctx) {
      check?.(ctx);
      return { tops: [[...ctx.bottoms[0]]], params: [], macs: count(ctx.bottoms[0]) };
    },
  };
}

/** Exp and Log: base −1 means e; any other base must be > 0. */
function positiveBase(ctx: ShapeContext): void {
  const base = Number(ctx.param.base ?? -1);
  if (base !== -1 && !(base > 0)) ctx.fail(`base must be strictly positive (or -1 for e); got ${base}`, { msg: ctx.param, field: 'base' });
}

export const relu = neuron('ReLU', 'relu_param');
export const power = neuron('Power', 'power_param');
export const elu = neuron('ELU', 'elu_param');
export const sigmoid = neuron('Sigmoid', 'sigmoid_param');
export const tanh = neuron('TanH', 'tanh_param');
export const absVal = neuron('AbsVal', undefined, undefined, false);
export const bnll = neuron('BNLL');
export const exp = neuron('Exp', 'exp_param', positiveBase);
export const log = neuron('Log', 'log_param', positiveBase);
export const threshold = neuron('Threshold', 'threshold_param');
export const swish = neuron('Swish', 'swish_param');
export const clip = neuron('Clip', 'clip_param');
export const relu6 = neuron('ReLU6');
// Identity in TEST; in TRAIN an inverted-dropout mask, same shape either way.
export const dropout: LayerModule = { ...neuron('Dropout', 'dropout_param'), forward: dropoutForward, lower: dropoutLower };
