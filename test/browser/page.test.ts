// The web page (web/, built by `npm run web`) in a real browser: Debian's Chromium, headless, driven by
// playwright-core. The page is served from memory at http://localhost with COOP/COEP headers (so it is
// cross-origin isolated and native kernels may use Web Workers). It loads FCN-8s (prototxt and NetSpec .py)
// and GoogLeNet with the shapes Node infers, draws the graph, shows diagnostics at their lines, and runs
// forward passes on wasm and on webgl2 (SwiftShader: WebGL2 on the CPU) that equal Node's (and PyTorch's,
// for the numerics fixtures, whose .caffemodel goes to the page as bytes) within 1e-4 of each blob's
// largest value. Skips, saying why, where Chromium is absent (BREWNET_CHROMIUM names another binary).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { repoRoot } from '../helpers/corpus.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { maxRelativeError } from '../helpers/random-params.js';
import { runCli } from '../helpers/run-cli.js';

const CHROMIUM = process.env.BREWNET_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set BREWNET_CHROMIUM)`);

const ORIGIN = 'http://localhost:8123';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Serves `dir` at ORIGIN from memory (no socket), cross-origin isolated. */
async function servedPage(b: Browser, dir: string): Promise<Page> {
  const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/$/, '/index.html');
    const file = join(dir, decodeURIComponent(path));
    if (!file.startsWith(dir) || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({
      body: readFileSync(file),
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    });
  });
  return p;
}

type Summary = {
  ok: boolean;
  blobs?: Record<string, number[]>;
  params?: number;
  macs?: number;
  layers?: number;
  diagnostics: { severity: string; message: string; location?: { line: number; column: number } }[];
};

const loadExample = (key: string) => page.evaluate((k) => window.brewnetPage.loadExample(k), key) as Promise<Summary>;

/** A forward pass in the page; outputs come back as plain arrays. */
async function pageForward(request: {
  backend: string;
  seed?: number;
  weights?: number[];
  inputs?: Record<string, { shape: number[]; data: number[] }>;
  blobs?: string[];
}) {
  return page.evaluate(async (req) => {
    const r = await window.brewnetPage.forward({ ...req, weights: req.weights ? new Uint8Array(req.weights) : undefined });
    return {
      backend: r.backend,
      reason: r.reason,
      outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }])),
    };
  }, request);
}

describe.skipIf(!haveChromium)('web page in Chromium', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-web-'));
    const built = spawnSync(process.execPath, [join(repoRoot, 'web', 'build.mjs'), dir], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const { chromium } = await import('playwright-core');
    // SwiftShader gives headless Chromium a WebGL2 context without a GPU.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
    page = await servedPage(browser, dir);
    await page.goto(`${ORIGIN}/`);
    await page.waitForSelector('#shapes tbody tr');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens on FCN-8s with the shapes Node infers, in the table, the summary and the graph', async () => {
    const summary = await loadExample('fcn8s');
    const node = loadNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt'));
    expect(summary.ok).toBe(true);
    expect(summary.blobs).toEqual(node.toJSON().blobs);
    expect(summary.params).toBe(134_489_759);
    expect(summary.macs).toBe(181_723_064_272);
    expect(await page.locator('#shapes tbody tr').count()).toBe(node.layers.length + 1); // + the total row
    expect(await page.textContent('#shapes tr[data-layer="score"]')).toContain('score 1×21×500×500');
    expect(await page.textContent('#summary')).toContain('134,489,759 parameters');
    // Crops: FCN-8s's three Crop layers, all with the offsets brewnet computes.
    expect(await page.locator('#analysis table').first().locator('tr', { hasText: 'score_pool4c' }).textContent()).toMatch(/ok/);
    const graph = await page.textContent('#graph');
    for (const layer of node.layers) expect(graph).toContain(layer.name);
    expect(pageErrors).toEqual([]);
    // To look at the page: BREWNET_SCREENSHOTS=dir npx vitest run test/browser/page.test.ts
    if (process.env.BREWNET_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.BREWNET_SCREENSHOTS, 'page-fcn8s.png'), fullPage: true });
  });

  it('the NetSpec script of FCN-8s gives the same net, GoogLeNet its own shapes', async () => {
    const fromPy = await loadExample('fcn8s-py');
    expect(fromPy.blobs).toEqual(loadNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt')).toJSON().blobs);
    const google = await loadExample('googlenet');
    const node = loadNet(join(repoRoot, 'examples', 'googlenet-deploy.prototxt'));
    expect(google.blobs).toEqual(node.toJSON().blobs);
    expect(google.blobs?.prob).toEqual([10, 1000]);
    expect(google.layers).toBe(node.layers.length);
    expect(await page.textContent('#shapes tr[data-layer="inception_5b/output"]')).toContain('inception_5b/output 10×1024×7×7');
  });

  it('shows a diagnostic at its line with the source line and the hint', async () => {
    const text =
      'name: "bad"\nlayer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\nlayer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernal_size: 3 } }\n';
    const summary = (await page.evaluate((t) => window.brewnetPage.load(t, 'bad.prototxt', ''), text)) as Summary;
    expect(summary.ok).toBe(false);
    expect(summary.diagnostics[0]).toMatchObject({
      severity: 'error',
      message: 'unknown field "kernal_size" in ConvolutionParameter',
      location: { line: 3 },
    });
    const shown = await page.textContent('#diagnostics');
    expect(shown).toContain(`bad.prototxt:3:${summary.diagnostics[0].location!.column}:`);
    expect(shown).toContain('did you mean "kernel_size"?');
    expect(shown).toContain('    3 | layer { name: "c"');
  });

  it('a module written by brewnet compile, bundled by esbuild, runs in a page with its weights from a fetch Response', async () => {
    const c = loadCase(numericsCases().find((m) => m.name === 'deconv')!);
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-module-web-'));
    copyFileSync(join(c.dir, 'weights.caffemodel'), join(dir, 'weights.caffemodel'));
    const compiled = runCli([
      'compile',
      join(c.dir, 'net.prototxt'),
      '--weights',
      join(dir, 'weights.caffemodel'),
      '-o',
      join(dir, 'net.mjs'),
    ]);
    expect(compiled.stderr).toBe('');
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, { shape: [...t.shape], data: Array.from(t.data) }]));
    writeFileSync(
      join(dir, 'main.js'),
      `import { createNet } from './net.mjs';
const inputs = ${JSON.stringify(inputs)};
for (const t of Object.values(inputs)) t.data = Float32Array.from(t.data);
// With --weights the module names the file by its path (for Node); a page hands over a fetch Response.
const net = await createNet({ backend: 'wasm', weights: await fetch('weights.caffemodel') });
const out = await net.forward(inputs, { blobs: 'all' });
globalThis.result = { backend: net.backend, out: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data)])) };
`,
    );
    // As a user's project would have them: brewnet and gpu.js installed.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    const web = join(dir, 'dist');
    await build({
      entryPoints: [join(dir, 'main.js')],
      outfile: join(web, 'main.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['brewnet-source'],
      logLevel: 'silent',
    });
    copyFileSync(join(dir, 'weights.caffemodel'), join(web, 'weights.caffemodel'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><script type="module" src="main.js"></script>');
    const p = await servedPage(browser, web);
    try {
      await p.goto(`${ORIGIN}/`);
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p
        .waitForFunction(() => (globalThis as { result?: unknown }).result, null, { timeout: 60_000 })
        .catch((e: Error) => {
          throw new Error(`${e.message}; page errors: ${errors.join('; ') || 'none'}`);
        });
      const r = await p.evaluate(() => (globalThis as unknown as { result: { backend: string; out: Record<string, number[]> } }).result);
      expect(r.backend).toBe('wasm');
      for (const [blob, expected] of c.expected)
        expect(maxRelativeError(Float32Array.from(r.out[blob]), expected.data), blob).toBeLessThan(1e-4);
    } finally {
      await p.close();
    }
  }, 120_000);

  // The PyTorch fixtures: weights go to the page as .caffemodel bytes; the page's outputs must match
  // PyTorch's values and Node's forward pass on the same backend.
  describe.each(['conv', 'deconv'])('numerics fixture %s', (name) => {
    it.each(['wasm', 'webgl2'])(
      '%s: equals PyTorch and Node within 1e-4',
      async (backend) => {
        const c = loadCase(numericsCases().find((m) => m.name === name)!);
        const text = readFileSync(join(c.dir, 'net.prototxt'), 'utf8');
        const shapes = Object.entries(c.inputs)
          .map(([n, t]) => `${n}=${t.shape.join(',')}`)
          .join(' ');
        const loaded = (await page.evaluate(([t, s]) => window.brewnetPage.load(t, 'net.prototxt', s), [text, shapes])) as Summary;
        expect(loaded.ok).toBe(true);
        const weights = readFileSync(join(c.dir, 'weights.caffemodel'));
        const inputs = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, { shape: [...t.shape], data: Array.from(t.data) }]));
        const outputs = [...c.expected.keys()].filter((b) => !(b in c.inputs));
        const r = await pageForward({ backend, weights: Array.from(weights), inputs, blobs: outputs });
        expect(r.backend).toBe(backend);
        const node = await compile(c.net, { weights: new Uint8Array(weights), backend: 'wasm' });
        const nodeOut = await node.forward(c.inputs, { blobs: outputs });
        node.destroy();
        for (const blob of outputs) {
          const got = r.outputs[blob];
          expect(got.shape).toEqual(c.expected.get(blob)!.shape);
          expect(maxRelativeError(Float32Array.from(got.data), c.expected.get(blob)!.data), `${blob} vs PyTorch`).toBeLessThan(1e-4);
          expect(maxRelativeError(Float32Array.from(got.data), nodeOut[blob].data), `${blob} vs Node`).toBeLessThan(1e-4);
        }
      },
      120_000,
    );
  });

  // GoogLeNet on webgl2 compiles ~140 shaders in SwiftShader (minutes on two busy cores): only with
  // BREWNET_BROWSER_FULL=1; webgl2 is checked above on the fixtures.
  const googleBackends = process.env.BREWNET_BROWSER_FULL === '1' ? ['wasm', 'webgl2'] : ['wasm'];
  it.each(googleBackends)(
    'GoogLeNet on %s (fillers, seed 1, 1×3×224×224) equals Node within 1e-4',
    async (backend) => {
      await page.evaluate(() => window.brewnetPage.loadExample('googlenet'));
      await page.evaluate(() =>
        window.brewnetPage.load(
          (document.getElementById('source') as HTMLTextAreaElement).value,
          'googlenet-deploy.prototxt',
          'data=1,3,224,224',
        ),
      );
      const data = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37) * 50);
      const inputs = { data: { shape: [1, 3, 224, 224], data: Array.from(data) } };
      const r = await pageForward({ backend, seed: 1, inputs });
      expect(r.backend).toBe(backend);
      const net = loadNet(join(repoRoot, 'examples', 'googlenet-deploy.prototxt'), { inputs: { data: [1, 3, 224, 224] } });
      const node = await compile(net, { seed: 1, backend: 'wasm' });
      const expected = (await node.forward({ data: { shape: [1, 3, 224, 224], data } })) as Record<string, Tensor>;
      node.destroy();
      expect(r.outputs.prob.shape).toEqual([1, 1000]);
      expect(maxRelativeError(Float32Array.from(r.outputs.prob.data), expected.prob.data)).toBeLessThan(1e-4);
    },
    300_000,
  );
});
