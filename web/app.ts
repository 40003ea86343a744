// The page's script: load a net from text (prototxt or NetSpec .py) with brewnet's own API, show its
// shapes, graph, diagnostics and crop analysis, and run forward passes on the backends a browser has.
// Plain DOM, no framework. `window.brewnetPage` exposes the same steps to the browser tests.
import { analysisJSON, analyzeNet, compile, DiagnosticError, loadNet, type Diagnostic, type Net, type Tensor } from '../src/index.js';
import { renderGraph } from './graph.js';
import { CAFFE_DEFAULTS, parseNumbers, toBlob, type Preprocess } from './preprocess.js';
import fcn8s from '../examples/fcn8s-deploy.prototxt';
import googlenet from '../examples/googlenet-deploy.prototxt';
import lenet from '../examples/lenet-v1.prototxt';
import fcn8sPy from '../examples/fcn8s-netspec.py';

const EXAMPLES: Record<string, { file: string; text: string; inputs: string }> = {
  fcn8s: { file: 'fcn8s-deploy.prototxt', text: fcn8s, inputs: '' },
  googlenet: { file: 'googlenet-deploy.prototxt', text: googlenet, inputs: '' },
  lenet: { file: 'lenet-v1.prototxt', text: lenet, inputs: 'data=1,1,28,28' },
  'fcn8s-py': { file: 'fcn8s-netspec.py', text: fcn8sPy, inputs: '' },
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

interface State {
  net?: Net;
  file: string;
  weights?: { name: string; bytes: Uint8Array };
  image?: ImageBitmap;
}
const state: State = { file: 'net.prototxt' };

// ---- numbers ----
const thousands = (n: number) => n.toLocaleString('en-US');
function compact(n: number): string {
  if (n === 0) return '0';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toPrecision(3).replace(/\.?0+$/, '')}${u}`;
  return String(n);
}
const showShape = (s: readonly number[]) => s.join('×');
const bytes = (n: number) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

// ---- loading ----
function parseInputShapes(text: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const m = /^([^=]+)=([\d,x×]+)$/.exec(part);
    if (!m) throw new DiagnosticError([{ severity: 'error', message: `input shapes: "${part}" is not name=N,C,H,W` }]);
    out[m[1]] = m[2].split(/[,x×]/).map(Number);
  }
  return out;
}

export interface LoadSummary {
  ok: boolean;
  name?: string;
  layers?: number;
  params?: number;
  macs?: number;
  blobs?: Record<string, number[]>;
  inputs?: string[];
  outputs?: string[];
  diagnostics: Diagnostic[];
}

async function load(text: string, file: string, inputsText: string): Promise<LoadSummary> {
  state.file = file;
  let net: Net;
  try {
    net = loadNet(text, { file, inputs: parseInputShapes(inputsText) });
  } catch (e) {
    state.net = undefined;
    const diagnostics =
      e instanceof DiagnosticError ? e.diagnostics : [{ severity: 'error' as const, message: `internal error: ${(e as Error).message}` }];
    showDiagnostics(diagnostics, text);
    $('summary').textContent = 'The net did not load: see the diagnostics.';
    for (const id of ['shapes', 'analysis', 'graph']) $(id).replaceChildren();
    return { ok: false, diagnostics };
  }
  state.net = net;
  const warnings = showShapesAndAnalysis(net);
  showDiagnostics(warnings, text);
  await renderGraph(net, $('graph'));
  const json = net.toJSON();
  return {
    ok: true,
    name: net.name,
    layers: net.layers.length,
    params: net.totalParams,
    macs: net.totalMacs,
    blobs: json.blobs,
    inputs: net.inputs,
    outputs: net.outputs,
    diagnostics: warnings,
  };
}

function showShapesAndAnalysis(net: Net): Diagnostic[] {
  const json = net.toJSON();
  const memory = json.layers.reduce((sum, l) => sum + l.top_shapes.reduce((s, t) => s + 4 * t.reduce((a, b) => a * b, 1), 0), 0);
  $('summary').replaceChildren(
    el(
      'p',
      {},
      el('strong', {}, net.name ?? '(unnamed net)'),
      ` · ${net.layers.length} layers · ${thousands(net.totalParams)} parameters (${bytes(4 * net.totalParams)}) · ${compact(net.totalMacs)} MACs · blobs ${bytes(memory)} (float32)`,
    ),
    el('p', {}, `inputs: ${net.inputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`).join(', ') || '(none)'}`),
    el('p', {}, `outputs: ${net.outputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`).join(', ') || '(none)'}`),
  );

  const table = $('shapes');
  const head = el('tr', {}, ...['layer', 'type', 'bottoms → tops', 'params', 'MACs', 'top memory'].map((h) => el('th', {}, h)));
  const rows = net.layers.map((layer, i) => {
    const l = json.layers[i];
    const inPlace = layer.tops.length > 0 && layer.tops.every((_, t) => layer.isInPlace(t));
    const tops = layer.tops.map((t) => `${t.name} ${showShape(t.shape)}`).join(', ');
    const flow = inPlace ? `${tops} (in place)` : `${l.bottom.join(', ')}${l.bottom.length ? ' ' : ''}→ ${tops}`;
    const params = l.params.length ? `${l.params.map(showShape).join(' + ')} (${thousands(layer.paramCount)})` : '';
    const mem = l.top_shapes.reduce((s, t) => s + 4 * t.reduce((a, b) => a * b, 1), 0);
    const row = el(
      'tr',
      {},
      el('td', {}, l.name),
      el('td', {}, l.type),
      el('td', {}, flow),
      el('td', {}, params),
      el('td', { className: 'num', title: thousands(l.macs) }, l.macs ? compact(l.macs) : ''),
      el('td', { className: 'num' }, inPlace ? '' : bytes(mem)),
    );
    row.dataset.layer = l.name;
    if (layer.loc) row.title = `line ${layer.loc.line}`;
    row.addEventListener('click', () => layer.loc && selectLine(layer.loc.line));
    return row;
  });
  const total = el(
    'tr',
    { className: 'total' },
    el('td', {}, 'total'),
    el('td', {}, ''),
    el('td', {}, ''),
    el('td', {}, thousands(net.totalParams)),
    el('td', { className: 'num' }, compact(net.totalMacs)),
    el('td', { className: 'num' }, bytes(memory)),
  );
  table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows, total));

  // Analysis: crops (offsets in the file and computed), merges, what crops cut away, receptive fields.
  const warnings: Diagnostic[] = [];
  const target = $('analysis');
  target.replaceChildren();
  let report: ReturnType<typeof analyzeNet>;
  try {
    report = analyzeNet(net);
  } catch (e) {
    const diagnostics =
      e instanceof DiagnosticError ? e.diagnostics : [{ severity: 'error' as const, message: `analysis failed: ${(e as Error).message}` }];
    target.append(el('p', { className: 'note' }, 'No analysis for this net: see the diagnostics.'));
    return diagnostics;
  }
  const a = analysisJSON(report) as {
    input: string | null;
    crops: {
      layer: string;
      axis: number;
      offset_file: number[];
      offset_computed: number[] | null;
      ok: boolean;
      reason?: string;
      cropped_border: { axis: number; side: string; units: number[]; kinds: Record<string, number> }[];
    }[];
    merges: { layer: string; ok: boolean; reason?: string }[];
    maps: Record<string, Record<string, { a: number[]; b: number[] }>>;
    receptive_fields: Record<string, { size: number[]; jump: number[]; start: number[] }>;
  };
  for (const c of report.crops)
    if (!c.ok)
      warnings.push({
        severity: 'warning',
        message: `Crop "${c.layer.name}": offset ${c.offsetFile.join(', ')} in the file, ${c.offsetComputed ? `${c.offsetComputed.join(', ')} aligns its bottoms` : 'cannot be computed'}${c.reason ? ` (${c.reason})` : ''}`,
        location: c.layer.loc,
      });
  for (const m of report.merges)
    if (!m.ok)
      warnings.push({
        severity: 'warning',
        message: `${m.layer.type} "${m.layer.name}" joins misaligned blobs${m.reason ? `: ${m.reason}` : ''}`,
        location: m.layer.loc,
      });

  if (a.crops.length) {
    const rows = a.crops.map((c) =>
      el(
        'tr',
        { className: c.ok ? '' : 'bad' },
        el('td', {}, c.layer),
        el('td', {}, String(c.axis)),
        el('td', {}, c.offset_file.join(', ')),
        el('td', {}, c.offset_computed?.join(', ') ?? '—'),
        el('td', {}, c.ok ? 'ok' : (c.reason ?? 'wrong')),
        el(
          'td',
          {},
          c.cropped_border
            .map(
              (b) =>
                `axis ${b.axis} ${b.side} units ${b.units.join('–')}: ${b.kinds.padding ?? 0} padding only, ${b.kinds.partial ?? 0} partly real, ${b.kinds.inside ?? 0} entirely real`,
            )
            .join('; '),
        ),
      ),
    );
    target.append(
      el('h3', {}, 'Crops'),
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el('tr', {}, ...['layer', 'axis', 'file offset', 'computed', 'status', 'what it cuts away'].map((h) => el('th', {}, h))),
        ),
        el('tbody', {}, ...rows),
      ),
    );
  } else target.append(el('p', { className: 'note' }, 'No Crop layers.'));
  if (a.merges.length) {
    target.append(
      el('h3', {}, 'Merges'),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, el('th', {}, 'layer'), el('th', {}, 'aligned'))),
        el(
          'tbody',
          {},
          ...a.merges.map((m) =>
            el('tr', { className: m.ok ? '' : 'bad' }, el('td', {}, m.layer), el('td', {}, m.ok ? 'yes' : `no: ${m.reason ?? ''}`)),
          ),
        ),
      ),
    );
  }
  const rf = Object.entries(a.receptive_fields);
  if (rf.length && a.input) {
    const rows = rf.map(([blob, f]) => {
      const map = a.maps[blob]?.[a.input!];
      return el(
        'tr',
        {},
        el('td', {}, blob),
        el('td', {}, showShape(net.blob(blob).shape)),
        el('td', {}, map ? map.a.map((x, i) => `${x}·x ${map.b[i] >= 0 ? '+' : '−'} ${Math.abs(map.b[i])}`).join(' | ') : ''),
        el('td', { className: 'num' }, f.size.join(' × ')),
        el('td', { className: 'num' }, f.jump.join(', ')),
        el('td', { className: 'num' }, f.start.join(', ')),
      );
    });
    target.append(
      el('h3', {}, `Coordinate maps and receptive fields (relative to "${a.input}")`),
      el(
        'div',
        { className: 'scroll short' },
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ...['blob', 'shape', 'blob = a·x + b', 'field size', 'jump', 'start'].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...rows),
        ),
      ),
    );
  }
  return warnings;
}

function showDiagnostics(diagnostics: Diagnostic[], text: string): void {
  const list = $('diagnostics');
  if (!diagnostics.length) {
    list.replaceChildren(el('li', { className: 'note' }, 'none'));
    return;
  }
  const lines = text.split('\n');
  list.replaceChildren(
    ...diagnostics.map((d) => {
      const loc = d.location;
      const where = loc ? `${loc.file}:${loc.line}:${loc.column}: ` : '';
      const item = el(
        'li',
        { className: d.severity },
        el('span', { className: 'where' }, where),
        el('strong', {}, `${d.severity}: `),
        d.message,
      );
      if (loc && lines[loc.line - 1] !== undefined) {
        const src = lines[loc.line - 1];
        item.append(
          el(
            'pre',
            { className: 'excerpt' },
            `${String(loc.line).padStart(5)} | ${src}\n      | ${' '.repeat(Math.max(0, loc.column - 1))}^`,
          ),
        );
        item.addEventListener('click', () => selectLine(loc.line));
        item.title = 'show this line in the source';
      }
      if (d.hint) item.append(el('div', { className: 'hint' }, `hint: ${d.hint}`));
      return item;
    }),
  );
}

/** Selects a line of the source box and scrolls to it. */
function selectLine(line: number): void {
  const box = $<HTMLTextAreaElement>('source');
  const lines = box.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0);
  box.focus();
  box.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 16;
  box.scrollTop = Math.max(0, (line - 5) * lineHeight);
}

// ---- forward passes ----
export interface ForwardRequest {
  backend: string;
  /** Inputs by blob name; default: the image (or a test pattern) preprocessed into the first input. */
  inputs?: Record<string, { shape: number[]; data: number[] | Float32Array }>;
  /** .caffemodel bytes; default: the dropped file, else fillers with `seed`. */
  weights?: Uint8Array | ArrayBuffer;
  seed?: number;
  threads?: boolean;
  /** Blobs to return (default the outputs). */
  blobs?: string[];
}
export interface ForwardResult {
  backend: string;
  reason: string;
  compileMs: number;
  firstMs: number;
  secondMs: number;
  outputs: Record<string, { shape: number[]; data: Float32Array }>;
}

async function forward(req: ForwardRequest): Promise<ForwardResult> {
  const net = state.net;
  if (!net) throw new Error('load a net first');
  const inputs: Record<string, Tensor> = {};
  if (req.inputs) {
    for (const [name, t] of Object.entries(req.inputs))
      inputs[name] = { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) };
  } else {
    for (const name of net.inputs) inputs[name] = imageInput(net.blob(name).shape);
  }
  const weights = req.weights ?? state.weights?.bytes;
  const t0 = performance.now();
  const compiled = await compile(
    net,
    weights
      ? { weights, backend: req.backend as never, threads: req.threads ?? true }
      : { seed: req.seed ?? 1, backend: req.backend as never, threads: req.threads ?? true },
  );
  try {
    const t1 = performance.now();
    const options = req.blobs ? { blobs: req.blobs } : {};
    await compiled.forward(inputs, options);
    const t2 = performance.now();
    const outputs = await compiled.forward(inputs, options);
    const t3 = performance.now();
    return {
      backend: compiled.backend,
      reason: compiled.backendReason,
      compileMs: t1 - t0,
      firstMs: t2 - t1,
      secondMs: t3 - t2,
      outputs: outputs as ForwardResult['outputs'],
    };
  } finally {
    compiled.destroy();
  }
}

function readPreprocess(): Preprocess {
  const num = (id: string) => {
    const v = Number($<HTMLInputElement>(id).value);
    if (!Number.isFinite(v)) throw new Error(`${id}: not a number`);
    return v;
  };
  return {
    mean: parseNumbers($<HTMLInputElement>('mean').value, 'mean'),
    rawScale: num('raw-scale'),
    inputScale: num('input-scale'),
    swap: parseNumbers($<HTMLInputElement>('swap').value, 'channel swap'),
  };
}

/** The image (or a colour test pattern) resized to the input's H×W on a canvas, preprocessed as Caffe does. */
function imageInput(shape: number[]): Tensor {
  if (shape.length !== 4)
    throw new Error(`input of shape ${showShape(shape)}: an image fills N×C×H×W inputs; give inputs by hand (brewnetPage.forward)`);
  const [n, c, h, w] = shape;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  if (state.image) ctx.drawImage(state.image, 0, 0, w, h);
  else {
    const g = ctx.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, '#d33');
    g.addColorStop(0.5, '#3a3');
    g.addColorStop(1, '#33d');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  }
  const preview = $<HTMLCanvasElement>('preview');
  preview.getContext('2d')!.drawImage(canvas, 0, 0, preview.width, preview.height);
  const one = toBlob(ctx.getImageData(0, 0, w, h).data, w, h, c, readPreprocess());
  const data = new Float32Array(n * one.length);
  for (let i = 0; i < n; i++) data.set(one, i * one.length);
  return { shape, data };
}

async function runSelected(): Promise<void> {
  const backends = [...document.querySelectorAll<HTMLInputElement>('#backends input:checked')].map((b) => b.value);
  const timings = $('timings');
  const result = $('result');
  timings.replaceChildren(
    el('tr', {}, ...['backend', 'ran on', 'compile', '1st forward', '2nd forward', 'vs first backend'].map((h) => el('th', {}, h))),
  );
  result.replaceChildren();
  let first: ForwardResult | undefined;
  for (const backend of backends) {
    const row = el('tr', {}, el('td', {}, backend), el('td', { colSpan: 5, className: 'note' }, 'running…'));
    timings.append(row);
    await new Promise((r) => setTimeout(r, 20)); // let the row paint
    try {
      const r = await forward({ backend, seed: Number($<HTMLInputElement>('seed').value) || 0 });
      const diff = first ? maxRelativeDifference(first.outputs, r.outputs) : undefined;
      row.replaceChildren(
        el('td', {}, backend),
        el('td', { title: r.reason }, r.backend),
        ...[r.compileMs, r.firstMs, r.secondMs].map((ms) => el('td', { className: 'num' }, `${ms.toFixed(0)} ms`)),
        el('td', { className: 'num' }, diff === undefined ? '—' : diff.toExponential(1)),
      );
      if (!first) {
        first = r;
        showOutputs(r.outputs);
      }
    } catch (e) {
      const message =
        e instanceof DiagnosticError
          ? e.diagnostics.map((d) => d.message + (d.hint ? ` (hint: ${d.hint})` : '')).join('; ')
          : (e as Error).message;
      row.replaceChildren(el('td', {}, backend), el('td', { colSpan: 5, className: 'error' }, message));
    }
  }
}

function maxRelativeDifference(a: ForwardResult['outputs'], b: ForwardResult['outputs']): number {
  let worst = 0;
  for (const [name, t] of Object.entries(a)) {
    const u = b[name].data;
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < t.data.length; i++) {
      scale = Math.max(scale, Math.abs(t.data[i]));
      diff = Math.max(diff, Math.abs(t.data[i] - u[i]));
    }
    worst = Math.max(worst, diff / (scale || 1));
  }
  return worst;
}

const PALETTE = [
  [0, 0, 0],
  [128, 0, 0],
  [0, 128, 0],
  [128, 128, 0],
  [0, 0, 128],
  [128, 0, 128],
  [0, 128, 128],
  [128, 128, 128],
  [64, 0, 0],
  [192, 0, 0],
  [64, 128, 0],
  [192, 128, 0],
  [64, 0, 128],
  [192, 0, 128],
  [64, 128, 128],
  [192, 128, 128],
  [0, 64, 0],
  [128, 64, 0],
  [0, 192, 0],
  [128, 192, 0],
  [0, 64, 128],
];

/** Classification outputs as a top-5 list; spatial score maps as a per-pixel argmax picture (VOC colours). */
function showOutputs(outputs: ForwardResult['outputs']): void {
  const result = $('result');
  for (const [name, t] of Object.entries(outputs)) {
    const s = t.shape;
    const spatial = s.length === 4 && s[2] * s[3] > 1;
    if (spatial && s[1] > 1) {
      const [, c, h, w] = s;
      const canvas = el('canvas', { width: w, height: h, className: 'segmentation', title: `${name}: argmax over ${c} channels` });
      const ctx = canvas.getContext('2d')!;
      const img = ctx.createImageData(w, h);
      for (let i = 0; i < h * w; i++) {
        let best = 0;
        for (let k = 1; k < c; k++) if (t.data[k * h * w + i] > t.data[best * h * w + i]) best = k;
        const col = PALETTE[best % PALETTE.length];
        img.data.set([col[0], col[1], col[2], 255], i * 4);
      }
      ctx.putImageData(img, 0, 0);
      result.append(el('p', {}, `${name} ${showShape(s)}: argmax per pixel`), canvas);
    } else {
      const per = t.data.length / (s[0] || 1);
      const top = [...t.data.subarray(0, per)]
        .map((v, i) => [i, v])
        .sort((x, y) => y[1] - x[1])
        .slice(0, 5);
      result.append(
        el('p', {}, `${name} ${showShape(s)}: top ${top.length}`),
        el('ol', { start: 1 }, ...top.map(([i, v]) => el('li', {}, `class ${i}: ${v.toPrecision(4)}`))),
      );
    }
  }
}

// ---- wiring ----
async function loadFromBox(): Promise<LoadSummary> {
  return load(
    $<HTMLTextAreaElement>('source').value,
    $<HTMLInputElement>('file-name').value || 'net.prototxt',
    $<HTMLInputElement>('input-shapes').value,
  );
}

async function loadExample(key: string): Promise<LoadSummary> {
  const ex = EXAMPLES[key];
  $<HTMLTextAreaElement>('source').value = ex.text;
  $<HTMLInputElement>('file-name').value = ex.file;
  $<HTMLInputElement>('input-shapes').value = ex.inputs;
  return loadFromBox();
}

async function takeFiles(files: Iterable<File>): Promise<void> {
  let netFile: File | undefined;
  for (const f of files) {
    if (/\.caffemodel$/i.test(f.name)) {
      state.weights = { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
      $('weights-status').textContent = `Weights: ${f.name} (${bytes(f.size)}).`;
    } else if (f.type.startsWith('image/')) {
      state.image = await createImageBitmap(f);
      const preview = $<HTMLCanvasElement>('preview');
      preview.getContext('2d')!.drawImage(state.image, 0, 0, preview.width, preview.height);
    } else netFile = f;
  }
  if (netFile) {
    $<HTMLTextAreaElement>('source').value = await netFile.text();
    $<HTMLInputElement>('file-name').value = netFile.name;
    await loadFromBox();
  }
}

function wire(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-example]'))
    b.addEventListener('click', () => void loadExample(b.dataset.example!));
  $('load').addEventListener('click', () => void loadFromBox());
  $('run').addEventListener('click', () => void runSelected());
  $<HTMLInputElement>('files').addEventListener('change', (e) => void takeFiles((e.target as HTMLInputElement).files ?? []));
  $<HTMLInputElement>('image').addEventListener('change', (e) => void takeFiles((e.target as HTMLInputElement).files ?? []));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void takeFiles(e.dataTransfer?.files ?? []);
  });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  $('env').textContent =
    `Threads: ${isolated ? `Web Workers (cross-origin isolated, ${navigator.hardwareConcurrency} cores)` : 'one (serve the page with COOP/COEP headers for Web Workers)'}. Timings include kernel compilation on the 1st forward pass (GL shaders, WebAssembly).`;
}

declare global {
  interface Window {
    brewnetPage: {
      load: typeof load;
      loadExample: typeof loadExample;
      forward: typeof forward;
      toBlob: typeof toBlob;
      defaults: Preprocess;
    };
  }
}
window.brewnetPage = { load, loadExample, forward, toBlob, defaults: CAFFE_DEFAULTS };
wire();
void loadExample('fcn8s');
