// Caffe's AppendBottom/AppendTop (docs/caffe-semantics.md#blobs-and-in-place), in file order: a bottom must name a blob produced
// earlier; a top may reuse a name only in place (same name at the same index, for layers that allow it),
// which makes a new version of that blob; any other reuse is an error. Loss layers get anonymous tops.
// Caffe would also insert Split layers where a blob has several consumers; the IR keeps the consumer
// list instead, which is what that transformation means, and checks the one case where it changes the
// outcome (an in-place layer after another reader of the same blob).
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { Blob } from '../ir/blob.js';
import { Layer } from '../ir/layer.js';
import type { BlobCount, LayerModule } from '../ir/layer-module.js';
import { layerModule } from '../layers/registry.js';
import { locOf } from '../schema/message.js';
import type { LayerParameter } from '../schema/caffe-messages.generated.js';

export interface Connected {
  layers: Layer[];
  blobVersions: Blob[];
}

/** `extra`: modules for types outside the registry (the opaque layers of --allow-unknown). */
export function connectBlobs(protos: readonly LayerParameter[], extra?: ReadonlyMap<string, LayerModule>): Connected {
  const diagnostics: Diagnostic[] = [];
  const current = new Map<string, Blob>();
  const layers: Layer[] = [];
  const blobVersions: Blob[] = [];

  for (const proto of protos) {
    const type = proto.type ?? '';
    const module = (layerModule(type) ?? extra?.get(type))!;
    const layer = new Layer(layers.length, proto, module);
    layers.push(layer);
    const bottomNames = proto.bottom ?? [];
    const topNames = proto.top ?? [];
    const countError = checkBlobCounts(module, bottomNames.length, topNames.length);
    if (countError) diagnostics.push(error(`layer "${layer.name}": ${countError}`, locOf(proto)));

    // Plain loops, no closure per layer: this runs for each of a big net's hundreds of thousands.
    const bottoms: Blob[] = [];
    for (let i = 0; i < bottomNames.length; i++) {
      const name = bottomNames[i];
      const blob = current.get(name);
      if (blob) bottoms.push(blob);
      else {
        diagnostics.push(
          error(
            `Unknown bottom blob '${name}' (layer '${layer.name}', bottom index ${i})`,
            locOf(proto, 'bottom', i),
            didYouMean(name, [...current.keys()]),
          ),
        );
      }
    }
    layer.bottoms = producersTops(bottoms) ?? exact(bottoms);
    // Connect consumers only once every bottom resolved, so the graph never holds a half-connected layer.
    if (bottoms.length === bottomNames.length) for (const b of bottoms) b.addConsumer(layer);

    const tops: Blob[] = [];
    for (let i = 0; i < topNames.length; i++) {
      const name = topNames[i];
      const previous = current.get(name);
      const problem = previous && topProblem(layer, module, name, i, bottomNames, previous);
      if (problem) {
        diagnostics.push(problem);
        continue;
      }
      // An in-place version keeps the first version's name string: isInPlace then compares it at once.
      const blob = previous ? new Blob(previous.name, previous.version + 1, layer) : new Blob(name, 0, layer);
      tops.push(blob);
      blobVersions.push(blob);
      current.set(name, blob);
    }

    // Loss layers create the tops the file left out; nothing can read them.
    if (module.loss) {
      const needed = Math.max(module.tops.min, module.tops.max === module.tops.min ? module.tops.max : 0);
      for (let i = topNames.length; i < needed; i++) {
        const blob = new Blob('(automatic)', 0, layer, true);
        tops.push(blob);
        blobVersions.push(blob);
      }
    }
    layer.tops = exact(tops);
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  return { layers, blobVersions };
}

/** Why top `i` may not reuse the name of the earlier blob `previous` (undefined: it may, in place). */
function topProblem(
  layer: Layer,
  module: LayerModule,
  name: string,
  i: number,
  bottomNames: readonly string[],
  previous: Blob,
): Diagnostic | undefined {
  const proto = layer.proto;
  if (bottomNames[i] !== name) {
    const where = previous.producer;
    return error(
      `Top blob '${name}' produced by multiple sources.`,
      locOf(proto, 'top', i),
      bottomNames.includes(name)
        ? `in-place computation needs the same name at the same index: "${name}" is bottom[${bottomNames.indexOf(name)}] but top[${i}]`
        : `"${name}" is already produced by layer "${where.name}"${lineOf(where)}; give this top a new name`,
    );
  }
  if (!module.inPlace) {
    return error(
      `layer "${layer.name}" (${layer.type}) does not allow in-place computation (top "${name}" is also its bottom)`,
      locOf(proto, 'top', i),
      'give the top a new name',
    );
  }
  const other = previous.otherConsumer(layer);
  if (other) {
    // Caffe's split insertion renames this bottom, so the top no longer matches it.
    return error(
      `Top blob '${name}' produced by multiple sources.`,
      locOf(proto, 'top', i),
      `layer "${other.name}"${lineOf(other)} already read "${name}", so Caffe splits it and this layer can no longer work in place; give the top a new name`,
    );
  }
  return undefined;
}

/**
 * The list of tops of the layer that produced `bottoms`, when it is exactly `bottoms` (a chain: BatchNorm
 * after Convolution, ReLU after Scale): then the two layers share one list, which neither changes.
 */
function producersTops(bottoms: readonly Blob[]): Blob[] | undefined {
  if (bottoms.length === 0) return undefined;
  const tops = bottoms[0].producer.tops;
  if (tops.length !== bottoms.length) return undefined;
  for (let i = 0; i < tops.length; i++) if (tops[i] !== bottoms[i]) return undefined;
  return tops;
}

/**
 * A copy that holds exactly its elements: an array grown by push keeps room for 17, and a big net has
 * hundreds of thousands of these lists (the copy made here dies young, which is cheap).
 */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

function lineOf(layer: Layer): string {
  return layer.loc ? ` (line ${layer.loc.line})` : '';
}

// Caffe's Layer::CheckBlobCounts, with its messages. Loss layers may leave tops out (AutoTopBlobs).
function checkBlobCounts(module: LayerModule, bottoms: number, tops: number): string | undefined {
  const type = module.type;
  const bottom = describe(module.bottoms, bottoms);
  if (bottom) return `${type} Layer takes ${bottom} bottom blob(s) as input (found ${bottoms}).`;
  const topCount = module.loss ? Math.max(tops, module.tops.min) : tops;
  const top = describe(module.tops, topCount);
  if (top) return `${type} Layer produces ${top} top blob(s) as output (found ${tops}).`;
  if (module.equalBottomTop && bottoms !== tops) {
    return `${type} Layer produces one top blob as output for each bottom blob input (found ${bottoms} bottoms, ${tops} tops).`;
  }
  return undefined;
}

function describe(expected: BlobCount, actual: number): string | undefined {
  if (expected.min === expected.max) return actual === expected.min ? undefined : `${expected.min}`;
  if (actual < expected.min) return `at least ${expected.min}`;
  if (actual > expected.max) return `at most ${expected.max}`;
  return undefined;
}
