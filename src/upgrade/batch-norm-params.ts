// Old BatchNorm layers listed three ParamSpecs to freeze the statistics blobs; Caffe now forces
// lr_mult 0 and decay_mult 0 on all three (UpgradeNetBatchNorm, docs/caffe-semantics.md#upgrades step 5).
import type { Msg } from '../schema/message.js';

export function upgradeBatchNormParams(net: Msg): void {
  for (const layer of (net.layer as Msg[] | undefined) ?? []) {
    const specs = layer.param as Msg[] | undefined;
    if (layer.type !== 'BatchNorm' || specs?.length !== 3) continue;
    for (const spec of specs) {
      spec.lr_mult = 0;
      spec.decay_mult = 0;
    }
  }
}
