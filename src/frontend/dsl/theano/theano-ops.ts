// Theano's ops as Caffe layers (docs/caffe-semantics.md#theano): conv2d → Convolution; conv2d_grad_wrt_inputs,
// conv2d_transpose and AbstractConv2d_gradInputs → Deconvolution (the filters are the forward conv's,
// which is Caffe's Deconvolution blob layout); pool_2d → Pooling; relu/sigmoid/tanh/softmax; and
// arithmetic: a per-channel bias (b.dimshuffle('x', 0, 'x', 'x')) folds into the convolution before it,
// tensor ± tensor is an Eltwise, tensor ∘ number a Power. input_shape's spatial sizes and filter_flip,
// which prototxt cannot hold, travel as the layer's extension (src/ir/layer-extensions.ts).
import type { Pos } from '../../../../grammar/python-ast.js';
import type { SourceLocation } from '../../../diagnostics/diagnostic.js';
import { closest } from '../../../diagnostics/suggest.js';
import type { LayerExtension } from '../../../ir/layer-extensions.js';
import { newMessage } from '../../../schema/build-message.js';
import { metaOf, type Msg } from '../../../schema/message.js';
import { LayerFunction } from '../caffe/net-spec.js';
import { PyError, typeError, valueError } from '../errors.js';
import { numeric } from '../operators.js';
import { PyBuiltin, PyList, PyTuple, typeName, type NativeFn, type PyValue, type Runtime } from '../values.js';
import { BroadcastShared, SharedVariable, tensorArithmetic, TheanoVariable } from './tensors.js';

const REQUIRED = Symbol('required');
type Default = PyValue | typeof REQUIRED;

/** Binds a call's arguments to a Python signature, with Python's messages. */
function bind(
  name: string,
  signature: [string, Default][],
  args: PyValue[],
  kwargs: Map<string, PyValue>,
  aliases: Record<string, string> = {},
): Map<string, PyValue> {
  if (args.length > signature.length) throw typeError(`${name}() takes at most ${signature.length} arguments (${args.length} given)`);
  const bound = new Map<string, PyValue>();
  args.forEach((a, i) => bound.set(signature[i][0], a));
  for (const [key, value] of kwargs) {
    const param = aliases[key] ?? key;
    if (!signature.some(([p]) => p === param)) {
      const hint = closest(
        key,
        signature.map(([p]) => p),
      );
      throw typeError(`${name}() got an unexpected keyword argument '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    if (bound.has(param)) throw typeError(`${name}() got multiple values for argument '${param}'`);
    bound.set(param, value);
  }
  for (const [param, fallback] of signature) {
    if (bound.has(param)) continue;
    if (fallback === REQUIRED) throw typeError(`${name}() missing required argument: '${param}'`);
    bound.set(param, fallback);
  }
  return bound;
}

function tensor(v: PyValue, what: string): TheanoVariable {
  if (!(v instanceof TheanoVariable))
    throw typeError(`${what} must be a symbolic tensor (T.tensor4(…) or an op's result), not ${typeName(v)}`);
  return v;
}

function filtersOf(v: PyValue, what: string): number[] {
  if (v instanceof SharedVariable) {
    if (v.shape.length !== 4)
      throw valueError(
        `${what}: filters must be 4-D (got shape (${v.shape.join(', ')}))`,
        'unshared and 3-D convolutions have no Caffe layer',
      );
    return v.shape;
  }
  throw typeError(
    `${what}: filters must be a theano.shared variable, not ${typeName(v)}`,
    "brewnet reads the layer sizes from the shared value's shape",
  );
}

function int(v: PyValue, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(`${what} must be an int, not ${typeName(v)}`);
}

/** An int or a pair of ints, per spatial axis. */
function pair(v: PyValue, what: string): [number, number] {
  if (v instanceof PyTuple || v instanceof PyList) {
    if (v.items.length !== 2) throw valueError(`${what} must have 2 entries (rows, columns), not ${v.items.length}`);
    return [int(v.items[0], what), int(v.items[1], what)];
  }
  const n = int(v, what);
  return [n, n];
}

/** Theano's border_mode as Caffe's pad, per axis (docs/caffe-semantics.md#theano). */
function padsOf(mode: PyValue, kernel: [number, number], dilation: [number, number]): [number, number] {
  const extent = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  if (mode === 'valid') return [0, 0];
  if (mode === 'full') return [extent[0] - 1, extent[1] - 1];
  if (mode === 'half') return [Math.floor(extent[0] / 2), Math.floor(extent[1] / 2)];
  if (typeof mode === 'string') {
    const hint = closest(mode, ['valid', 'full', 'half']);
    throw valueError(
      `invalid border_mode '${mode}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
      "one of 'valid', 'full', 'half', an int, or a pair of ints",
    );
  }
  if (mode instanceof PyTuple && mode.items.some((x) => x instanceof PyTuple)) {
    const pads = mode.items.map((x) => {
      const [a, b] = pair(x, 'border_mode');
      if (a !== b)
        throw new PyError(
          'NotImplementedError',
          `asymmetric padding ${'(' + a + ', ' + b + ')'} has no Caffe equivalent`,
          undefined,
          'Caffe pads both sides alike',
        );
      return a;
    });
    return [pads[0], pads[1]];
  }
  const pads = pair(mode, 'border_mode');
  if (pads.some((p) => p < 0)) throw valueError(`border_mode must not be negative: ${pads.join(', ')}`);
  return pads;
}

function locOf(rt: Runtime, pos: Pos = rt.callSite?.pos ?? rt.pos): SourceLocation {
  return { file: rt.file, line: pos.line, column: pos.column, offset: pos.offset };
}

/** One value per spatial axis, written once when both agree (Caffe broadcasts a single value). */
function perAxis(values: [number, number]): number[] {
  return values[0] === values[1] ? [values[0]] : [...values];
}

interface ConvShape {
  numOutput: number;
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
  group: number;
}

function convolutionParam(shape: ConvShape, biasTerm: boolean, at: SourceLocation): Msg {
  const p = newMessage('ConvolutionParameter', at);
  p.num_output = shape.numOutput;
  if (!biasTerm) p.bias_term = false;
  if (shape.pad.some((x) => x !== 0)) p.pad = perAxis(shape.pad);
  p.kernel_size = perAxis(shape.kernel);
  if (shape.stride.some((x) => x !== 1)) p.stride = perAxis(shape.stride);
  if (shape.group !== 1) p.group = shape.group;
  if (shape.dilation.some((x) => x !== 1)) p.dilation = perAxis(shape.dilation);
  const meta = metaOf(p)!;
  for (const f of Object.keys(p)) meta.fieldLocs.set(f, [at]);
  return p;
}

/** What a convolution op made, to fold a bias added to its result into it. */
const convolutions = new WeakMap<LayerFunction, { shape: ConvShape; extension?: LayerExtension }>();

function layerOp(
  type: string,
  inputs: TheanoVariable[],
  ndim: number,
  rt: Runtime,
  fill?: (layer: Msg) => void,
  extension?: LayerExtension,
): TheanoVariable {
  const fn = new LayerFunction(
    type,
    inputs.map((v) => v.top),
    [],
    1,
    false,
    rt.callSite?.pos ?? rt.pos,
  );
  fn.fill = fill;
  fn.extension = extension;
  return new TheanoVariable(fn.tops[0], ndim);
}

function convolutionOp(
  type: 'Convolution' | 'Deconvolution',
  input: TheanoVariable,
  shape: ConvShape,
  rt: Runtime,
  extension: LayerExtension | undefined,
  biasTerm = false,
): TheanoVariable {
  const at = locOf(rt);
  const v = layerOp(
    type,
    [input],
    4,
    rt,
    (layer) => {
      layer.convolution_param = convolutionParam(shape, biasTerm, at);
      metaOf(layer)!.fieldLocs.set('convolution_param', [at]);
    },
    extension,
  );
  if (!biasTerm) convolutions.set(v.top.fn, { shape, extension });
  return v;
}

function flipExtension(flip: boolean, origin: string, outputSize?: number[]): LayerExtension | undefined {
  if (!flip && !outputSize) return undefined;
  return { origin, ...(flip ? { filterFlip: true } : {}), ...(outputSize ? { outputSize } : {}) };
}

const CONV2D: [string, Default][] = [
  ['input', REQUIRED],
  ['filters', REQUIRED],
  ['input_shape', null],
  ['filter_shape', null],
  ['border_mode', 'valid'],
  ['subsample', new PyTuple([1n, 1n])],
  ['filter_flip', true],
  ['filter_dilation', new PyTuple([1n, 1n])],
  ['num_groups', 1n],
  ['unshared', false],
];

function checkFilterShape(given: PyValue, filters: number[], what: string): void {
  if (given === null) return;
  const dims = given instanceof PyTuple || given instanceof PyList ? given.items : [];
  dims.forEach((d, i) => {
    if (d !== null && int(d, 'filter_shape') !== filters[i]) {
      throw valueError(
        `${what}: filter_shape (${dims.map((x) => (x === null ? 'None' : String(x))).join(', ')}) does not match the filters' shape (${filters.join(', ')})`,
      );
    }
  });
}

export const conv2d: NativeFn = (args, kwargs, rt) => {
  const a = bind('conv2d', CONV2D, args, kwargs, { image_shape: 'input_shape', filter_dilation: 'filter_dilation' });
  if (rt.truthy(a.get('unshared')!)) throw new PyError('NotImplementedError', 'unshared convolutions have no Caffe layer');
  const input = tensor(a.get('input')!, 'conv2d input');
  const filters = filtersOf(a.get('filters')!, 'conv2d');
  checkFilterShape(a.get('filter_shape')!, filters, 'conv2d');
  const kernel: [number, number] = [filters[2], filters[3]];
  const dilation = pair(a.get('filter_dilation')!, 'filter_dilation');
  const group = int(a.get('num_groups')!, 'num_groups');
  const shape: ConvShape = {
    numOutput: filters[0],
    kernel,
    stride: pair(a.get('subsample')!, 'subsample'),
    pad: padsOf(a.get('border_mode')!, kernel, dilation),
    dilation,
    group,
  };
  return convolutionOp('Convolution', input, shape, rt, flipExtension(rt.truthy(a.get('filter_flip')!), "Theano's conv2d"));
};

/** conv2d_grad_wrt_inputs: the transposed convolution, sized by input_shape (docs/caffe-semantics.md#theano). */
function gradInputs(name: string, a: Map<string, PyValue>, rt: Runtime): TheanoVariable {
  if (rt.truthy(a.get('unshared') ?? false)) throw new PyError('NotImplementedError', 'unshared convolutions have no Caffe layer');
  const input = tensor(a.get('output_grad')!, `${name} output_grad`);
  const filters = filtersOf(a.get('filters')!, name);
  checkFilterShape(a.get('filter_shape') ?? null, filters, name);
  const kernel: [number, number] = [filters[2], filters[3]];
  const dilation = pair(a.get('filter_dilation')!, 'filter_dilation');
  const group = int(a.get('num_groups')!, 'num_groups');
  const stride = pair(a.get('subsample')!, 'subsample');
  const numOutput = filters[1] * group;
  const shapeValue = a.get('input_shape')!;
  const dims = shapeValue instanceof PyTuple || shapeValue instanceof PyList ? shapeValue.items : undefined;
  if (!dims || dims.length !== 4) {
    throw valueError(
      `${name}: input_shape must list 4 sizes (batch, channels, rows, columns)`,
      'it is not optional: given the stride, several sizes are plausible',
    );
  }
  if (dims[1] !== null && int(dims[1], 'input_shape[1]') !== numOutput) {
    throw valueError(`${name}: input_shape[1] is ${dims[1]}, but the filters make ${numOutput} channels (filters.shape[1] × num_groups)`);
  }
  const outputSize = [2, 3].map((i) => {
    const d = dims[i];
    if (d === null) {
      if (stride[i - 2] !== 1)
        throw valueError(`input_shape[${i}] must be given: with subsample ${stride[i - 2]} several sizes are plausible`);
      return undefined;
    }
    if (typeof d !== 'bigint') throw valueError(`input_shape[${i}] must be a constant or None.`);
    return Number(d);
  });
  const shape: ConvShape = { numOutput, kernel, stride, pad: padsOf(a.get('border_mode')!, kernel, dilation), dilation, group };
  const sizes = outputSize.every((s) => s === undefined) ? undefined : (outputSize as number[]);
  return convolutionOp('Deconvolution', input, shape, rt, flipExtension(rt.truthy(a.get('filter_flip')!), "Theano's input_shape", sizes));
}

const GRAD_INPUTS: [string, Default][] = [
  ['output_grad', REQUIRED],
  ['filters', REQUIRED],
  ['input_shape', REQUIRED],
  ['filter_shape', null],
  ['border_mode', 'valid'],
  ['subsample', new PyTuple([1n, 1n])],
  ['filter_flip', true],
  ['filter_dilation', new PyTuple([1n, 1n])],
  ['num_groups', 1n],
  ['unshared', false],
];

export const conv2dGradWrtInputs: NativeFn = (args, kwargs, rt) =>
  gradInputs('conv2d_grad_wrt_inputs', bind('conv2d_grad_wrt_inputs', GRAD_INPUTS, args, kwargs), rt);

export const conv2dTranspose: NativeFn = (args, kwargs, rt) => {
  const a = bind(
    'conv2d_transpose',
    [
      ['input', REQUIRED],
      ['filters', REQUIRED],
      ['output_shape', REQUIRED],
      ['filter_shape', null],
      ['border_mode', 'valid'],
      ['input_dilation', new PyTuple([1n, 1n])],
      ['filter_flip', true],
      ['filter_dilation', new PyTuple([1n, 1n])],
      ['num_groups', 1n],
      ['unshared', false],
    ],
    args,
    kwargs,
  );
  const renamed = new Map(a);
  renamed.set('output_grad', a.get('input')!);
  renamed.set('input_shape', a.get('output_shape')!);
  renamed.set('subsample', a.get('input_dilation')!);
  return gradInputs('conv2d_transpose', renamed, rt);
};

/** AbstractConv2d_gradInputs(…)(filters, output_grad, shape): the op object Lasagne-era code builds. */
export const abstractConv2dGradInputs: NativeFn = (args, kwargs) => {
  const a = bind(
    'AbstractConv2d_gradInputs',
    [
      ['imshp', null],
      ['kshp', null],
      ['border_mode', 'valid'],
      ['subsample', new PyTuple([1n, 1n])],
      ['filter_flip', true],
      ['filter_dilation', new PyTuple([1n, 1n])],
      ['num_groups', 1n],
      ['unshared', false],
    ],
    args,
    kwargs,
  );
  return new PyBuiltin('AbstractConv2d_gradInputs', (callArgs, _kw, rt) => {
    if (callArgs.length !== 3) throw typeError('the op takes (filters, output_grad, shape)');
    const [filters, outputGrad, shape] = callArgs;
    const spatial = shape instanceof PyTuple || shape instanceof PyList ? shape.items : [];
    const op = new Map(a);
    op.set('filters', filters);
    op.set('output_grad', outputGrad);
    op.set('input_shape', new PyTuple([null, null, ...spatial]));
    return gradInputs('AbstractConv2d_gradInputs', op, rt);
  });
};

export const pool2d: NativeFn = (args, kwargs, rt) => {
  const a = bind(
    'pool_2d',
    [
      ['input', REQUIRED],
      ['ws', null],
      ['ignore_border', null],
      ['stride', null],
      ['pad', new PyTuple([0n, 0n])],
      ['mode', 'max'],
      ['ds', null],
      ['st', null],
      ['padding', null],
    ],
    args,
    kwargs,
  );
  const input = tensor(a.get('input')!, 'pool_2d input');
  const wsValue = a.get('ws') ?? a.get('ds');
  if (wsValue === null || wsValue === undefined) throw typeError("pool_2d() missing required argument: 'ws'");
  const ws = pair(wsValue, 'ws');
  const strideValue = a.get('stride') ?? a.get('st') ?? null;
  const stride = strideValue === null ? ws : pair(strideValue, 'stride');
  const pad = pair(a.get('padding') ?? a.get('pad')!, 'pad');
  const ignoreBorder = rt.truthy(a.get('ignore_border') ?? false);
  const mode = a.get('mode');
  const pool = mode === 'max' ? 'MAX' : mode === 'average_inc_pad' ? 'AVE' : undefined;
  if (!pool) {
    throw new PyError(
      'NotImplementedError',
      `pool_2d mode '${String(mode)}' has no Caffe equivalent`,
      undefined,
      "Caffe pools with 'max' or 'average_inc_pad' (AVE counts the padding)",
    );
  }
  if (!ignoreBorder && pad.some((p) => p !== 0)) throw new PyError('NotImplementedError', 'padding works only with ignore_border=True');
  if (!ignoreBorder && stride.some((s, i) => s > ws[i])) {
    throw new PyError(
      'NotImplementedError',
      'pool_2d with stride larger than ws and ignore_border=False has no Caffe equivalent',
      undefined,
      'pass ignore_border=True',
    );
  }
  const at = locOf(rt);
  return layerOp('Pooling', [input], 4, rt, (layer) => {
    const p = newMessage('PoolingParameter', at);
    p.pool = pool;
    const set = (single: string, h: string, w: string, v: [number, number], skip: number) => {
      if (v[0] === v[1]) {
        if (v[0] !== skip) p[single] = v[0];
      } else {
        p[h] = v[0];
        p[w] = v[1];
      }
    };
    set('kernel_size', 'kernel_h', 'kernel_w', ws, -1);
    set('stride', 'stride_h', 'stride_w', stride, 1);
    set('pad', 'pad_h', 'pad_w', pad, 0);
    // ignore_border=True drops partial windows (FLOOR); False keeps them, as Caffe's default CEIL does.
    if (ignoreBorder) p.round_mode = 'FLOOR';
    layer.pooling_param = p;
    const meta = metaOf(p)!;
    for (const f of Object.keys(p)) meta.fieldLocs.set(f, [at]);
  });
};

function elementwise(type: string, fill?: (layer: Msg, at: SourceLocation) => void): NativeFn {
  return (args, kwargs, rt) => {
    const name = type.toLowerCase();
    const x = tensor(args[0] ?? kwargs.get('x') ?? null, `${name} input`);
    const at = locOf(rt);
    return layerOp(type, [x], x.ndim, rt, fill ? (layer) => fill(layer, at) : undefined);
  };
}

export const relu: NativeFn = (args, kwargs, rt) => {
  const alpha = args[1] ?? kwargs.get('alpha') ?? 0n;
  const slope = Number(numeric(alpha) ?? 0);
  return elementwise(
    'ReLU',
    slope !== 0
      ? (layer, at) => {
          const p = newMessage('ReLUParameter', at);
          p.negative_slope = Math.fround(slope);
          layer.relu_param = p;
        }
      : undefined,
  )([args[0]], new Map(), rt);
};
export const sigmoid = elementwise('Sigmoid');
export const tanh = elementwise('TanH');
export const softmax = elementwise('Softmax');

/** tensor ∘ tensor, tensor ∘ number, tensor + channel bias. */
tensorArithmetic.apply = (op, left, right, reflected, rt) => {
  const at = () => locOf(rt, rt.pos);
  if (op.startsWith('unary')) {
    if (op !== 'unary-') return op === 'unary+' ? left : undefined;
    return layerOp('Power', [left], left.ndim, rt, (layer) => (layer.power_param = powerParam(-1, 0, at())));
  }
  if (op === '+' && (right instanceof BroadcastShared || right instanceof SharedVariable)) return addBias(left, right, rt);
  if (right instanceof TheanoVariable) {
    if (op !== '+' && op !== '-' && op !== '*') return undefined;
    const [a, b] = reflected ? [right, left] : [left, right];
    return layerOp('Eltwise', [a, b], a.ndim, rt, (layer) => {
      const p = newMessage('EltwiseParameter', at());
      p.operation = op === '*' ? 'PROD' : 'SUM';
      if (op === '-') p.coeff = [1, -1];
      layer.eltwise_param = p;
    });
  }
  const c = numeric(right);
  if (c === undefined) return undefined;
  const k = Number(c);
  let scale = 1;
  let shift = 0;
  if (op === '+') shift = k;
  else if (op === '-') [scale, shift] = reflected ? [-1, k] : [1, -k];
  else if (op === '*') scale = k;
  else if (op === '/' && !reflected) scale = 1 / k;
  else return undefined;
  return layerOp('Power', [left], left.ndim, rt, (layer) => (layer.power_param = powerParam(scale, shift, at())));
};

function powerParam(scale: number, shift: number, at: SourceLocation): Msg {
  const p = newMessage('PowerParameter', at);
  if (scale !== 1) p.scale = Math.fround(scale);
  if (shift !== 0) p.shift = Math.fround(shift);
  return p;
}

/** conv + b.dimshuffle('x', 0, 'x', 'x'): the convolution's own bias when it has none yet, else a Bias layer. */
function addBias(left: TheanoVariable, right: BroadcastShared | SharedVariable, rt: Runtime): PyValue {
  const shared = right instanceof BroadcastShared ? right.shared : right;
  if (right instanceof BroadcastShared && !right.isChannelBias) {
    throw new PyError(
      'NotImplementedError',
      `adding a shared value broadcast as (${right.pattern.map((p) => rt.repr(p)).join(', ')}) has no Caffe layer`,
      undefined,
      "a per-channel bias is b.dimshuffle('x', 0, 'x', 'x')",
    );
  }
  if (shared.shape.length !== 1) throw valueError(`a bias must be 1-D, not of shape (${shared.shape.join(', ')})`);
  const conv = convolutions.get(left.top.fn);
  if (conv) {
    if (shared.shape[0] !== conv.shape.numOutput)
      throw valueError(`the bias has ${shared.shape[0]} values for ${conv.shape.numOutput} channels`);
    // A new layer (the bias-free one stays as it was, for any other use of it).
    const fn = new LayerFunction(left.top.fn.layerType, [left.top.fn.inputs[0]], [], 1, false, left.top.fn.pos);
    const at = locOf(rt, left.top.fn.pos);
    fn.fill = (layer) => {
      layer.convolution_param = convolutionParam(conv.shape, true, at);
      metaOf(layer)!.fieldLocs.set('convolution_param', [at]);
    };
    fn.extension = conv.extension;
    return new TheanoVariable(fn.tops[0], 4);
  }
  const at = locOf(rt, rt.pos);
  return layerOp('Bias', [left], left.ndim, rt, (layer) => {
    const p = newMessage('BiasParameter', at);
    p.axis = 1;
    p.num_axes = 1;
    layer.bias_param = p;
  });
}

tensorArithmetic.flatten = (v, ndim, rt) => {
  if (ndim < 1 || ndim > v.ndim) throw valueError(`flatten(ndim=${ndim}) on a ${v.ndim}-D tensor`);
  const at = locOf(rt);
  return layerOp('Flatten', [v], ndim, rt, (layer) => {
    if (ndim === 2) return;
    const p = newMessage('FlattenParameter', at);
    p.axis = ndim - 1;
    layer.flatten_param = p;
  });
};
