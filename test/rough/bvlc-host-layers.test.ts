// The BVLC layers that run as host steps (issue 14): EuclideanLoss, SigmoidCrossEntropyLoss,
// MultinomialLogisticLoss, InfogainLoss, ContrastiveLoss, HingeLoss, Parameter, Embed, Im2col, SPP and
// DummyData, each on the reference executor and compiled for the cpu and wasm backends, against PyTorch and
// NumPy (test/fixtures/bvlc-forward/generate.py) — never against brewnet's own output.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, loadNet, runReference } from '../../src/index.js';
import type { Tensor } from '../../src/ir/tensor.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bvlc-forward');
const want = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

type Blobs = Record<string, Tensor>;
const t = (shape: number[], data: number[]): Tensor => ({ shape, data: Float32Array.from(data) });

/** Every blob after a forward pass on the reference executor, then on cpu and wasm: `check` runs on each. */
async function everywhere(prototxt: string, inputs: Blobs, check: (blobs: Blobs) => void, weights = new Map<string, Float32Array[]>()) {
  const net = loadNet(prototxt);
  check(Object.fromEntries(runReference(net, weights, inputs).blobs));
  for (const backend of ['cpu', 'wasm'] as const) {
    const compiled = await compile(net, { weights, backend });
    const out = await compiled.forward(inputs, { blobs: 'all' });
    compiled.destroy();
    check(out);
  }
}

function close(actual: ArrayLike<number>, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

const input = (tops: [string, number[]][]) =>
  `layer { name: "in" type: "Input" ${tops.map(([n]) => `top: "${n}"`).join(' ')} input_param { ${tops
    .map(([, s]) => `shape { ${s.map((d) => `dim: ${d}`).join(' ')} }`)
    .join(' ')} } }\n`;

describe('losses against PyTorch', () => {
  it('EuclideanLoss: Σ(a − b)² / N / 2', async () => {
    const w = want.euclid;
    const net = `${input([
      ['a', [3, 2, 2]],
      ['b', [3, 2, 2]],
    ])}layer { name: "loss" type: "EuclideanLoss" bottom: "a" bottom: "b" top: "loss" loss_weight: 3 }`;
    await everywhere(net, { a: t([3, 2, 2], w.a), b: t([3, 2, 2], w.b) }, (b) => {
      expect(b.loss.shape).toEqual([]);
      close(b.loss.data, [w.loss]);
    });
  });

  it.each([
    ['loss_param { ignore_label: -1 }', 'batch'],
    ['loss_param { ignore_label: -1 normalization: VALID }', 'valid'],
    ['loss_param { ignore_label: -1 normalize: true }', 'valid'],
    ['loss_param { ignore_label: -1 normalization: FULL }', 'full'],
    ['loss_param { ignore_label: -1 normalization: NONE }', 'none'],
    ['', 'batch_no_ignore'],
  ])('SigmoidCrossEntropyLoss %s', async (param, key) => {
    const w = want.sigmoid_ce;
    const net = `${input([
      ['x', [2, 3, 2]],
      ['t', [2, 3, 2]],
    ])}layer { name: "loss" type: "SigmoidCrossEntropyLoss" bottom: "x" bottom: "t" top: "loss" ${param} }`;
    await everywhere(net, { x: t([2, 3, 2], w.x), t: t([2, 3, 2], w.t) }, (b) => close(b.loss.data, [w[key]]));
  });

  it('MultinomialLogisticLoss clamps a zero probability at 1e-20', async () => {
    const w = want.mlogistic;
    const net = `${input([
      ['p', [4, 3]],
      ['l', [4, 1, 1, 1]],
    ])}layer { name: "loss" type: "MultinomialLogisticLoss" bottom: "p" bottom: "l" top: "loss" }`;
    await everywhere(net, { p: t([4, 3], w.p), l: t([4, 1, 1, 1], w.label) }, (b) => close(b.loss.data, [w.loss], 4));
  });

  it.each([
    ['', 'valid'],
    ['normalization: FULL', 'full'],
    ['normalization: BATCH_SIZE', 'batch'],
  ])(
    'InfogainLoss with H as bottom 2 and ignore_label (its softmax on its own axis, whatever softmax_param says), %s',
    async (param, key) => {
      const w = want.infogain;
      const net = `${input([
        ['x', [2, 3, 2]],
        ['l', [2, 1, 2]],
        ['H', [3, 3]],
      ])}layer { name: "loss" type: "InfogainLoss" bottom: "x" bottom: "l" bottom: "H" top: "loss" top: "prob" softmax_param { axis: 0 } loss_param { ignore_label: 7 ${param} } }`;
      await everywhere(net, { x: t([2, 3, 2], w.x), l: t([2, 1, 2], w.label), H: t([3, 3], w.H) }, (b) => {
        close(b.loss.data, [w[key]]);
        close(b.prob.data, w.prob);
      });
    },
  );

  it('InfogainLoss with H in a source file cannot run, at its line; `normalize` is refused', async () => {
    const net = loadNet(
      `${input([
        ['x', [2, 3]],
        ['l', [2]],
      ])}layer { name: "loss" type: "InfogainLoss" bottom: "x" bottom: "l" top: "loss" infogain_loss_param { source: "H.binaryproto" } }`,
    );
    await expect(compile(net, { weights: new Map() })).rejects.toThrow(
      /layer type InfogainLoss \(layer "loss"\) cannot run yet: its infogain matrix H/,
    );
    expect(() => runReference(net, new Map(), {})).toThrow(/cannot run yet/);
    // InfogainLossLayer::LayerSetUp refuses the deprecated `normalize`.
    const feeds = input([
      ['x', [2, 3]],
      ['l', [2]],
      ['H', [3, 3]],
    ]);
    expect(() =>
      loadNet(
        `${feeds}layer { name: "loss" type: "InfogainLoss" bottom: "x" bottom: "l" bottom: "H" top: "loss"\n  loss_param { normalize: false } }`,
      ),
    ).toThrow(/normalize is deprecated\. use "normalization"/);
  });

  it.each([
    ['contrastive_loss_param { margin: 1.5 }', 'margin15'],
    ['contrastive_loss_param { margin: 1.5 legacy_version: true }', 'legacy15'],
    ['', 'margin1'],
  ])('ContrastiveLoss %s', async (param, key) => {
    const w = want.contrastive;
    const net = `${input([
      ['a', [4, 3, 1, 1]],
      ['b', [4, 3, 1, 1]],
      ['s', [4, 1, 1, 1]],
    ])}layer { name: "loss" type: "ContrastiveLoss" bottom: "a" bottom: "b" bottom: "s" top: "loss" ${param} }`;
    await everywhere(net, { a: t([4, 3, 1, 1], w.a), b: t([4, 3, 1, 1], w.b), s: t([4, 1, 1, 1], w.sim) }, (b) =>
      close(b.loss.data, [w[key]]),
    );
  });

  it.each([
    ['', 'l1'],
    ['hinge_loss_param { norm: L2 }', 'l2'],
  ])('HingeLoss %s', async (param, key) => {
    const w = want.hinge;
    const net = `${input([
      ['x', [3, 4]],
      ['l', [3]],
    ])}layer { name: "loss" type: "HingeLoss" bottom: "x" bottom: "l" top: "loss" ${param} }`;
    await everywhere(net, { x: t([3, 4], w.x), l: t([3], w.label) }, (b) => close(b.loss.data, [w[key]]));
  });
});

describe('Parameter, Embed and Im2col against PyTorch', () => {
  it('Parameter: its top is its blob', async () => {
    const w = want.embed;
    const net = `layer { name: "p" type: "Parameter" top: "p" parameter_param { shape { dim: 5 dim: 4 } } }`;
    await everywhere(
      net,
      {},
      (b) => {
        expect(b.p.shape).toEqual([5, 4]);
        close(b.p.data, w.W);
      },
      new Map([['p', [Float32Array.from(w.W)]]]),
    );
  });

  it.each([
    ['', 'with_bias'],
    ['bias_term: false', 'no_bias'],
  ])('Embed %s: F.embedding (+ bias)', async (param, key) => {
    const w = want.embed;
    const net = `${input([['i', [2, 3]]])}layer { name: "e" type: "Embed" bottom: "i" top: "e" embed_param { num_output: 4 input_dim: 5 ${param} } }`;
    const blobs = key === 'with_bias' ? [Float32Array.from(w.W), Float32Array.from(w.bias)] : [Float32Array.from(w.W)];
    await everywhere(
      net,
      { i: t([2, 3], w.idx) },
      (b) => {
        expect(b.e.shape).toEqual([2, 3, 4]);
        close(b.e.data, w[key]);
      },
      new Map([['e', blobs]]),
    );
  });

  it.each([
    ['kernel_h: 3 kernel_w: 2 pad_h: 1 pad_w: 0 stride_h: 2 stride_w: 1 dilation: 1 dilation: 2', 'cols', [2, 18, 3, 4]],
    ['kernel_size: 2 stride: 2', 'plain', [2, 12, 2, 3]],
  ])('Im2col %s: F.unfold', async (param, key, shape) => {
    const w = want.im2col;
    const net = `${input([['x', [2, 3, 5, 6]]])}layer { name: "c" type: "Im2col" bottom: "x" top: "c" convolution_param { ${param} } }`;
    await everywhere(net, { x: t([2, 3, 5, 6], w.x) }, (b) => {
      expect(b.c.shape).toEqual(shape);
      close(b.c.data, w[key]);
    });
  });
});

describe('SPP against PyTorch', () => {
  it.each([
    ['MAX', 3, 'MAX'],
    ['AVE', 3, 'AVE'],
    ['MAX', 1, 'MAX1'],
    ['AVE', 1, 'AVE1'],
  ])('%s pooling, pyramid_height %d: max/avg_pool2d per level (ceil_mode), flattened and concatenated', async (pool, height, key) => {
    const w = want.spp;
    const net = `${input([['x', [2, 3, 6, 7]]])}layer { name: "spp" type: "SPP" bottom: "x" top: "y" spp_param { pyramid_height: ${height} pool: ${pool} } }`;
    await everywhere(net, { x: t([2, 3, 6, 7], w.x) }, (b) => {
      expect(b.y.shape).toEqual(w[key].shape);
      close(b.y.data, w[key].y);
    });
  });
});

describe('DummyData', () => {
  it('constant fillers are exact (np.full), one per top, with BlobShape and legacy shapes; none means zeros', async () => {
    const w = want.dummy;
    const net = `layer { name: "d" type: "DummyData" top: "c0" top: "c1" dummy_data_param {
      data_filler { type: "constant" value: 1.5 } data_filler { value: -0.1 } shape { dim: 2 dim: 3 } shape { dim: 1 dim: 2 dim: 1 dim: 2 } } }
layer { name: "z" type: "DummyData" top: "z" dummy_data_param { num: 3 channels: 1 height: 1 width: 1 } }`;
    await everywhere(net, {}, (b) => {
      expect(b.c0.shape).toEqual([2, 3]);
      expect([...b.c0.data]).toEqual(w.c0);
      expect([...b.c1.data]).toEqual(w.c1);
      expect(b.z.shape).toEqual([3, 1, 1, 1]);
      expect([...b.z.data]).toEqual(w.zeros);
    });
  });

  it("uniform, gaussian, xavier and msra follow their distributions, seeded (not Caffe's stream): the same values every run", async () => {
    const net = `layer { name: "d" type: "DummyData" top: "u" top: "g" top: "x" top: "m" dummy_data_param {
      data_filler { type: "uniform" min: -2 max: 3 } data_filler { type: "gaussian" mean: 1 std: 0.5 }
      data_filler { type: "xavier" } data_filler { type: "msra" variance_norm: FAN_OUT }
      shape { dim: 100 dim: 200 } shape { dim: 100 dim: 200 } shape { dim: 100 dim: 200 } shape { dim: 100 dim: 200 } } }`;
    const stats = (d: Float32Array) => {
      let s = 0;
      let s2 = 0;
      for (const v of d) {
        s += v;
        s2 += v * v;
      }
      const mean = s / d.length;
      return { mean, std: Math.sqrt(s2 / d.length - mean * mean), min: Math.min(...d), max: Math.max(...d) };
    };
    const seen: Float32Array[] = [];
    await everywhere(net, {}, (b) => {
      const u = stats(b.u.data);
      expect(u.min).toBeGreaterThanOrEqual(-2);
      expect(u.max).toBeLessThanOrEqual(3);
      expect(u.mean).toBeCloseTo(0.5, 1);
      expect(u.std).toBeCloseTo(5 / Math.sqrt(12), 1);
      const g = stats(b.g.data);
      expect(g.mean).toBeCloseTo(1, 1);
      expect(g.std).toBeCloseTo(0.5, 1);
      // xavier: U(±√(3/fan_in)), fan_in = 200; msra with FAN_OUT: N(0, √(2/fan_out)), fan_out = count / channels = 100.
      const x = stats(b.x.data);
      expect(x.max).toBeLessThanOrEqual(Math.sqrt(3 / 200));
      expect(x.std).toBeCloseTo(Math.sqrt(3 / 200) / Math.sqrt(3), 2);
      expect(stats(b.m.data).std).toBeCloseTo(Math.sqrt(2 / 100), 2);
      seen.push(Float32Array.from(b.u.data));
    });
    expect(seen.length).toBe(3);
    expect([...seen[1]]).toEqual([...seen[0]]);
    expect([...seen[2]]).toEqual([...seen[0]]);
  });

  it.each([
    ['type: "positive_unitball"', 'its data_filler is of type "positive_unitball"'],
    ['type: "gaussian" sparse: 2', 'its data_filler is a sparse gaussian filler'],
  ])('a %s filler cannot run, at its line', async (filler, why) => {
    const net = loadNet(
      `layer { name: "d" type: "DummyData" top: "d" dummy_data_param { data_filler { ${filler} } shape { dim: 2 dim: 3 } } }`,
    );
    await expect(compile(net, { weights: new Map() })).rejects.toThrow(`layer type DummyData (layer "d") cannot run yet: ${why}`);
  });
});
