// Parameter sharing (docs/caffe-semantics.md#parameter-blobs): a ParamSpec with a name shares one blob among every layer that names
// it; the first (layer, index) with the name owns it. Caffe's sharing layers point at the owner's memory, so
// weights copied into any of them, or filled into the owner, are what all of them use. This gives each
// (layer, blob) the key of the storage it really uses.
import type { Layer } from '../ir/layer.js';

export type StorageKey = string;

export function storageKeys(layers: readonly Layer[]): Map<Layer, StorageKey[]> {
  const owners = new Map<string, StorageKey>();
  const keys = new Map<Layer, StorageKey[]>();
  for (const layer of layers) {
    const specs = layer.proto.param ?? [];
    keys.set(
      layer,
      layer.paramShapes.map((_, j) => {
        const own = `${layer.index}/${j}`;
        const name = specs[j]?.name as string | undefined;
        if (!name) return own;
        const owner = owners.get(name);
        if (owner !== undefined) return owner;
        owners.set(name, own);
        return own;
      }),
    );
  }
  return keys;
}
