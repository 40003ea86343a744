// Caffe's fillers (include/caffe/filler.hpp, docs/caffe-semantics.md#fillers, #bilinear-upsampling): how a parameter blob is initialised when
// no weights file provides it. Every rule and check follows Caffe's, including its quirks: xavier, msra and
// positive_unitball read the blob's legacy num()/channels() (so they refuse blobs with more than 4 axes),
// only gaussian supports `sparse`, and arithmetic on float fields is done in float32 as Caffe's Dtype is.
// The random draws are brewnet's own (prng.ts): same distributions as Caffe, not the same numbers.
import { fail, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { showShape } from '../layers/blob-checks.js';
import type { Shape } from '../ir/layer-module.js';
import { messageType } from '../schema/caffe-schema.js';
import type { Msg } from '../schema/message.js';
import type { Rng } from './prng.js';

export const FILLER_TYPES = ['constant', 'gaussian', 'positive_unitball', 'uniform', 'xavier', 'msra', 'bilinear'] as const;

/** A FillerParameter with every field resolved (written, or the .proto's default), and where it came from. */
export interface FillerSpec {
  type: string;
  value: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  sparse: number;
  variance_norm: string;
  /** For messages: `layer "conv1" (Convolution) weight_filler`. */
  what: string;
  loc?: SourceLocation;
}

const f32 = Math.fround;

/**
 * The filler a layer uses: `written` if the prototxt has it, else `fallback` (a layer's own default such as
 * PReLU's constant 0.25), with FillerParameter's defaults from caffe.proto for every field left unset.
 */
export function fillerSpec(written: Msg | undefined, what: string, loc?: SourceLocation, fallback: Msg = {}): FillerSpec {
  const given = written ?? fallback;
  const spec: Record<string, unknown> = { what, loc };
  for (const field of messageType('FillerParameter').fieldsArray) {
    field.resolve();
    const value = given[field.name] ?? (field.options?.default as unknown) ?? field.typeDefault;
    spec[field.name] = value;
  }
  return spec as unknown as FillerSpec;
}

function count(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}

function noSparse(spec: FillerSpec): void {
  if (spec.sparse !== -1) {
    fail(
      `${spec.what}: sparsity is not supported by the ${spec.type} filler (sparse: ${spec.sparse}); only gaussian supports it`,
      spec.loc,
    );
  }
}

/** Blob::num() and channels(): legacy accessors, defined for at most 4 axes, 1 past the end. */
function legacyNumChannels(shape: Shape, spec: FillerSpec): [number, number] {
  if (shape.length > 4) {
    fail(
      `${spec.what}: Caffe's ${spec.type} filler reads the blob's legacy num() and channels(), which refuse blobs with more than 4 axes (this one is ${showShape(shape)})`,
      spec.loc,
      'Caffe cannot build this layer either; use a gaussian or uniform filler',
    );
  }
  return [shape.length > 0 ? shape[0] : 1, shape.length > 1 ? shape[1] : 1];
}

/** The n of xavier and msra: fan_in = count/num, fan_out = count/channels (integer division), or their mean. */
function fan(shape: Shape, spec: FillerSpec): number {
  const [num, channels] = legacyNumChannels(shape, spec);
  const fanIn = Math.trunc(count(shape) / num);
  const fanOut = Math.trunc(count(shape) / channels);
  if (spec.variance_norm === 'AVERAGE') return f32((fanIn + fanOut) / 2);
  return spec.variance_norm === 'FAN_OUT' ? fanOut : fanIn;
}

function uniform(out: Float32Array, min: number, max: number, rng: Rng, spec: FillerSpec): void {
  if (!(min <= max)) fail(`${spec.what}: the uniform range needs min <= max (min ${min}, max ${max})`, spec.loc);
  for (let i = 0; i < out.length; i++) out[i] = min + (max - min) * rng.uniform();
}

function gaussian(out: Float32Array, mean: number, std: number, rng: Rng, spec: FillerSpec): void {
  if (!(std > 0)) fail(`${spec.what}: the gaussian needs std > 0 (std ${std})`, spec.loc);
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
}

/** Gaussian `sparse`: each value survives with probability sparse / shape(0), the expected non-zeros per output. */
function sparsify(out: Float32Array, shape: Shape, rng: Rng, spec: FillerSpec): void {
  if (shape.length < 1) fail(`${spec.what}: sparse needs a blob with at least 1 axis (this one is a scalar)`, spec.loc);
  const p = f32(spec.sparse / shape[0]);
  if (p > 1)
    fail(
      `${spec.what}: sparse (${spec.sparse}) cannot exceed the blob's first dimension (${shape[0]}): it is the mean number of non-zero inputs per output`,
      spec.loc,
    );
  for (let i = 0; i < out.length; i++) if (!(rng.uniform() < p)) out[i] = 0;
}

/** Each of the num() rows is divided by its sum (float accumulation, as Caffe's Dtype). */
function positiveUnitball(out: Float32Array, shape: Shape, rng: Rng, spec: FillerSpec): void {
  const [num] = legacyNumChannels(shape, spec);
  uniform(out, 0, 1, rng, spec);
  const dim = out.length / num;
  for (let i = 0; i < num; i++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum = f32(sum + out[i * dim + j]);
    for (let j = 0; j < dim; j++) out[i * dim + j] = out[i * dim + j] / sum;
  }
}

/**
 * The bilinear upsampling kernel over the last two axes, the same for every (i, j) of the first two:
 * f = ceil(k/2), c = (2f − 1 − f%2)/(2f), w(x, y) = (1 − |x/f − c|)(1 − |y/f − c|). Float steps as Caffe's.
 */
function bilinear(out: Float32Array, shape: Shape, spec: FillerSpec): void {
  if (shape.length !== 4) fail(`${spec.what}: the bilinear filler needs a 4-axis blob; this one is ${showShape(shape)}`, spec.loc);
  const [, , height, width] = shape;
  if (height !== width) fail(`${spec.what}: the bilinear filler needs a square kernel; this one is ${height}×${width}`, spec.loc);
  const f = Math.ceil(width / 2);
  const c = f32((2 * f - 1 - (f % 2)) / (2 * f));
  const profile = (x: number) => f32(1 - Math.abs(f32(f32(x / f) - c)));
  for (let i = 0; i < out.length; i++) {
    const x = i % width;
    const y = Math.trunc(i / width) % height;
    out[i] = f32(profile(x) * profile(y));
  }
}

/** A new blob of `shape` filled as `spec` says. */
export function fill(shape: Shape, spec: FillerSpec, rng: Rng): Float32Array {
  const out = new Float32Array(count(shape));
  if (!(FILLER_TYPES as readonly string[]).includes(spec.type)) {
    fail(
      `${spec.what}: unknown filler type "${spec.type}"`,
      spec.loc,
      didYouMean(spec.type, FILLER_TYPES) ?? `Caffe's fillers are ${FILLER_TYPES.join(', ')}`,
    );
  }
  if (out.length === 0 && spec.type !== 'bilinear') {
    fail(`${spec.what}: Caffe's ${spec.type} filler refuses an empty blob (shape ${showShape(shape)})`, spec.loc);
  }
  const value = f32(spec.value);
  const [min, max, mean, std] = [spec.min, spec.max, spec.mean, spec.std].map(f32);
  switch (spec.type) {
    case 'constant':
      out.fill(value);
      break;
    case 'uniform':
      uniform(out, min, max, rng, spec);
      break;
    case 'gaussian':
      if (spec.sparse < -1) fail(`${spec.what}: sparse must be -1 (off) or >= 0 (got ${spec.sparse})`, spec.loc);
      gaussian(out, mean, std, rng, spec);
      if (spec.sparse >= 0) sparsify(out, shape, rng, spec);
      return out;
    case 'positive_unitball':
      positiveUnitball(out, shape, rng, spec);
      break;
    case 'xavier': {
      const scale = f32(Math.sqrt(f32(3 / fan(shape, spec))));
      uniform(out, -scale, scale, rng, spec);
      break;
    }
    case 'msra':
      gaussian(out, 0, f32(Math.sqrt(f32(2 / fan(shape, spec)))), rng, spec);
      break;
    case 'bilinear':
      bilinear(out, shape, spec);
      break;
  }
  noSparse(spec);
  return out;
}
