// A net with both `layer` (V2) and `layers` (V1) entries is ambiguous; Caffe refuses to upgrade it.
import { fail } from '../diagnostics/diagnostic.js';
import { locOf } from '../schema/message.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';

export function rejectMixedLayers(net: NetParameter): void {
  const v1 = net.layers;
  const v2 = net.layer;
  if (!v1?.length || !v2?.length) return;
  fail(
    "Refusing to upgrade inconsistent NetParameter input; the definition includes both 'layer' and 'layers' fields",
    locOf(net, 'layers'),
    'use `layer { type: "…" }` (V2) for every layer, or `layers { type: ENUM }` (V1) for every layer',
  );
}
