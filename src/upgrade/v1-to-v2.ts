// V1 layers (`layers { type: CONVOLUTION blobs_lr: 1 … }`) → V2 LayerParameter (UpgradeV1LayerParameter,
// docs/caffe-semantics.md#upgrades step 3): the type enum becomes a string, per-blob learning settings become ParamSpecs,
// and every `*_param` is carried over as it is. Source locations travel with the fields.
import { copyField, newMessage, setFieldLoc } from '../schema/build-message.js';
import { locOf, metaOf } from '../schema/message.js';
import type { LayerParameter, NetParameter, ParamSpec, V1LayerParameter } from '../schema/caffe-messages.generated.js';
import { V1_LAYER_TYPES } from './v1-layer-types.js';

// Fields copied verbatim (same name and meaning in V1LayerParameter and LayerParameter).
const COPIED = new Set(['bottom', 'top', 'name', 'include', 'exclude', 'blobs', 'loss_weight']);

export function upgradeV1Net(net: NetParameter): void {
  const v1Layers = net.layers;
  if (!v1Layers?.length) return;
  const upgraded = v1Layers.map(upgradeV1Layer);
  net.layer = upgraded;
  delete net.layers;
  const meta = metaOf(net);
  const locs = meta?.fieldLocs.get('layers');
  if (meta && locs) meta.fieldLocs.set('layer', locs);
}

function upgradeV1Layer(v1: V1LayerParameter): LayerParameter {
  const layer = newMessage('LayerParameter', locOf(v1));
  for (const field of Object.keys(v1)) {
    if (COPIED.has(field) || field.endsWith('_param')) copyField(v1, field, layer);
  }
  if (v1.type !== undefined) copyField(v1, 'type', layer, 'type', V1_LAYER_TYPES[v1.type] ?? '');
  else layer.type = '';

  // Per-blob settings, index by index, into ParamSpecs (padded up to the highest index given).
  const specs: ParamSpec[] = [];
  const spec = (i: number): ParamSpec => {
    while (specs.length <= i) specs.push(newMessage('ParamSpec', locOf(v1)));
    return specs[i];
  };
  const perBlob: [string, string][] = [
    ['param', 'name'],
    ['blob_share_mode', 'share_mode'],
    ['blobs_lr', 'lr_mult'],
    ['weight_decay', 'decay_mult'],
  ];
  for (const [v1Field, specField] of perBlob) {
    const values = v1[v1Field] as (string | number)[] | undefined;
    values?.forEach((value, i) => {
      spec(i)[specField] = value;
      setFieldLoc(spec(i), specField, locOf(v1, v1Field, i));
    });
  }
  if (specs.length) layer.param = specs;
  // Keep fork-specific unknown *_param fields deferred, exactly as on a V2 layer.
  const deferred = metaOf(v1)?.deferred;
  const meta = metaOf(layer);
  if (deferred && meta) meta.deferred = deferred;
  return layer;
}
