// Shapes are short and repeat: a big net has hundreds of thousands of blobs of a few dozen shapes, and
// every convolution the same few kernel/stride/pad lists. Keeping one frozen array per distinct list,
// shared by every blob, parameter blob and spatial op that has it, leaves a loaded net with a fraction
// of the objects, and the objects that outlive loading are most of the garbage collector's work.
import type { Shape, SpatialOp } from '../ir/layer-module.js';

/** A trie on the dimensions (or on the shapes of a list of shapes): looking a list up allocates nothing. */
interface Node<K, V> {
  value?: V;
  next?: Map<K, Node<K, V>>;
}

function find<K, V>(root: Node<K, V>, keys: readonly K[]): Node<K, V> {
  let node = root;
  for (let i = 0; i < keys.length; i++) {
    const next = (node.next ??= new Map());
    let child = next.get(keys[i]);
    if (child === undefined) {
      child = {};
      next.set(keys[i], child);
    }
    node = child;
  }
  return node;
}

export class ShapeTable {
  private readonly shapes: Node<number, Shape> = {};
  private readonly lists: Node<Shape, Shape[]> = {};

  /** The shared frozen array equal to `list` (a copy of the first one seen: the caller's stays its own). */
  intern(list: readonly number[]): Shape {
    const node = find(this.shapes, list);
    return (node.value ??= Object.freeze(list.slice()) as Shape);
  }

  /** The shared frozen list of shared shapes equal to `shapes` (a layer's parameter blobs). */
  internList(shapes: readonly (readonly number[])[]): Shape[] {
    const interned = shapes.map((s) => this.intern(s));
    const node = find(this.lists, interned);
    return (node.value ??= Object.freeze(interned) as Shape[]);
  }

  /** A spatial op whose per-axis lists are the shared ones. */
  internSpatial(op: SpatialOp): SpatialOp {
    switch (op.kind) {
      case 'identity':
        return op;
      case 'crop':
        return { kind: op.kind, firstAxis: op.firstAxis, offset: this.intern(op.offset) };
      default:
        return {
          kind: op.kind,
          firstAxis: op.firstAxis,
          kernel: this.intern(op.kernel),
          stride: this.intern(op.stride),
          pad: this.intern(op.pad),
          dilation: this.intern(op.dilation),
        };
    }
  }
}
