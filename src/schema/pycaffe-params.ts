// Where pycaffe puts a layer keyword argument (docs/caffe-semantics.md#netspec-keywords): names ending in "param" go to the
// LayerParameter; others go to the type's own *_param message when it has such a field, else to the
// LayerParameter. The type → *_param table is built, as net_spec.py builds it, from the LayerParameter
// descriptor: every `*_param` field maps its message name minus "Parameter" to the field.
import type protobuf from 'protobufjs';
import { messageType } from './caffe-schema.js';

let paramFields: Map<string, string> | undefined;

/** Layer type → its `*_param` field (Convolution → convolution_param, Loss → loss_param, …). */
export function paramFieldOfType(): ReadonlyMap<string, string> {
  if (!paramFields) {
    paramFields = new Map();
    for (const field of messageType('LayerParameter').fieldsArray) {
      if (!field.name.endsWith('_param') || !field.resolvedType) continue;
      paramFields.set(field.resolvedType.name.replace(/Parameter$/, ''), field.name);
    }
  }
  return paramFields;
}

/**
 * Fields that layer types without a message of their own are conventionally given through another
 * one; pycaffe cannot serialise them as bare keywords, so the error says where they belong.
 */
export const BORROWED_PARAM: Record<string, string[]> = {
  Deconvolution: ['convolution_param'],
  Im2col: ['convolution_param'],
  SoftmaxWithLoss: ['loss_param', 'softmax_param'],
  SigmoidCrossEntropyLoss: ['loss_param'],
  EuclideanLoss: ['loss_param'],
  MultinomialLogisticLoss: ['loss_param'],
  RNN: ['recurrent_param'],
  LSTM: ['recurrent_param'],
};

export type Route =
  | { to: 'layer'; field: protobuf.Field }
  | { to: 'typeParam'; paramField: string; field: protobuf.Field }
  | { to: 'nowhere'; borrowedFrom?: string; candidates: string[] };

export function ownField(type: protobuf.Type, name: string): protobuf.Field | undefined {
  return Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
}

/** Where keyword `name` of `L.<typeName>(…)` goes, exactly as pycaffe's Function._to_proto decides. */
export function routeKeyword(typeName: string, name: string): Route {
  const layer = messageType('LayerParameter');
  if (!name.endsWith('param')) {
    const paramField = paramFieldOfType().get(typeName);
    if (paramField) {
      const paramType = ownField(layer, paramField)!.resolvedType as protobuf.Type;
      const field = ownField(paramType, name);
      if (field) return { to: 'typeParam', paramField, field };
    }
  }
  const field = ownField(layer, name);
  if (field) return { to: 'layer', field };
  const paramField = paramFieldOfType().get(typeName);
  const own = paramField ? Object.keys((ownField(layer, paramField)!.resolvedType as protobuf.Type).fields) : [];
  const borrowed = (BORROWED_PARAM[typeName] ?? []).find((p) => ownField(ownField(layer, p)!.resolvedType as protobuf.Type, name));
  return { to: 'nowhere', borrowedFrom: borrowed, candidates: [...own, ...Object.keys(layer.fields), 'ntop', 'in_place'] };
}
