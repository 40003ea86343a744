// `run --input name=VALUE`: where an input's values come from, and the shape the net runs at. VALUE is a .npy
// file (any numeric dtype), an image (.jpg/.jpeg/.png, prepared as pycaffe's Transformer: image-input.ts), or
// random|zeros|ones[:dims] (random: uniform in [0, 1), seeded by --seed). Any source layer's top can be fed:
// an Input layer's, or a data layer's (Data, Python, ImageData, …), which then becomes an input of the plan,
// as pycaffe's net.blobs['data'].data[...] = … replaces what the layer would have read.
//
// The net's declared input shape comes first: an array must match it, and the common slips are explained at
// the Input layer's line — an H×W×C image array for C×H×W, a missing batch axis (accepted, as a batch of one,
// with a note), a different channel count (the input's fault, not the weights'). The net is reshaped to an
// array's shape only with --reshape, or where nothing declares the shape (a Data layer's tops).
import { readFileSync } from 'node:fs';
import { DiagnosticError, fail, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMeanAny } from '../diagnostics/suggest.js';
import { loadNet, type LoadOptions } from '../api/load-net.js';
import type { Net } from '../ir/net.js';
import { readNpy } from '../runtime/npy.js';
import { countOf, showDims, type Tensor } from '../ir/tensor.js';
import { Rng } from '../weights/prng.js';
import { IMAGE_FILE, imageTensor, readImage, type Preprocess, type Rgb } from './image-input.js';

type Source =
  | { kind: 'array'; name: string; file: string; tensor: Tensor }
  | { kind: 'fill'; name: string; fill: 'random' | 'zeros' | 'ones'; dims?: number[] }
  | { kind: 'image'; name: string; file: string; image: Rgb };

const FORMS = 'a .npy file, an image (.jpg, .png), or random|zeros|ones[:dims]';

function parseDims(text: string, what: string): number[] {
  const parts = text.split(/[,x×]/).map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p)) || parts.some((p) => Number(p) > 2 ** 31 - 1))
    fail(`${what}: "${text}" is not a list of non-negative integers, e.g. 1,3,224,224`);
  return parts.map(Number);
}

function parseSource(spec: string): Source {
  const m = /^([^=]+)=(.*)$/.exec(spec);
  if (!m) fail(`--input "${spec}": expected name=VALUE, where VALUE is ${FORMS}`);
  const [, name, value] = m;
  const fill = /^(random|zeros|ones)(?::(.*))?$/.exec(value);
  if (fill)
    return {
      kind: 'fill',
      name,
      fill: fill[1] as 'random' | 'zeros' | 'ones',
      dims: fill[2] === undefined ? undefined : parseDims(fill[2], `--input ${name}`),
    };
  if (/^\d+(\s*[,x×]\s*\d+)*$/.test(value)) {
    fail(
      `--input ${name}=${value} is a shape; run needs values`,
      undefined,
      `give ${FORMS}: e.g. --input ${name}=random:${value.replace(/\s/g, '')} (--reshape to run the net at that shape)`,
    );
  }
  if (IMAGE_FILE.test(value)) return { kind: 'image', name, file: value, image: readImage(value) };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(value);
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (e as NodeJS.ErrnoException).code === 'EISDIR'
          ? 'it is a directory'
          : (e as Error).message;
    fail(`--input ${name}: cannot read ${value}: ${why}`, undefined, `VALUE is ${FORMS}`);
  }
  return { kind: 'array', name, file: value, tensor: readNpy(bytes, value) };
}

/** The top `name` of a layer that reads from outside the net, and that layer. */
function sourceOf(net: Net, name: string): { shape: number[]; loc?: SourceLocation; layer: string; type: string } | undefined {
  for (const layer of net.layers) {
    if (!layer.module.source || layer.bottoms.length) continue;
    const top = layer.tops.find((t) => t.name === name);
    if (top) return { shape: [...top.shape], loc: layer.loc, layer: layer.name, type: layer.type };
  }
  return undefined;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * How an array of shape `given` fits a declared shape: the shape to run at (with a note when it differs:
 * another batch size, or no batch axis), or a diagnostic saying what is wrong, at the layer that declares it.
 */
function fitDeclared(
  name: string,
  what: string,
  given: number[],
  declared: { shape: number[]; loc?: SourceLocation; layer: string; type: string },
): { shape: number[]; note?: string } | Diagnostic {
  const d = declared.shape;
  if (same(given, d)) return { shape: given };
  const where = `the ${declared.type} layer "${declared.layer}" declares ${showDims(d)}`;
  const reshape = `to run the net at ${showDims(given)} instead, add --reshape`;
  const error = (message: string, hint?: string): Diagnostic => ({ severity: 'error', message, location: declared.loc, hint });
  if (d.length !== 4 || (given.length !== 3 && given.length !== 4))
    return error(`input "${name}": ${what} is ${showDims(given)}, but ${where}`, reshape);
  const [n, c, h, w] = d;
  const batched = given.length === 4;
  const channels = batched ? given[1] : given[0];
  const last = given[given.length - 1];
  if (last === c && channels !== c) {
    const spatial = batched ? given.slice(1, 3) : given.slice(0, 2);
    const also = same(spatial, [h, w])
      ? ''
      : `; its H×W (${spatial.join('×')}) differ from the declared ${h}×${w} too: add --reshape, or give the image file, which is resized`;
    return error(
      `input "${name}": ${what} is ${showDims(given)}, channels last (${batched ? 'N×H×W×C' : 'H×W×C'}); ${where} (N×C×H×W, channels first)`,
      `transpose it: numpy's arr.transpose(${batched ? '0, 3, 1, 2)' : '2, 0, 1)[None]'}${also}`,
    );
  }
  if (channels !== c) {
    return error(
      `input "${name}": ${what} has ${channels} channel(s) (${showDims(given)}), but ${where}: ${c} channel(s)`,
      `the net reads ${c}-channel data; give ${c}-channel input${c === 1 ? ' (grey)' : ''}`,
    );
  }
  const spatial = batched ? given.slice(2) : given.slice(1);
  if (!same(spatial, [h, w])) return error(`input "${name}": ${what} is ${showDims(given)}, but ${where}`, reshape);
  if (!batched)
    return { shape: [1, c, h, w], note: `${showDims(given)} has no batch axis: running a batch of one, ${showDims([1, c, h, w])}` };
  return { shape: given, note: `running a batch of ${given[0]} (the net declares ${n})` };
}

export interface ResolvedInputs {
  net: Net;
  inputs: Record<string, Tensor>;
  /** name → where its values came from, for the report. */
  from: Record<string, string>;
  notes: Diagnostic[];
}

/** Loads the net for the given inputs and makes their tensors. */
export function resolveInputs(
  netPath: string,
  specs: string[],
  options: LoadOptions & { reshape?: boolean; seed?: number; preprocess: Preprocess },
): ResolvedInputs {
  const sources: Source[] = [];
  for (const spec of specs) {
    const s = parseSource(spec);
    if (sources.some((o) => o.name === s.name)) fail(`--input ${s.name} is given twice`);
    sources.push(s);
  }
  const { reshape, seed, preprocess, ...load } = options;
  // The net as declared; a data layer's tops often have no shape until the inputs give one.
  let declared: Net | undefined;
  try {
    declared = loadNet(netPath, load);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
  }
  const notes: Diagnostic[] = [];
  const problems: Diagnostic[] = [];
  const shapes = new Map<string, number[]>();
  for (const s of sources) {
    const at = declared ? sourceOf(declared, s.name) : undefined;
    if (declared && !at) {
      const names = declared.layers.filter((l) => l.module.source && !l.bottoms.length).flatMap((l) => l.tops.map((t) => t.name));
      problems.push({
        severity: 'error',
        message: `--input names "${s.name}", which is not an input of the net (a top of an Input or data layer)`,
        hint: didYouMeanAny(s.name, names) ?? (names.length ? `its inputs are: ${names.join(', ')}` : 'this net has no input layers'),
      });
      continue;
    }
    if (s.kind === 'image') {
      const d = at && !reshape ? at.shape : undefined;
      shapes.set(s.name, d && d.length === 4 ? d : [1, at?.shape.length === 4 ? at.shape[1] : 3, s.image.height, s.image.width]);
      continue;
    }
    const given = s.kind === 'array' ? s.tensor.shape : s.dims;
    if (!given && s.kind === 'fill') {
      if (!at)
        fail(
          `--input ${s.name}=${s.fill}: the net does not declare the shape of "${s.name}"; give one: --input ${s.name}=${s.fill}:N,C,H,W`,
        );
      shapes.set(s.name, at.shape);
      continue;
    }
    if (!given) continue;
    if (!at || reshape) {
      shapes.set(s.name, given);
      continue;
    }
    const fit = fitDeclared(
      s.name,
      s.kind === 'array' ? `the array in ${s.file}` : `${(s as { fill: string }).fill}:${given.join(',')}`,
      given,
      at,
    );
    if ('severity' in fit) problems.push(fit);
    else {
      shapes.set(s.name, fit.shape);
      if (fit.note) notes.push({ severity: 'note', message: `input "${s.name}": ${fit.note}`, location: at.loc });
    }
  }
  if (problems.length) throw new DiagnosticError(problems);
  const unchanged = declared && [...shapes].every(([n, shape]) => same(sourceOf(declared!, n)!.shape, shape));
  const net = unchanged ? declared! : withRunHints(() => loadNet(netPath, { ...load, inputs: shapes }));
  const inputs: Record<string, Tensor> = Object.create(null);
  const from: Record<string, string> = Object.create(null);
  for (const s of sources) {
    const shape = shapes.get(s.name)!;
    if (s.kind === 'array') {
      inputs[s.name] = { shape, data: s.tensor.data };
      from[s.name] = s.file;
    } else if (s.kind === 'image') {
      inputs[s.name] = imageTensor(s.image, s.name, shape, preprocess, notes);
      from[s.name] =
        `${s.file} (${s.image.height}×${s.image.width}${s.image.height === shape[2] && s.image.width === shape[3] ? '' : `, resized to ${shape[2]}×${shape[3]}`})`;
    } else {
      inputs[s.name] = fillTensor(s.fill, shape, seed ?? 0, s.name);
      from[s.name] = s.fill === 'random' ? `random, uniform in [0, 1), seed ${seed ?? 0}` : s.fill;
    }
  }
  return { net, inputs, from, notes };
}

function fillTensor(fill: 'random' | 'zeros' | 'ones', shape: number[], seed: number, name: string): Tensor {
  const data = new Float32Array(countOf(shape));
  if (fill === 'ones') data.fill(1);
  if (fill === 'random') {
    const rng = new Rng(seed, `input:${name}`);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform();
  }
  return { shape, data };
}

/** Shape inference asks for a missing source shape as `--input name=N,C,H,W`; run takes values there instead. */
function withRunHints<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    throw new DiagnosticError(
      e.diagnostics.map((d) => {
        const m = /^(.*); give (?:it|one) with --input (\S+)=(\S+)$/.exec(d.message);
        return m ? { ...d, message: m[1], hint: `feed it: --input ${m[2]}=file.npy, an image, or random:${m[3]}` } : d;
      }),
    );
  }
}
