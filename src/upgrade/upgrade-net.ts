// Caffe's UpgradeNetAsNeeded, in its order (docs/caffe-semantics.md#upgrades). Works in place on a typed NetParameter.
import type { NetParameter } from '../schema/caffe-messages.generated.js';
import { upgradeBatchNormParams } from './batch-norm-params.js';
import { upgradeDataTransformation } from './data-transform.js';
import { upgradeInputFields } from './input-layer.js';
import { rejectMixedLayers } from './reject-mixed-layers.js';
import { upgradeV0Net } from './v0-to-v1.js';
import { upgradeV1Net } from './v1-to-v2.js';

export function upgradeNet(net: NetParameter): NetParameter {
  upgradeV0Net(net);
  upgradeDataTransformation(net);
  rejectMixedLayers(net);
  upgradeV1Net(net);
  upgradeInputFields(net);
  upgradeBatchNormParams(net);
  return net;
}
