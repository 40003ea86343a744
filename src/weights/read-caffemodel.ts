// Reads a binary .caffemodel (a serialized NetParameter) into its layers' names, types and parameter blobs.
// Both formats Caffe writes are read: `layer` (LayerParameter) and the V1 `layers` (V1LayerParameter, and a
// V0 layer nested in one, as Caffe's upgrade takes it). Only names, types and blobs are decoded; every other
// field is skipped by its wire type. A truncated or corrupt file is a diagnostic that says where (byte offset
// and the layer, blob and field being read), never a crash or a hang.
import { openFile } from '#platform';
import { DiagnosticError, error, fail } from '../diagnostics/diagnostic.js';
import { caffemodelFields } from './caffemodel-fields.js';
import { decodeBlob, type ReadingAt, type WeightBlob } from './decode-blob.js';
import { progressBar } from './progress-bar.js';
import { SNIFF_BYTES, sniffWeightsFile } from './sniff-weights-file.js';
import { WireError, WireReader, WireType } from './wire-reader.js';

export type { WeightBlob } from './decode-blob.js';

export interface WeightLayer {
  /** Position among the file's layers, from 0. */
  index: number;
  name: string;
  /** The layer's type: a string, or a V1 enum name such as CONVOLUTION. */
  type: string;
  blobs: WeightBlob[];
}

export interface Caffemodel {
  file: string;
  size: number;
  /** Which NetParameter field held the layers: `layer`, or V1's `layers`. */
  format: 'layer' | 'layers';
  layers: WeightLayer[];
}

export interface ReadCaffemodelOptions {
  /** Name used in messages; defaults to the path, or "<weights>" for a buffer. */
  file?: string;
  /** Whether to keep the values of a named layer's blobs; the others are counted, not read. Default: all. */
  keepData?: (layerName: string) => boolean;
  /** Show a progress bar on stderr: default on a terminal for files of 50 MB or more. */
  progress?: boolean;
  /** @internal Size of the read window for files (tests use tiny ones to exercise refills). */
  windowBytes?: number;
}

const TRUNCATED_HINT = 'the file ends before its contents do: an interrupted download or copy? Compare its size with the original';
const CORRUPT_HINT = 'this is not a valid Caffe NetParameter; is it a .caffemodel written by Caffe?';

/** What the walker is inside, for messages: `layer "conv1" blob 0 data`. */
class Position implements ReadingAt {
  layerIndex?: number;
  name?: string;
  blob?: number;
  field?: string;
  /** Declared end of the top-level layer being read: a truncated file lacks at least up to here. */
  layerEnd = 0;
  lastName?: string;

  describe(): string {
    if (this.layerIndex === undefined) {
      return this.lastName === undefined ? 'the net, before its first layer' : `the net, after layer "${this.lastName}"`;
    }
    let s = this.name === undefined ? `layer #${this.layerIndex}` : `layer "${this.name}"`;
    if (this.blob !== undefined) s += ` blob ${this.blob}`;
    if (this.field !== undefined) s += ` ${this.field}`;
    return s;
  }
}

interface LayerSpec {
  name: number;
  type: number;
  blobs: number;
  /** V1 only: the enum `type` and the nested V0 layer. */
  v1?: { v0: number; typeNames: Record<number, string> };
}

function expectLength(r: WireReader, what: string): void {
  if (r.wireType !== WireType.LEN) {
    throw r.corrupt(r.tagAt, `field ${what} (${r.field}) has wire type ${r.wireType}, which that field cannot have`);
  }
}

function readLayer(
  r: WireReader,
  end: number,
  spec: LayerSpec,
  at: Position,
  keepData: (name: string) => boolean,
): Omit<WeightLayer, 'index'> {
  const F = caffemodelFields();
  let name: string | undefined;
  let type = '';
  const blobs: WeightBlob[] = [];
  let nested: Omit<WeightLayer, 'index'> | undefined;
  while (r.pos < end) {
    at.field = undefined;
    r.tag();
    if (r.field === spec.name) {
      at.field = 'name';
      expectLength(r, 'name');
      name = r.utf8(r.length(end));
      at.name = name;
    } else if (r.field === spec.type && spec.v1) {
      at.field = 'type';
      if (r.wireType !== WireType.VARINT)
        throw r.corrupt(r.tagAt, `field type (${r.field}) has wire type ${r.wireType}, which that field cannot have`);
      r.varintParts();
      type = spec.v1.typeNames[r.int32] ?? `V1 type ${r.int32}`;
    } else if (r.field === spec.type) {
      at.field = 'type';
      expectLength(r, 'type');
      type = r.utf8(r.length(end));
    } else if (r.field === spec.blobs) {
      at.field = 'blobs';
      expectLength(r, 'blobs');
      const blobEnd = r.payloadEnd(end);
      at.blob = blobs.length;
      // A name written after the blobs (never by Caffe) is not known yet: keep the values to be safe.
      blobs.push(decodeBlob(r, blobEnd, name === undefined || keepData(name), at));
      at.blob = undefined;
    } else if (spec.v1 && r.field === spec.v1.v0) {
      at.field = 'layer (V0)';
      expectLength(r, 'layer');
      const v0End = r.payloadEnd(end);
      nested = readLayer(r, v0End, F.v0, at, keepData);
    } else {
      r.skipField(end);
    }
  }
  at.field = undefined;
  if (r.pos > end) throw r.corrupt(end, 'a field runs past the end of its layer');
  // Caffe's V0 → V1 upgrade builds the layer from the nested V0 layer's name and blobs.
  return nested ?? { name: name ?? '', type, blobs };
}

function walk(r: WireReader, file: string, at: Position, keepData: (name: string) => boolean): Pick<Caffemodel, 'format' | 'layers'> {
  const F = caffemodelFields();
  const v2: LayerSpec = F.layer;
  const v1: LayerSpec = { ...F.v1, v1: { v0: F.v1.v0, typeNames: F.v1TypeNames } };
  const layers: WeightLayer[] = [];
  let current = 0;
  let legacy = 0;
  while (r.pos < r.size) {
    r.tag();
    const isLayer = r.field === F.net.layer;
    if (!isLayer && r.field !== F.net.layers) {
      // The top level has no declared end: only the file's size bounds what a field claims.
      r.skipField(Infinity);
      continue;
    }
    if (isLayer) current++;
    else legacy++;
    at.layerIndex = layers.length;
    at.layerEnd = 0;
    expectLength(r, isLayer ? 'layer' : 'layers');
    const end = r.payloadEnd(Infinity);
    at.layerEnd = end;
    const layer = readLayer(r, end, isLayer ? v2 : v1, at, keepData);
    layers.push({ index: layers.length, ...layer });
    at.lastName = layer.name;
    at.layerIndex = at.name = undefined;
  }
  if (current && legacy) {
    fail(
      `${file} has both \`layer\` (${current}) and V1 \`layers\` (${legacy}) entries`,
      undefined,
      'Caffe refuses to upgrade such a NetParameter too; it was not written by Caffe',
    );
  }
  return { format: legacy ? 'layers' : 'layer', layers };
}

function diagnose(e: WireError, file: string, at: Position): DiagnosticError {
  if (e.kind === 'truncated') {
    const needed = Math.max(e.at + e.missing, at.layerIndex === undefined ? 0 : at.layerEnd) - e.at;
    return new DiagnosticError([
      error(
        `${file}: truncated at byte ${e.at} while reading ${at.describe()} (expected ${needed} more byte${needed === 1 ? '' : 's'})`,
        undefined,
        TRUNCATED_HINT,
      ),
    ]);
  }
  return new DiagnosticError([
    error(`${file}: corrupt at byte ${e.at} while reading ${at.describe()}: ${e.detail}`, undefined, CORRUPT_HINT),
  ]);
}

function decode(r: WireReader, file: string, options: ReadCaffemodelOptions): Caffemodel {
  // Zero bytes is a valid, empty NetParameter (protobuf and Caffe read it): a net without parameters needs
  // nothing more, and the matcher names the layers it leaves without weights.
  if (r.size === 0) return { file, size: 0, format: 'layer', layers: [] };
  const notWeights = sniffWeightsFile(r.peekStart(SNIFF_BYTES), file);
  if (notWeights) fail(notWeights.message, undefined, notWeights.hint);
  const at = new Position();
  const bar = progressBar(r.size, `loading ${file}`, options.progress);
  if (bar) r.onRead = (pos) => bar.update(pos);
  try {
    return { file, size: r.size, ...walk(r, file, at, options.keepData ?? (() => true)) };
  } catch (e) {
    if (e instanceof WireError) throw diagnose(e, file, at);
    throw e;
  } finally {
    bar?.finish();
  }
}

export function readCaffemodel(source: string | Uint8Array, options: ReadCaffemodelOptions = {}): Caffemodel {
  if (typeof source !== 'string') return decode(WireReader.fromBuffer(source), options.file ?? '<weights>', options);
  const file = options.file ?? source;
  const opened = openFile(source);
  if (opened.error !== undefined)
    fail(opened.error === 'missing' ? `no such weights file: ${source}` : `cannot read weights file ${source}: ${opened.error}`);
  try {
    if (opened.directory) fail(`${source} is a directory, not a .caffemodel file`);
    return decode(WireReader.fromFile(opened.read, opened.size, options.windowBytes), file, options);
  } finally {
    opened.close();
  }
}
