// Old BatchNorm layers listed three ParamSpecs to freeze the statistics blobs; Caffe now forces
// lr_mult 0 and decay_mult 0 on all three (UpgradeNetBatchNorm, docs/caffe-semantics.md#upgrades step 5).
import type { NetParameter } from '../schema/caffe-messages.generated.js';

export function upgradeBatchNormParams(net: NetParameter): void {
  for (const layer of net.layer ?? []) {
    const specs = layer.param;
    if (layer.type !== 'BatchNorm' || specs?.length !== 3) continue;
    for (const spec of specs) {
      spec.lr_mult = 0;
      spec.decay_mult = 0;
    }
  }
}
