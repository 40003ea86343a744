// `drawNet` / `netToDot` on small nets and FCN-8s: every layer named in the picture, edges labelled with
// shapes, in-place layers folded into their producer, the analysis drawn (a wrong Crop offset in red with
// the one it needs, a misaligned merge, receptive fields in the hover text), and PNG text really drawn.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawNet, loadNet, netGraph, netToDot, svgToPng } from '../../src/index.js';
import { findFonts } from '../../src/cli/draw-fonts.js';
import { PROBLEM_COLOUR } from '../../src/draw/layer-style.js';

const FCN8S = readFileSync('examples/fcn8s-deploy.prototxt', 'utf8');

const small = `name: "small"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 16 dim: 16 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 8 kernel_size: 3 pad: 1 stride: 2 group: 1 } }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool1" top: "fc" inner_product_param { num_output: 10 } }
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
`;

// A Crop whose offset is missing (it needs 1) feeding a merge that is therefore misaligned.
const misaligned = `layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
layer { name: "wide" type: "Convolution" bottom: "data" top: "wide" convolution_param { num_output: 1 kernel_size: 3 pad: 2 } }
layer { name: "narrow" type: "Convolution" bottom: "data" top: "narrow" convolution_param { num_output: 1 kernel_size: 1 } }
layer { name: "wide_c" type: "Crop" bottom: "wide" bottom: "narrow" top: "wide_c" }
layer { name: "sum" type: "Eltwise" bottom: "wide_c" bottom: "narrow" top: "sum" }
`;

/** The lines of text of an SVG, entities decoded: Graphviz writes a line's runs (a ✓ in its own) as <text>s at one y. */
function texts(svg: string): string[] {
  const lines: string[] = [];
  let lastY: string | undefined;
  for (const m of svg.matchAll(/<text[^>]* y="([^"]*)"[^>]*>([^<]*)<\/text>/g)) {
    if (m[1] === lastY) lines[lines.length - 1] += decode(m[2]);
    else lines.push(decode(m[2]));
    lastY = m[1];
  }
  return lines;
}

/** The <title> of the SVG group whose data-layer is `name`. */
function titleOf(svg: string, name: string): string {
  const m = svg.match(new RegExp(`data-layer="${name}">\\s*<title>([^<]*)</title>`));
  if (!m) throw new Error(`no node for layer ${name}`);
  return decode(m[1]);
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#45;/g, '-')
    .replace(/&amp;/g, '&');
}

describe('netToDot', () => {
  it('folds in-place layers into their producer and labels edges with shapes', () => {
    const net = loadNet(small, { file: 'small.prototxt' });
    const graph = netGraph(net);
    // data, conv1 (+ bn1, relu1), pool1, fc, prob, and the output blob prob
    expect(graph.nodes.map((n) => n.layers.map((l) => l.name).join('+') || `output:${n.output!.name}`)).toEqual([
      'data',
      'conv1+bn1+relu1',
      'pool1',
      'fc',
      'prob',
      'output:prob',
    ]);
    const dot = netToDot(net);
    expect(dot).toMatch(/^digraph "small" \{/);
    expect(dot).toContain('+ BatchNorm bn1');
    expect(dot).toContain('+ ReLU relu1');
    expect(dot).toContain('8 out, 3×3, stride 2, pad 1');
    expect(dot).toContain('AVE, 2×2, stride 2');
    // The forks' depthwise convolution says so, and not the num_output it ignores.
    const dw = loadNet(small.replace('type: "Convolution"', 'type: "ConvolutionDepthwise"'), { file: 'small.prototxt' });
    expect(netToDot(dw)).toContain('depthwise, 3×3, stride 2, pad 1');
    // Edges: data → conv1, conv1 → pool1 (the ReLU's version, shape after the stride), …
    expect(dot).toMatch(/layer0 -> layer1 \[id="edge0", label="1×3×16×16"/);
    expect(dot).toMatch(/layer1 -> layer2 \[id="edge1", label="1×8×8×8"/);
    expect(dot).toMatch(/layer4 -> output0 \[[^\]]*label="1×10"/);
    expect(dot).toContain('rankdir=TB');
    expect(netToDot(net, { rankdir: 'LR' })).toContain('rankdir=LR');
  });

  it('escapes names in labels and strings', () => {
    const net = loadNet(
      `layer { name: "in<\\"put>&" type: "Input" top: "d\\\\a" input_param { shape { dim: 1 dim: 2 } } }
layer { name: "ip" type: "InnerProduct" bottom: "d\\\\a" top: "o" inner_product_param { num_output: 2 } }`,
      { file: 'esc.prototxt' },
    );
    const dot = netToDot(net);
    expect(dot).toContain('<B>in&lt;&quot;put&gt;&amp;</B>');
    expect(dot).toContain('label="d\\\\a\\n1×2"');
  });
});

describe('drawNet', () => {
  it('draws every FCN-8s layer by name, every edge with its blob shape, receptive fields on hover', async () => {
    const net = loadNet(FCN8S, { file: 'fcn8s-deploy.prototxt' });
    const svg = await drawNet(net);
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
    const shown = texts(svg);
    const all = shown.join('\n');
    for (const layer of net.layers) {
      const inPlace = layer.tops.length > 0 && layer.tops.every((_, i) => layer.isInPlace(i));
      if (inPlace) expect(shown).toContain(`+ ${layer.type} ${layer.name}`);
      else expect(shown).toContain(layer.name);
    }
    // No node of its own for an in-place layer.
    expect(svg).not.toContain('data-layer="relu1_1"');
    for (const blob of net.blobs) expect(all).toContain(blob.shape.join('×'));
    expect(shown).toContain('offset 5 ✓');
    expect(shown).toContain('offset 31 ✓');
    expect(shown).toContain('21 out, 16×16, stride 8');
    expect(shown).toContain('no bias');
    expect(shown).toContain('MAX, 2×2, stride 2');
    expect(titleOf(svg, 'fc6')).toContain('receptive field 404×404, jump 32, unit 0 centred at 12.5 (data pixels)');
    expect(titleOf(svg, 'fc6')).toContain('coordinate map from data: a=1/32, b=-0.390625');
    expect(titleOf(svg, 'conv1_1')).toContain('+ relu1_1 (ReLU, in place) at fcn8s-deploy.prototxt:7:1');
    expect(titleOf(svg, 'score')).toMatch(/score 1×21×500×500\n {2}coordinate map from data: a=1, b=0/);
    expect(svg).not.toContain(PROBLEM_COLOUR);
  });

  it('draws a wrong Crop offset in red with the computed one', async () => {
    const wrong = FCN8S.replace('crop_param { axis: 2 offset: 5 }', 'crop_param { axis: 2 offset: 2 }');
    const svg = await drawNet(loadNet(wrong, { file: 'wrong.prototxt' }));
    expect(svg).toMatch(
      new RegExp(
        `<text[^>]*fill="${PROBLEM_COLOUR}"[^>]*>offset 2 </text>\\s*<text[^>]*>✗</text>\\s*<text[^>]*fill="${PROBLEM_COLOUR}"[^>]*>needs 5</text>`,
      ),
    );
    expect(svg).toMatch(
      new RegExp(`class="node layer family&#45;crop problem" data-layer="score_pool4c">[\\s\\S]*?stroke="${PROBLEM_COLOUR}"`),
    );
    expect(titleOf(svg, 'score_pool4c')).toContain('the file gives offset 2, 2, but aligning "score_pool4" with "upscore2" needs offset 5');
    // The other crops are still right.
    expect(texts(svg)).toContain('offset 9 ✓');
  });

  it('flags a missing Crop offset and the misaligned merge after it', async () => {
    const net = loadNet(misaligned, { file: 'misaligned.prototxt' });
    const svg = await drawNet(net);
    const shown = texts(svg);
    expect(shown).toContain('offset 0 ✗');
    expect(shown).toContain('needs 1');
    expect(shown).toContain('misaligned merge ✗');
    expect(shown).toContain('crop "wide_c" to "narrow" with');
    expect(titleOf(svg, 'sum')).toMatch(/misaligned merge at "sum"/);
    expect(
      netGraph(net)
        .nodes.filter((n) => n.problem)
        .map((n) => n.layers[0].name),
    ).toEqual(['wide_c', 'sum']);
    // Without the analysis nothing is judged.
    expect(await drawNet(net, { analysis: false })).not.toContain(PROBLEM_COLOUR);
  });

  it('highlights the layers asked for', async () => {
    const net = loadNet(small, { file: 'small.prototxt' });
    const svg = await drawNet(net, { highlight: ['relu1', 'nope'] });
    expect(svg).toMatch(/class="node layer family&#45;convolution highlighted" data-layer="conv1"/);
    expect(svg.match(/highlighted/g)).toHaveLength(1);
  });
});

describe('maxBoxes', () => {
  it('refuses to lay out more boxes than asked, saying how to go on', async () => {
    const net = loadNet(small, { file: 'small.prototxt' });
    await expect(drawNet(net, { maxBoxes: 5 })).rejects.toThrow(
      'error: the net has 6 boxes to lay out, more than 5: Graphviz would take minutes or more\n  hint: raise the limit',
    );
    expect(await drawNet(net, { maxBoxes: 6 })).toContain('<svg');
  });
});

describe('svgToPng', () => {
  it('draws text with the fonts found on the system', async (ctx) => {
    let fonts;
    try {
      fonts = findFonts();
    } catch {
      ctx.skip(); // no font installed: the CLI says so (tested in test/cli/draw.test.ts)
      return;
    }
    const wasm = readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'));
    const svg = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="5" y="20" font-family="Helvetica,sans-Serif" font-size="14">${text}</text></svg>`;
    const dark = async (text: string) => {
      const png = PNG.sync.read(Buffer.from(await svgToPng(svg(text), { wasm, fonts: fonts.buffers, fontFamily: fonts.family, scale: 1 })));
      expect([png.width, png.height]).toEqual([120, 30]);
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128) n++;
      return n;
    };
    expect(await dark('')).toBe(0);
    expect(await dark('conv1_1 ✓')).toBeGreaterThan(50);
    // A picture too big for maxPixels is drawn smaller, keeping its proportions.
    const small = PNG.sync.read(
      Buffer.from(await svgToPng(svg('x'), { wasm, fonts: fonts.buffers, fontFamily: fonts.family, scale: 4, maxPixels: 120 * 30 })),
    );
    expect([small.width, small.height]).toEqual([120, 30]);
  });
});

describe('src/draw', () => {
  it('imports nothing from Node, so the web page can draw with it', () => {
    const files = readdirSync('src/draw').filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(readFileSync(`src/draw/${f}`, 'utf8'), f).not.toMatch(/from '(node:|fs|path|os|url)'/);
  });
});

describe('examples/fcn8s.svg', () => {
  it('is what brewnet draw makes of examples/fcn8s-deploy.prototxt', async () => {
    const svg = await drawNet(loadNet(FCN8S, { file: 'examples/fcn8s-deploy.prototxt' }));
    // Regenerate with: npx brewnet draw examples/fcn8s-deploy.prototxt -o examples/fcn8s.svg
    expect(svg === readFileSync('examples/fcn8s.svg', 'utf8'), 'examples/fcn8s.svg is stale').toBe(true);
  });
});
