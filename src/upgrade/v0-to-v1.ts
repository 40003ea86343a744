// V0 nets (`layers { layer { type: "conv" kernelsize: 5 … } bottom: … }`, Caffe before 2014) → V1
// (Caffe's UpgradeV0Net, docs/caffe-semantics.md#upgrades step 1): padding layers fold into the conv/pool they feed, V0
// type strings become V1 enums, and each flat V0 field moves into its type's parameter message.
// Source locations travel with every field, so later diagnostics still point into the V0 file.
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { copyField, newMessage, setFieldLoc } from '../schema/build-message.js';
import { locOf, metaOf, type Msg } from '../schema/message.js';
import type { NetParameter, V0LayerParameter, V1LayerParameter } from '../schema/caffe-messages.generated.js';
import { V0_COPIED, V0_FIELDS } from './v0-fields.js';
import { V0_LAYER_TYPES } from './v0-layer-types.js';

export function isV0Net(net: NetParameter): boolean {
  return (net.layers ?? []).some((l) => l.layer !== undefined);
}

export function upgradeV0Net(net: NetParameter): void {
  if (!isV0Net(net)) return;
  const diagnostics: Diagnostic[] = [];
  const connections = foldPaddingLayers(net.layers ?? [], net.input ?? [], diagnostics);
  const upgraded = connections.map((c) => upgradeV0Layer(c, diagnostics));
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  net.layers = upgraded;
}

/** A V1 `layers` entry and the V0 layer inside it, with the pad a folded padding layer hands on. */
interface Connection {
  outer: V1LayerParameter;
  v0: V0LayerParameter;
  bottom: string[];
  pad?: { value: number; from: Msg };
}

// UpgradeV0PaddingLayers: a "padding" layer disappears; the conv or pool reading its output reads its
// input instead, with the padding layer's pad. As there, every bottom must be a net input or an earlier
// layer's top: "Unknown blob input" otherwise (Caffe's message names the bottom's index; this one the layer).
function foldPaddingLayers(layers: V1LayerParameter[], netInputs: string[], diagnostics: Diagnostic[]): Connection[] {
  const producer = new Map<string, Connection>();
  const inputs = new Set(netInputs);
  const kept: Connection[] = [];
  const padding = new Set<Connection>();
  for (const outer of layers) {
    const v0 = outer.layer ?? {};
    const connection: Connection = { outer, v0, bottom: [...(outer.bottom ?? [])] };
    connection.bottom.forEach((name, j) => {
      const from = producer.get(name);
      if (!from && !inputs.has(name)) {
        const layerName = v0.name ?? outer.name;
        diagnostics.push(
          error(
            `Unknown blob input "${name}" to layer ${layerName === undefined ? `#${layers.indexOf(outer)}` : `"${layerName}"`} (bottom ${j}): no earlier layer produces it and it is not a net input`,
            locOf(outer, 'bottom', j),
          ),
        );
        return;
      }
      if (!from || !padding.has(from)) return;
      const type = v0.type;
      if (type !== 'conv' && type !== 'pool') {
        diagnostics.push(
          error(`Padding layer input to non-convolutional / non-pooling layer type ${type ?? '(none)'}`, locOf(outer, 'bottom', j)),
        );
        return;
      }
      const fromBottoms = from.outer.bottom ?? [];
      if (fromBottoms.length !== 1 || (from.outer.top ?? []).length !== 1) {
        diagnostics.push(error('a padding layer must have exactly one bottom and one top', locOf(from.outer)));
        return;
      }
      connection.bottom[j] = fromBottoms[0];
      connection.pad = { value: Number(from.v0.pad ?? 0), from: from.v0 };
    });
    for (const top of outer.top ?? []) producer.set(top, connection);
    if (v0.type === 'padding') padding.add(connection);
    else kept.push(connection);
  }
  return kept;
}

function upgradeV0Layer(c: Connection, diagnostics: Diagnostic[]): V1LayerParameter {
  const { outer, v0 } = c;
  const v1 = newMessage('V1LayerParameter', locOf(outer));
  copyField(outer, 'bottom', v1, 'bottom', c.bottom);
  copyField(outer, 'top', v1);
  if (!v0.type && outer.type !== undefined) copyField(outer, 'type', v1); // a V1 layer in a V0 net
  const type = v0.type;
  if (type !== undefined) {
    const v1Type = V0_LAYER_TYPES[type];
    if (!v1Type) {
      diagnostics.push(
        error(`Unknown layer name: ${type}`, locOf(v0, 'type'), `V0 layer types: ${Object.keys(V0_LAYER_TYPES).join(', ')}`),
      );
      return v1;
    }
    copyField(v0, 'type', v1, 'type', v1Type);
  }
  for (const field of ['name', 'blobs', 'blobs_lr', 'weight_decay']) copyField(v0, field, v1);

  const fields = Object.keys(v0).filter((f) => !V0_COPIED.has(f) && v0[f] !== undefined);
  if (c.pad && !fields.includes('pad')) fields.push('pad');
  for (const field of fields) {
    const value = field === 'pad' && c.pad ? c.pad.value : v0[field];
    const from = field === 'pad' && c.pad ? c.pad.from : v0;
    const target = type !== undefined ? V0_FIELDS[field]?.[type] : undefined;
    if (!target) {
      diagnostics.push(error(`Unknown parameter ${field} for layer type ${type ?? '(none)'}`, locOf(from, field)));
      continue;
    }
    if (target.field === '') {
      copyField(from, field, v1, target.param, value); // a whole message carried over (hdf5_output_param)
      continue;
    }
    const param = (v1[target.param] as Msg | undefined) ?? newMessage(paramType(target.param), locOf(from, field));
    v1[target.param] = param;
    param[target.field] = target.repeated ? [value as number] : value;
    setFieldLoc(param, target.field, locOf(from, field));
  }
  const deferred = metaOf(outer)?.deferred;
  if (deferred) metaOf(v1)!.deferred = deferred;
  return v1;
}

// The message type behind a V1 `*_param` field, from the schema.
function paramType(field: string): string {
  const type = metaOf(newMessage('V1LayerParameter'))!.type.fields[field];
  return type.resolvedType?.name ?? type.type;
}
