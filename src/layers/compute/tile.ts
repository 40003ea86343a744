// Tile as Caffe's TileLayer::Forward_cpu: each block of the axes from `axis` on is written `tiles` times in a
// row. No kernels: it runs on the host (a plan host step).
import type { ForwardLayer } from '../layer-module.js';
import type { Tensor } from '../../runtime/tensor.js';
import { countOf } from '../../runtime/tensor.js';

export function tileForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const raw = Number(layer.typeParam.axis ?? 1);
  const axis = raw < 0 ? raw + x.shape.length : raw;
  const tiles = Number(layer.typeParam.tiles);
  const outer = countOf(x.shape, 0, axis);
  const inner = countOf(x.shape, axis);
  const out = new Float32Array(x.data.length * tiles);
  for (let o = 0; o < outer; o++) {
    const block = x.data.subarray(o * inner, (o + 1) * inner);
    for (let t = 0; t < tiles; t++) out.set(block, (o * tiles + t) * inner);
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}
