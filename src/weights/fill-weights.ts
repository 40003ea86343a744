// Parameters from the prototxt's fillers, for running a net without a weights file (or for the layers a file
// lacks). Deterministic for a seed: blob j of layer L draws from the stream "L/j" (prng.ts). Shared blobs
// (ParamSpec names) are filled once, by their owner, and every sharing layer gets that same array.
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import { fill } from './fillers.js';
import { paramBlobSpecs } from './layer-param-fillers.js';
import { Rng } from './prng.js';
import { storageKeys, type StorageKey } from './shared-params.js';
import { weightTargets } from './weight-targets.js';

/** Parameter blobs by layer name, in Caffe's blobs_ order and layout (`layer.paramShapes`). */
export type WeightMap = Map<string, Float32Array[]>;

/** Fills the blob that `layer`'s blob `j` owns. */
export function fillBlob(layer: Layer, j: number, seed: number): Float32Array {
  const spec = paramBlobSpecs(layer)[j];
  return fill(layer.paramShapes[j], spec.filler, new Rng(seed, `${layer.name}/${j}`));
}

/** Gives every layer with parameters its arrays: from `given` (storage key → values) where present, else its filler. */
export function assembleWeights(layers: readonly Layer[], given: Map<StorageKey, Float32Array>, seed: number): WeightMap {
  const keys = storageKeys(layers);
  const storage = new Map(given);
  const diagnostics: Diagnostic[] = [];
  const params: WeightMap = new Map();
  for (const layer of layers) {
    const arrays = (keys.get(layer) ?? []).map((key, j) => {
      let values = storage.get(key);
      if (!values) {
        // Owners come first in net order, so a key still empty here is this layer's own blob.
        try {
          values = fillBlob(layer, j, seed);
        } catch (e) {
          if (!(e instanceof DiagnosticError)) throw e;
          diagnostics.push(...e.diagnostics);
          values = new Float32Array(0);
        }
        storage.set(key, values);
      }
      return values;
    });
    params.set(layer.name, arrays);
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  return params;
}

/** Every parameter blob of the net from its filler, seeded. */
export function fillWeights(net: Net, seed = 0): WeightMap {
  return assembleWeights(weightTargets(net).withParams, new Map(), seed);
}
