// Net-level `input:` + `input_dim:`/`input_shape` headers become one Input layer named "input" at the
// front of the net (UpgradeNetInput, docs/caffe-semantics.md#upgrades step 4). With neither dims nor shapes (a legacy
// caffemodel) Caffe drops the inputs; a prototxt like that then asks for the shapes with --input.
import { fail } from '../diagnostics/diagnostic.js';
import { newMessage, setFieldLoc } from '../schema/build-message.js';
import { locOf, metaOf } from '../schema/message.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';

export function upgradeInputFields(net: NetParameter): void {
  const names = net.input;
  if (!names?.length) return;
  const dims = net.input_dim ?? [];
  const shapes = net.input_shape ?? [];
  const where = locOf(net, 'input');
  if (shapes.length || dims.length) {
    if (shapes.length && shapes.length !== names.length) {
      fail(`${names.length} inputs but ${shapes.length} input_shape entries; give one input_shape per input`, locOf(net, 'input_shape'));
    }
    if (!shapes.length && dims.length !== 4 * names.length) {
      fail(
        `${names.length} input(s) need ${4 * names.length} input_dim values (N, C, H, W each), found ${dims.length}`,
        locOf(net, 'input_dim'),
      );
    }
    const layer = newMessage('LayerParameter', where);
    layer.name = 'input';
    layer.type = 'Input';
    layer.top = [...names];
    setFieldLoc(layer, 'top', where);
    const param = newMessage('InputParameter', where);
    param.shape = names.map((_, i) => {
      if (shapes.length) return shapes[i];
      const shape = newMessage('BlobShape', locOf(net, 'input_dim', 4 * i));
      shape.dim = dims.slice(4 * i, 4 * i + 4);
      // Each dim keeps the line of its own input_dim, so a bad one is reported there.
      const dimLocs = metaOf(net)
        ?.fieldLocs.get('input_dim')
        ?.slice(4 * i, 4 * i + 4);
      if (dimLocs?.length) metaOf(shape)!.fieldLocs.set('dim', dimLocs);
      return shape;
    });
    layer.input_param = param;
    // concat, not a spread: a spread walks a big net's thousands of layers through the iterator protocol.
    net.layer = [layer].concat(net.layer ?? []);
  }
  delete net.input;
  delete net.input_dim;
  delete net.input_shape;
}
