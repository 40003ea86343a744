// The theano package as net scripts import it: theano.shared, theano.function, theano.config.floatX,
// theano.tensor (T.tensor4 and friends, T.tanh, T.nnet.*), theano.tensor.nnet (conv2d, conv2d_transpose,
// relu, sigmoid, softmax, abstract_conv), theano.tensor.signal.pool (pool_2d). A compiled function is
// the net of its outputs; running it is Theano's business, not brewnet's.
import type { Msg } from '../../../schema/message.js';
import { LayerFunction } from '../caffe/net-spec.js';
import { PyError, typeError } from '../errors.js';
import { builtin, moduleOf, type ModuleFactory } from '../modules.js';
import { netConverters } from '../net-values.js';
import { ShapeArray } from '../numpy-module.js';
import { HostObject, PyList, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import {
  abstractConv2dGradInputs,
  conv2d,
  conv2dGradWrtInputs,
  conv2dTranspose,
  pool2d,
  relu,
  sigmoid,
  softmax,
  tanh,
} from './theano-ops.js';
import { SharedVariable, theanoNet, TheanoVariable } from './tensors.js';

/** T.tensor4('x') and friends: a net input, shaped by --input x=…. */
function tensorType(rank: number) {
  return builtin(`tensor${rank}`, (args, kwargs, rt) => {
    const name = args[0] ?? kwargs.get('name') ?? null;
    if (name !== null && typeof name !== 'string') throw typeError(`a tensor's name must be a str, not ${typeName(name)}`);
    const fn = new LayerFunction('Input', [], [], 1, false, rt.callSite?.pos ?? rt.pos);
    return new TheanoVariable(fn.tops[0], rank, name ?? undefined);
  });
}

function sharedShape(value: PyValue): number[] {
  if (value instanceof ShapeArray) return value.shape;
  if (typeof value === 'number' || typeof value === 'bigint') return [];
  if (value instanceof PyList || value instanceof PyTuple)
    return value.items.length ? [value.items.length, ...sharedShape(value.items[0])] : [0];
  throw typeError(`theano.shared needs an array, not ${typeName(value)}`);
}

/** theano.function(inputs, outputs): the net that computes the outputs. */
export class TheanoFunction extends HostObject {
  readonly typeName = 'Function';
  constructor(readonly outputs: TheanoVariable[]) {
    super();
  }
  override call(): PyValue {
    throw new PyError(
      'NotImplementedError',
      'a theano function runs on data; brewnet reads its graph only',
      undefined,
      'use brewnet run on the converted net to compute it',
    );
  }
}

function outputsOf(v: PyValue): TheanoVariable[] {
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : [v];
  return items.map((x, i) => {
    if (!(x instanceof TheanoVariable)) throw typeError(`theano.function outputs[${i}] must be a tensor, not ${typeName(x)}`);
    return x;
  });
}

netConverters.push((value: PyValue, rt: Runtime, wholeNetsOnly: boolean): Msg | undefined => {
  if (value instanceof TheanoFunction) return theanoNet(value.outputs, rt);
  if (value instanceof TheanoVariable && !wholeNetsOnly) return theanoNet([value], rt);
  return undefined;
});

class Config extends HostObject {
  readonly typeName = 'TheanoConfigParser';
  override getAttr(name: string): PyValue | undefined {
    if (name === 'floatX') return 'float32';
    if (name === 'device') return 'cpu';
    return undefined;
  }
  override setAttr(): boolean {
    return true;
  }
}

const nnetEntries = (): [string, PyValue][] => [
  ['conv2d', builtin('conv2d', conv2d)],
  ['conv2d_transpose', builtin('conv2d_transpose', conv2dTranspose)],
  ['relu', builtin('relu', relu)],
  ['sigmoid', builtin('sigmoid', sigmoid)],
  ['softmax', builtin('softmax', softmax)],
];

export const theanoModules: [string, ModuleFactory][] = [
  [
    'theano',
    (rt, modules) =>
      moduleOf('theano', [
        [
          'shared',
          builtin('shared', (args, kwargs) => {
            const value = args[0] ?? kwargs.get('value');
            if (value === undefined) throw typeError("shared() missing required argument: 'value'");
            const name = args[1] ?? kwargs.get('name') ?? null;
            return new SharedVariable(sharedShape(value), typeof name === 'string' ? name : undefined);
          }),
        ],
        ['function', builtin('function', (args, kwargs) => new TheanoFunction(outputsOf(args[1] ?? kwargs.get('outputs') ?? null)))],
        ['config', new Config()],
        ['tensor', modules.import('theano.tensor', rt)],
      ]),
  ],
  [
    'theano.tensor',
    (rt, modules) =>
      moduleOf('theano.tensor', [
        ['tensor4', tensorType(4)],
        ['ftensor4', tensorType(4)],
        ['dtensor4', tensorType(4)],
        ['tensor3', tensorType(3)],
        ['matrix', tensorType(2)],
        ['fmatrix', tensorType(2)],
        ['tanh', builtin('tanh', tanh)],
        ['nnet', modules.import('theano.tensor.nnet', rt)],
        ['signal', modules.import('theano.tensor.signal', rt)],
      ]),
  ],
  [
    'theano.tensor.nnet',
    (rt, modules) =>
      moduleOf('theano.tensor.nnet', [...nnetEntries(), ['abstract_conv', modules.import('theano.tensor.nnet.abstract_conv', rt)]]),
  ],
  [
    'theano.tensor.nnet.abstract_conv',
    () =>
      moduleOf('theano.tensor.nnet.abstract_conv', [
        ['conv2d_grad_wrt_inputs', builtin('conv2d_grad_wrt_inputs', conv2dGradWrtInputs)],
        ['conv2d', builtin('conv2d', conv2d)],
        ['AbstractConv2d_gradInputs', builtin('AbstractConv2d_gradInputs', abstractConv2dGradInputs)],
      ]),
  ],
  ['theano.tensor.signal', (rt, modules) => moduleOf('theano.tensor.signal', [['pool', modules.import('theano.tensor.signal.pool', rt)]])],
  ['theano.tensor.signal.pool', () => moduleOf('theano.tensor.signal.pool', [['pool_2d', builtin('pool_2d', pool2d)]])],
];
