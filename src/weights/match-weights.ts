// Weights from a .caffemodel matched to a net as Caffe's Net::CopyTrainedLayersFrom does (docs/caffe-semantics.md#blobs-and-in-place):
// each file layer goes to the first net layer of the same name, its blob count must equal the layer's, and
// every blob must pass Blob::ShapeEquals (legacy 4-D shapes compared from the end). A name repeated in the
// file is copied again, so the last copy wins. Unlike Caffe, which keeps the fillers' values for net layers
// the file lacks, brewnet calls that an error listing them all, unless `allowMissing` (then fillers, seeded).
// File layers the net does not have are ignored, as in Caffe, with one warning naming those that carry blobs.
import { DiagnosticError, error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/suggest.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import { showShape } from '../layers/blob-checks.js';
import { blobShapeEquals, showBlobShape } from './blob-shape-rule.js';
import { assembleWeights, type WeightMap } from './fill-weights.js';
import { paramBlobSpecs } from './layer-param-fillers.js';
import { readCaffemodel, type WeightLayer } from './read-caffemodel.js';
import { storageKeys, type StorageKey } from './shared-params.js';
import { weightTargets } from './weight-targets.js';

export interface LoadWeightsOptions {
  /** Fill the net's layers that the file lacks from their fillers instead of failing. */
  allowMissing?: boolean;
  /** Seed for those fillers (default 0). */
  seed?: number;
  /** Name of the weights in messages; defaults to the path, or "<weights>" for a buffer. */
  file?: string;
  /** Progress bar on stderr: default on a terminal for files of 50 MB or more. */
  progress?: boolean;
}

export interface LoadedWeights {
  /** Every layer with parameters → its blobs, in Caffe's blobs_ order and layout (`layer.paramShapes`). */
  params: WeightMap;
  /** Extra layers in the file, repeated layers, layers filled from fillers. */
  warnings: Diagnostic[];
}

const RENAME_HINT =
  "to learn this layer's parameters from scratch instead of copying them, rename the layer (with --allow-missing-weights its fillers then initialise it)";
const ALLOW_MISSING = '--allow-missing-weights (allowMissing in the API) fills them from their fillers';

function roles(layer: Layer): string[] {
  try {
    return paramBlobSpecs(layer).map((s) => s.role);
  } catch {
    return layer.paramShapes.map((_, j) => `blob ${j}`);
  }
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** The problems of copying file layer `source` into `layer`; none means every blob can be copied. */
function checkLayer(layer: Layer, source: WeightLayer, file: string): Diagnostic[] {
  const expected = layer.paramShapes;
  const role = roles(layer);
  const where = `layer "${layer.name}" (${layer.type})`;
  if (source.blobs.length !== expected.length) {
    const wanted = expected.length ? ` (${expected.map((s, j) => `${role[j]} ${showShape(s)}`).join(', ')})` : '';
    const fewerByBias = source.blobs.length === expected.length - 1 && role[expected.length - 1] === 'bias';
    const hint =
      expected.length === 0
        ? `the net's "${layer.name}" has no parameters, but the file's layer of that name (${source.type || 'untyped'}) has some: a different layer with the same name?`
        : fewerByBias
          ? `the net that wrote these weights may have had bias_term: false; or ${RENAME_HINT}`
          : RENAME_HINT;
    return [
      error(
        `${where}: incompatible number of blobs: the net expects ${expected.length}${wanted}, ${file} has ${source.blobs.length}`,
        layer.loc,
        hint,
      ),
    ];
  }
  const problems: Diagnostic[] = [];
  source.blobs.forEach((blob, j) => {
    const shape = expected[j];
    const blobName = `${where} blob ${j} (${role[j]})`;
    if (!blobShapeEquals(shape, blob)) {
      problems.push(
        error(
          `${blobName}: shape mismatch: the net expects ${showShape(shape)}, ${file} has ${showBlobShape(blob)}`,
          layer.loc,
          RENAME_HINT,
        ),
      );
      return;
    }
    const count = shape.reduce((n, d) => n * d, 1);
    if (blob.count !== count) {
      const held = blob.count === 0 ? 'no values' : `${blob.count} values`;
      problems.push(
        error(
          `${blobName}: ${file} holds ${held} for its shape ${showBlobShape(blob)}, which needs ${count}`,
          layer.loc,
          'the weights file is damaged or was not written by Caffe',
        ),
      );
    }
  });
  return problems;
}

/** At most `max` quoted names, then how many more. */
function someNames(names: string[], max = 5): string {
  const shown = quoteList(names.slice(0, max));
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * The net's layers the file has no weights for. When fewer of the net's layers with parameters are in the
 * file than missing from it while the file holds others, the weights belong to another net: say that once,
 * with a few names of each side, rather than a "renamed" guess per layer.
 */
function missingError(missing: Layer[], withParams: number, extra: WeightLayer[], model: { file: string; size: number }): Diagnostic {
  const file = model.file;
  const names = someNames(missing.map((l) => l.name));
  if (model.size === 0) {
    return error(
      `${file} is empty (0 bytes): a valid NetParameter without layers, so ${missing.length} layer(s) of the net have no weights: ${names}`,
      missing[0].loc,
      `an empty .caffemodel suits only a net without parameters; ${ALLOW_MISSING}`,
    );
  }
  const matched = withParams - missing.length;
  if (extra.length > 0 && matched < missing.length) {
    return error(
      `${file} seems to hold another net's weights: ${matched} of this net's ${withParams} layers with parameters are in it; it lacks ${names}, and has ${extra.length} layer(s) this net does not: ${someNames(extra.map((l) => l.name))}`,
      missing[0].loc,
      `layers receive weights by name; check that the .caffemodel was trained with this .prototxt; ${ALLOW_MISSING}`,
    );
  }
  const renamed = missing.flatMap((l) => {
    const match = closest(
      l.name,
      extra.map((x) => x.name),
    );
    return match === undefined ? [] : [`"${match}" (renamed from "${l.name}"?)`];
  });
  const hint = renamed.length
    ? `the file has ${renamed.slice(0, 5).join(', ')}; ${ALLOW_MISSING}`
    : `check that the weights belong to this net; ${ALLOW_MISSING}`;
  const shown =
    missing
      .slice(0, 5)
      .map((l) => `"${l.name}" (${l.type})`)
      .join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
  return error(`${file} has no weights for ${missing.length} layer(s) of the net: ${shown}`, missing[0].loc, hint);
}

export function loadWeights(net: Net, source: string | Uint8Array, options: LoadWeightsOptions = {}): LoadedWeights {
  const targets = weightTargets(net);
  const model = readCaffemodel(source, {
    file: options.file,
    progress: options.progress,
    // Values are read only for layers that can take them; the rest are skipped, not decoded.
    keepData: (name) => (targets.byName.get(name)?.paramShapes.length ?? 0) > 0,
  });
  const file = model.file;
  const keys = storageKeys(targets.withParams);
  const given = new Map<StorageKey, Float32Array>();
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const failed = new Set<Layer>();
  const extra: WeightLayer[] = [];
  const copies = new Map<string, number>();
  for (const source of model.layers) {
    const layer = targets.byName.get(source.name);
    if (!layer) {
      if (source.blobs.length) extra.push(source);
      continue;
    }
    copies.set(layer.name, (copies.get(layer.name) ?? 0) + 1);
    const problems = checkLayer(layer, source, file);
    if (problems.length) {
      errors.push(...problems);
      failed.add(layer);
      continue;
    }
    (keys.get(layer) ?? []).forEach((key, j) => given.set(key, source.blobs[j].data));
  }

  const missing = targets.withParams.filter((l) => !failed.has(l) && (keys.get(l) ?? []).some((key) => !given.has(key)));
  if (missing.length && !options.allowMissing) errors.push(missingError(missing, targets.withParams.length, extra, model));
  if (errors.length) throw new DiagnosticError(errors);

  for (const [name, n] of copies) {
    if (n > 1)
      warnings.push(
        warning(`layer "${name}" appears ${n} times in ${file}; the last copy is used, as in Caffe`, targets.byName.get(name)?.loc),
      );
  }
  if (extra.length) {
    warnings.push(
      warning(
        `${file} has weights for ${extra.length} layer(s) that the net does not have: ${someNames(extra.map((l) => l.name))}`,
        undefined,
        'they are ignored, as Caffe ignores them; a layer receives weights only when its name matches',
      ),
    );
  }
  if (missing.length) {
    const names = quoteList(missing.map((l) => l.name));
    warnings.push({
      severity: 'note',
      message: `${missing.length} layer(s) not in ${file} were filled from their fillers (seed ${options.seed ?? 0}): ${names}`,
    });
  }
  return { params: assembleWeights(targets.withParams, given, options.seed ?? 0), warnings };
}
