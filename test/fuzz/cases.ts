// The fuzz campaign's cases: from a seed, a deterministic stream of (command, files, flags) built by mutating
// real inputs — the examples, the shared corpus where it is present (its prototxts and NetSpec scripts), the
// numerics fixtures' small nets with their .caffemodel and .npy files, and a few generated nets that stress
// sizes (long axes, many bottoms, big strides, 0×0 outputs). Mutations: text bytes and spans, numbers turned
// huge / zero / negative / NaN / infinite, fields inserted or repeated many times, very long names, hostile
// script statements, binary bytes flipped or cut, .npy headers with odd shapes and dtypes, odd flag values.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusAvailable, corpusDir, corpusFiles, repoRoot } from '../helpers/corpus.js';

export type Command = 'shapes' | 'analyze' | 'convert' | 'run' | 'compile';

export interface FuzzCase {
  id: number;
  /** What made it (for the summary): the seed input and the mutations applied. */
  origin: string;
  command: Command;
  /** Files the case needs, by name in its temporary folder; `net` names the one that is the net. */
  files: Record<string, Uint8Array>;
  net: string;
  /** Flags as the command functions take them; `$dir` in a string value is the case's folder. */
  flags: Record<string, unknown>;
}

/** mulberry32: small, fast, and the same stream on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Seeds {
  prototxts: { name: string; text: string }[];
  scripts: { name: string; text: string }[];
  runnable: { name: string; net: string; weights: Uint8Array; input: Uint8Array }[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Generated nets that stress sizes; each small to write, some costly to run if nothing bounds them. */
function generatedNets(): { name: string; text: string }[] {
  const input = (dims: number[]) =>
    `layer { name: "data" type: "Input" top: "data" input_param { shape { ${dims.map((d) => `dim: ${d}`).join(' ')} } } }\n`;
  const concat = (k: number) =>
    input([1, 1, 1, 1]) +
    `layer { name: "cat" type: "Concat" ${Array.from({ length: k }, () => 'bottom: "data"').join(' ')} top: "cat" }\n`;
  return [
    { name: 'gen-softmax.prototxt', text: input([1, 30000]) + 'layer { name: "prob" type: "Softmax" bottom: "data" top: "prob" }\n' },
    {
      name: 'gen-argmax.prototxt',
      text: input([1, 30000]) + 'layer { name: "top" type: "ArgMax" bottom: "data" top: "top" argmax_param { top_k: 5 } }\n',
    },
    { name: 'gen-concat.prototxt', text: concat(50) },
    {
      name: 'gen-deconv.prototxt',
      text:
        input([1, 1, 2, 2]) +
        'layer { name: "up" type: "Deconvolution" bottom: "data" top: "up" convolution_param { num_output: 1 kernel_size: 4 stride: 2 } }\n',
    },
    {
      name: 'gen-conv-0x0.prototxt',
      text:
        input([1, 1, 4, 4]) +
        'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 3 } }\nlayer { name: "r" type: "ReLU" bottom: "c" top: "c" }\n',
    },
    {
      name: 'gen-ip.prototxt',
      text:
        input([2, 3, 4, 4]) +
        'layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 7 } }\nlayer { name: "prob" type: "Softmax" bottom: "ip" top: "prob" }\n',
    },
    {
      name: 'gen-pool.prototxt',
      text:
        input([1, 2, 7, 7]) +
        'layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }\nlayer { name: "e" type: "Eltwise" bottom: "p" bottom: "p" top: "e" }\n',
    },
  ];
}

/** Small NetSpec scripts, some hostile, to be mutated like the corpus's. */
const SCRIPTS: { name: string; text: string }[] = [
  {
    name: 'gen-netspec.py',
    text: "import caffe\nfrom caffe import layers as L, params as P\n\ndef net():\n    n = caffe.NetSpec()\n    n.data = L.Input(shape=dict(dim=[1, 3, 8, 8]))\n    n.conv = L.Convolution(n.data, num_output=4, kernel_size=3, pad=1)\n    n.relu = L.ReLU(n.conv, in_place=True)\n    n.pool = L.Pooling(n.relu, pool=P.Pooling.MAX, kernel_size=2, stride=2)\n    return n.to_proto()\n\nwith open('net.prototxt', 'w') as f:\n    f.write(str(net()))\n",
  },
  {
    name: 'gen-inplace-input.py',
    text: 'import caffe\nfrom caffe import layers as L\nn = caffe.NetSpec()\nn.data = L.Input(in_place=True)\nn.r = L.ReLU(n.data)\nprint(n.to_proto())\nnet = n.to_proto()\n',
  },
  { name: 'gen-loop.py', text: 'x = 0\nwhile True:\n    try:\n        q\n    except:\n        pass\n' },
];

const SPECIAL_NUMBERS = [
  '0',
  '-1',
  '-7',
  '1',
  '2',
  '3',
  '1e9',
  '10000000',
  '16777217',
  '100000',
  '2147483648',
  '4294967297',
  '99999999999999999999',
  'nan',
  'inf',
  '-inf',
  '1e308',
  '0.5',
  '3000',
  '-0',
];

const FIELD_LINES = [
  'kernel_size: 3',
  'kernel_size: 0',
  'stride: 3000',
  'pad: 100000',
  'dilation: 0',
  'group: 7',
  'axis: 3',
  'axis: -5',
  'num_output: 10000000',
  'num_output: 16777217',
  'top_k: 5',
  'out_max_val: true',
  'engine: CUDNN',
  'bias_term: false',
  'dim: 0',
  'dim: 100000',
  'dim: -3',
  'offset: 9999',
  'pool: STOCHASTIC',
  'global_pooling: true',
  'operation: PROD',
  'coeff: 2',
  'negative_slope: nan',
  'phase: TRAIN',
  'propagate_down: true',
  'loss_weight: 1',
  'include { phase: TEST }',
  'bottom: "nonexistent"',
  'top: "data"',
  'type: "Softmax"',
  'type: "Nope"',
  'input: "extra"',
  'input_dim: 1',
];

const PY_LINES = [
  'while True:\n    pass',
  'try:\n    q\nexcept:\n    pass',
  'x = [0] * 100000000',
  "s = 'a' * 100000000",
  'def f(): return f()\nf()',
  'n.data = L.Input(in_place=True)',
  'n.r = L.ReLU(n.data)',
  'import os',
  'exec("1")',
  'n.x = L.Convolution(n.data, num_output=0)',
  'n.y = L.Concat(*[n.data] * 3000)',
  'for i in range(10**9): pass',
  'print(1/0)',
  "n.z = L.Python(module='m', layer='l')",
];

function readIf(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function loadSeeds(): Seeds {
  const prototxts: Seeds['prototxts'] = [];
  const scripts: Seeds['scripts'] = [...SCRIPTS];
  for (const f of readdirSync(join(repoRoot, 'examples'))) {
    const text = readIf(join(repoRoot, 'examples', f));
    if (text === undefined) continue;
    if (f.endsWith('.py')) scripts.push({ name: f, text });
    else if (f.endsWith('.prototxt')) prototxts.push({ name: f, text });
  }
  prototxts.push(...generatedNets());
  if (corpusAvailable) {
    for (const f of corpusFiles()) {
      const text = readIf(join(corpusDir, f));
      if (text === undefined || text.length > 400_000) continue;
      const name = f.split('/').pop()!;
      if (f.endsWith('.py')) scripts.push({ name, text });
      else if (f.endsWith('.prototxt') || f.endsWith('.pt')) prototxts.push({ name, text });
    }
  }
  const runnable: Seeds['runnable'] = [];
  const numerics = join(repoRoot, 'test', 'fixtures', 'numerics');
  for (const d of readdirSync(numerics)) {
    const dir = join(numerics, d);
    if (!existsSync(join(dir, 'weights.caffemodel')) || !existsSync(join(dir, 'input.data.npy'))) continue;
    runnable.push({
      name: d,
      net: readFileSync(join(dir, 'net.prototxt'), 'utf8'),
      weights: readFileSync(join(dir, 'weights.caffemodel')),
      input: readFileSync(join(dir, 'input.data.npy')),
    });
  }
  for (const d of runnable) prototxts.push({ name: `${d.name}.prototxt`, text: d.net });
  return { prototxts, scripts, runnable };
}

// ---- mutations -------------------------------------------------------------------------------------------

/** Characters a repeat mutation may add: big enough to stress the readers, small enough to be a string. */
const MAX_MUTATED_TEXT = 20_000_000;

function mutateText(rng: Rng, text: string, lines: readonly string[], log: string[]): string {
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const op = rng.int(10);
    if (op <= 2) {
      // a number → a special value
      const numbers = [...text.matchAll(/-?\b\d+(?:\.\d+)?(?:e-?\d+)?\b/g)];
      if (numbers.length === 0) continue;
      const m = rng.pick(numbers);
      const v = rng.pick(SPECIAL_NUMBERS);
      text = text.slice(0, m.index) + v + text.slice(m.index! + m[0].length);
      log.push(`number→${v}`);
    } else if (op === 3) {
      const at = rng.int(text.length + 1);
      const line = rng.pick(lines);
      const pos = text.lastIndexOf('\n', at) + 1;
      text = text.slice(0, pos) + line + '\n' + text.slice(pos);
      log.push(`insert "${line.split('\n')[0]}"`);
    } else if (op === 4) {
      // a field (or line) repeated many times
      const ls = text.split('\n');
      const k = rng.int(ls.length);
      // Capped so the text stays a string (a long line from an earlier mutation × 100,000 is not one).
      const times = Math.min(rng.pick([2, 10, 10, 1000, 1000, 100_000]), Math.max(2, Math.floor(MAX_MUTATED_TEXT / (ls[k].length + 1))));
      ls.splice(k, 0, ...Array<string>(times).fill(ls[k]));
      text = ls.join('\n');
      log.push(`repeat line ×${times}`);
    } else if (op === 5) {
      // a very long name where an identifier or a string was
      const ids = [...text.matchAll(/[A-Za-z_]\w*/g)];
      if (ids.length === 0) continue;
      const m = rng.pick(ids);
      const len = rng.pick([300, 300, 10_000, 10_000, 1_000_000]);
      const long = (m[0] + 'x'.repeat(len)).slice(0, len);
      text = text.slice(0, m.index) + long + text.slice(m.index! + m[0].length);
      log.push(`long name ${len}`);
    } else if (op === 6) {
      const at = rng.int(text.length);
      const len = 1 + rng.int(Math.min(200, text.length - at));
      text = text.slice(0, at) + text.slice(at + len);
      log.push('delete span');
    } else if (op === 7) {
      const at = rng.int(text.length);
      const len = 1 + rng.int(Math.min(400, text.length - at));
      text = text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
      log.push('duplicate span');
    } else if (op === 8) {
      const at = rng.int(text.length);
      const ch = rng.pick(['{', '}', '"', '\\', ':', '\n', '\0', '\u00e9', '#', ' ', '<', ']', "'", '(', ')', '\t']);
      text = text.slice(0, at) + ch + text.slice(at + 1);
      log.push('char');
    } else {
      text = text.slice(0, rng.int(text.length + 1));
      log.push('truncate');
    }
  }
  return text;
}

function mutateBytes(rng: Rng, bytes: Uint8Array, log: string[]): Uint8Array {
  const b = Uint8Array.from(bytes);
  const op = rng.int(5);
  if (op === 0 && b.length) {
    for (let i = 0, k = 1 + rng.int(8); i < k; i++) b[rng.int(b.length)] = rng.int(256);
    log.push('flip bytes');
    return b;
  }
  if (op === 1) {
    log.push('truncate bytes');
    return b.slice(0, rng.int(b.length + 1));
  }
  if (op === 2 && b.length) {
    const at = rng.int(b.length);
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    log.push('insert varint');
    return Uint8Array.from([...b.slice(0, at), ...huge.slice(rng.int(6)), ...b.slice(at)]);
  }
  if (op === 3) {
    log.push('empty');
    return new Uint8Array(0);
  }
  log.push('unchanged bytes');
  return b;
}

/** An .npy with an odd header: zero or huge axes, other dtypes, Fortran order, a short body. */
function oddNpy(rng: Rng, like: Uint8Array, log: string[]): Uint8Array {
  const shape = rng.pick([
    '(0, 3, 10, 10)',
    '(1, 0, 4, 4)',
    '()',
    '(5,)',
    '(100000, 1, 28, 28)',
    '(1, 1, 1000000000, 1)',
    '(2, 4, 9, 9)',
    '(1, 3, -2, 4)',
    '(224, 224, 3)',
    '(1, 4, 9, 9, 1)',
  ]);
  const descr = rng.pick(['<f4', '<f8', '<i4', '|u1', '<f2', '>f4', '|b1', '<c8', 'O', '<i8']);
  const fortran = rng.chance(0.1) ? 'True' : 'False';
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const body = like.slice(like.length - rng.int(Math.min(like.length, 4096)));
  log.push(`npy ${descr} ${shape}${fortran === 'True' ? ' fortran' : ''}`);
  const head = enc.encode(header);
  const out = new Uint8Array(10 + head.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 0xff, head.length >> 8], 0);
  out.set(head, 10);
  out.set(body, 10 + head.length);
  return out;
}

const ODD_INPUT_SPECS = [
  'data=1,3,10,10',
  'data=0,3,10,10',
  'data=100000,1,28,28',
  'data=1,1,1000000000',
  'nonexistent=1,2',
  'data=1,3,2,2',
  'data=-1,3',
];

function inputMap(spec: string): Map<string, number[]> {
  const [name, dims] = spec.split('=');
  return new Map([[name, dims.split(',').map(Number)]]);
}

// ---- cases -----------------------------------------------------------------------------------------------

export function* fuzzCases(seed: number, count: number, seeds = loadSeeds()): Generator<FuzzCase> {
  const rng = new Rng(seed);
  for (let id = 0; id < count; id++) {
    const log: string[] = [];
    const roll = rng.next();
    if (roll < 0.2 && seeds.runnable.length) {
      // run: a small net with its weights and input, any of the three mutated
      const r = rng.pick(seeds.runnable);
      const which = rng.int(4);
      const net = which === 0 ? mutateText(rng, r.net, FIELD_LINES, log) : r.net;
      const weights = which === 1 ? mutateBytes(rng, r.weights, log) : r.weights;
      const input = which === 2 ? (rng.chance(0.5) ? oddNpy(rng, r.input, log) : mutateBytes(rng, r.input, log)) : r.input;
      const flags: Record<string, unknown> = { input: [`data=$dir/input.npy`], out: '$dir/out', backend: rng.pick(['cpu', 'wasm']) };
      if (which === 3) {
        const odd = rng.int(5);
        if (odd === 0) flags.blobs = rng.pick(['all', 'nope', ',', 'data,data', '']);
        else if (odd === 1) flags.seed = rng.pick([0, -1, 2 ** 40]);
        else if (odd === 2) flags.out = rng.pick(['$dir/input.npy', '$dir/input.npy/x', '/proc/brewnet-fuzz']);
        else if (odd === 3) flags.input = [rng.pick(['data', '=x.npy', 'data=', 'data=$dir', 'data=$dir/none.npy', 'data=$dir/input.npy'])];
        else flags.backend = rng.pick(['gpu', 'headlessgl', 'webasm', '']);
        log.push(`flags ${JSON.stringify(flags).slice(0, 60)}`);
      }
      if (which !== 1 || rng.chance(0.8)) flags.weights = '$dir/w.caffemodel';
      else flags.seed = 1;
      yield {
        id,
        origin: `run ${r.name}: ${log.join(', ')}`,
        command: 'run',
        files: { 'net.prototxt': enc.encode(net), 'w.caffemodel': weights, 'input.npy': input },
        net: 'net.prototxt',
        flags,
      };
      continue;
    }
    const script = roll < 0.35;
    const src = script ? rng.pick(seeds.scripts) : rng.pick(seeds.prototxts);
    const text = rng.chance(0.1) ? src.text : mutateText(rng, src.text, script ? PY_LINES : FIELD_LINES, log);
    const name = script ? 'net.py' : 'net.prototxt';
    const files: Record<string, Uint8Array> = { [name]: enc.encode(text) };
    const command: Command = rng.pick(['shapes', 'shapes', 'analyze', 'convert', 'compile']);
    const flags: Record<string, unknown> = {};
    if (rng.chance(0.15)) {
      flags.input = inputMap(rng.pick(ODD_INPUT_SPECS));
      log.push(`--input ${[...(flags.input as Map<string, number[]>)].map(([k, v]) => `${k}=${v}`)}`);
    }
    if (rng.chance(0.1)) {
      const odd = rng.int(4);
      if (odd === 0) flags.phase = rng.pick(['train', 'TEST', 'x']);
      else if (odd === 1) flags.stage = [rng.pick(['deploy', '', 'x'.repeat(1000)])];
      else if (odd === 2) flags.level = rng.pick([-1, 2 ** 31, 1]);
      else flags.maxSteps = rng.pick([1, 100, 10_000_000]);
      log.push('flags');
    }
    if (script && rng.chance(0.3))
      flags.call = rng.pick(['net()', 'make_net()', 'fcn8s(size=2)', 'fcn8s(size=100000)', 'build(extra=4)', ')', 'x' + '('.repeat(500)]);
    if (command === 'analyze') {
      if (rng.chance(0.3)) flags.sizes = rng.pick(['1..64', '1..100000', '0..3', '5..1']);
      if (!script && rng.chance(0.3))
        Object.assign(flags, { fixCrops: true, output: rng.pick(['$dir/fixed.prototxt', '$dir', '$dir/net.prototxt/x']) });
    } else if (command === 'convert') {
      flags.to = rng.pick(['prototxt', 'json', 'py', 'onnx?']);
      flags.upgrade = rng.chance(0.8);
      if (rng.chance(0.4)) flags.output = rng.pick(['$dir/out.txt', '$dir/outdir', '$dir', '$dir/net.prototxt/x', '/proc/brewnet-fuzz']);
    } else if (command === 'compile') {
      flags.output = rng.pick(['$dir/net.mjs', '$dir/net.mjs', '$dir']);
      flags.seed = 1;
    }
    yield { id, origin: `${command} ${src.name}: ${log.join(', ') || 'unmutated'}`, command, files, net: name, flags };
  }
}

export function decodeText(bytes: Uint8Array): string {
  return dec.decode(bytes);
}
