// V0 nets (Caffe before 2014: `layers { layer { type: "conv" … } }`) are recognised and refused with a
// located diagnostic instead of being misread. Caffe would upgrade them (REFERENCE §3.6 step 1); brewnet
// asks the user to run Caffe's own upgrade tool once, since no V0 model has been published in years.
import { fail } from '../diagnostics/diagnostic.js';
import { locOf, type Msg } from '../schema/message.js';

export function rejectV0(net: Msg): void {
  const layers = (net.layers as Msg[] | undefined) ?? [];
  const v0 = layers.find((l) => l.layer !== undefined);
  if (!v0) return;
  fail(
    'V0 format is not supported: this net nests V0 `layer { … }` messages inside `layers`',
    locOf(v0, 'layer'),
    'convert it once with Caffe\'s tool: upgrade_net_proto_text old.prototxt new.prototxt',
  );
}
