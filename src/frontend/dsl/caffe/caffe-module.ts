// The `caffe` package as net scripts import it: caffe.NetSpec, caffe.layers (L), caffe.params (P),
// caffe.to_proto, caffe.TRAIN/TEST, caffe.coord_map (crop, coord_map_from_to), caffe.proto.caffe_pb2
// (message classes and enum values). caffe.Net and the solvers run Caffe itself and are refused.
import type protobuf from 'protobufjs';
import { caffeRoot } from '../../../schema/caffe-schema.js';
import { pyError } from '../errors.js';
import { builtin, moduleOf, type ModuleFactory } from '../modules.js';
import type { PyValue } from '../values.js';
import { coordMapFromToBuiltin, cropBuiltin } from './coord-map.js';
import { MessageClass } from './message-proxy.js';
import { allMessages, LayersNamespace, LayerTop, NetSpecObject, ParamsNamespace, topsToProto } from './net-spec.js';

const netSpecConstructor = builtin('NetSpec', () => new NetSpecObject());

const toProto = builtin('to_proto', (args, _kw, rt) => {
  const tops = args.map((a, i) => {
    if (!(a instanceof LayerTop)) throw pyError('TypeError', `to_proto() argument ${i + 1} must be a Top, not ${rt.repr(a)}`);
    return a;
  });
  return topsToProto(tops, rt);
});

function runsCaffe(name: string): PyValue {
  return builtin(name, () => {
    throw pyError(
      'NotImplementedError',
      `caffe.${name} runs Caffe itself; brewnet reads the net's definition only`,
      'build the net with NetSpec and return or write it',
    );
  });
}

const noOp = (name: string) => builtin(name, () => null);

export const caffeModules: [string, ModuleFactory][] = [
  [
    'caffe',
    (rt, modules) =>
      moduleOf('caffe', [
        ['NetSpec', netSpecConstructor],
        ['layers', new LayersNamespace()],
        ['params', new ParamsNamespace()],
        ['to_proto', toProto],
        ['TRAIN', 0n],
        ['TEST', 1n],
        ['proto', modules.import('caffe.proto', rt)],
        ['coord_map', modules.import('caffe.coord_map', rt)],
        ['net_spec', modules.import('caffe.net_spec', rt)],
        ['Net', runsCaffe('Net')],
        ['Classifier', runsCaffe('Classifier')],
        ['Detector', runsCaffe('Detector')],
        ['SGDSolver', runsCaffe('SGDSolver')],
        ['get_solver', runsCaffe('get_solver')],
        ['set_mode_cpu', noOp('set_mode_cpu')],
        ['set_mode_gpu', noOp('set_mode_gpu')],
        ['set_device', noOp('set_device')],
      ]),
  ],
  [
    'caffe.net_spec',
    () =>
      moduleOf('caffe.net_spec', [
        ['NetSpec', netSpecConstructor],
        ['layers', new LayersNamespace()],
        ['params', new ParamsNamespace()],
        ['to_proto', toProto],
      ]),
  ],
  [
    'caffe.coord_map',
    () =>
      moduleOf('caffe.coord_map', [
        ['crop', cropBuiltin],
        ['coord_map_from_to', coordMapFromToBuiltin],
      ]),
  ],
  ['caffe.proto', (rt, modules) => moduleOf('caffe.proto', [['caffe_pb2', modules.import('caffe.proto.caffe_pb2', rt)]])],
  ['caffe.proto.caffe_pb2', () => moduleOf('caffe_pb2', caffePb2Entries())],
];

function caffePb2Entries(): [string, PyValue][] {
  const entries: [string, PyValue][] = allMessages().map((m) => [m.name, new MessageClass(m)]);
  // Top-level enums' values (Phase: TRAIN, TEST) are module attributes in generated Python code.
  const ns = caffeRoot().lookup('caffe') as protobuf.Namespace;
  for (const nested of ns.nestedArray) {
    const en = nested as protobuf.Enum;
    if (!('fieldsArray' in nested) && en.values) for (const [k, v] of Object.entries(en.values)) entries.push([k, BigInt(v)]);
  }
  return entries;
}
