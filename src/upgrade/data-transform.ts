// Old V1 data layers kept their preprocessing (scale, mean_file, crop_size, mirror) in the data parameter
// message; Caffe moves it into transform_param (UpgradeNetDataTransformation, docs/caffe-semantics.md#upgrades step 2).
import { copyField, newMessage } from '../schema/build-message.js';
import { locOf, type Msg } from '../schema/message.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';

const DATA_PARAM_OF: Record<string, string> = {
  DATA: 'data_param',
  IMAGE_DATA: 'image_data_param',
  WINDOW_DATA: 'window_data_param',
};
const MOVED_FIELDS = ['scale', 'mean_file', 'crop_size', 'mirror'];

export function upgradeDataTransformation(net: NetParameter): void {
  for (const layer of net.layers ?? []) {
    const paramField = layer.type === undefined ? undefined : DATA_PARAM_OF[layer.type];
    const param = paramField ? (layer[paramField] as Msg | undefined) : undefined;
    if (!param || !MOVED_FIELDS.some((f) => param[f] !== undefined)) continue;
    const transform = layer.transform_param ?? newMessage('TransformationParameter', locOf(param));
    for (const field of MOVED_FIELDS) {
      if (param[field] === undefined) continue;
      copyField(param, field, transform);
      delete param[field];
    }
    layer.transform_param = transform;
  }
}
