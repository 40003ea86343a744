// Element-wise "neuron" layers (REFERENCE §2.15): one bottom, one top of the same shape, in-place allowed
// (except AbsVal, which Caffe refuses: its backward pass needs the bottom data).
import type { LayerModule, ShapeContext } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import { dropoutForward, dropoutLower, neuronForward, neuronLower } from './compute/neuron.js';

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
// Identity in TEST; in TRAIN an inverted-dropout mask, same shape either way.
export const dropout: LayerModule = { ...neuron('Dropout', 'dropout_param'), forward: dropoutForward, lower: dropoutLower };
