// Faster R-CNN's layers (issue 14): ROIPooling's shape rule and diagnostics (its values are checked against
// OpenCV in fork-layers.test.ts, fixture roi_pooling), and py-faster-rcnn's Python ProposalLayer, whose
// number of regions only the data tells: planned at its bound post_nms_topN (values in proposal.test.ts),
// with located diagnostics for a param_str brewnet does not read and for a layer after it that mixes rows.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDiagnostic, inputLayer } from '../helpers/net-text.js';
import { DiagnosticError, loadNet } from '../../src/index.js';
import { corpusAvailable, corpusPath, repoRoot } from '../helpers/corpus.js';
import { runCli } from '../helpers/run-cli.js';
import { failure, tops } from '../helpers/shape-context.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { randomTensor } from '../helpers/random-params.js';

const diagnostic = firstDiagnostic;
const input = inputLayer;

describe('ROIPooling', () => {
  it('gives R×C×pooled_h×pooled_w', () => {
    const param = { pooled_h: 7, pooled_w: 6, spatial_scale: 0.0625 };
    expect(
      tops({
        type: 'ROIPooling',
        param,
        bottoms: [
          [1, 512, 14, 14],
          [300, 5],
        ],
        topCount: 1,
      }),
    ).toEqual([[300, 512, 7, 6]]);
    expect(
      tops({
        type: 'ROIPooling',
        param,
        bottoms: [
          [2, 8, 14, 14],
          [4, 5, 1, 1],
        ],
        topCount: 1,
      }),
    ).toEqual([[4, 8, 7, 6]]);
  });

  it('needs positive pooled sizes, an N×C×H×W map and R×5 regions', () => {
    const f = failure({
      type: 'ROIPooling',
      param: { pooled_w: 7 },
      bottoms: [
        [1, 4, 8, 8],
        [3, 5],
      ],
      topCount: 1,
    });
    expect(f.message).toBe('layer "layer" (ROIPooling): pooled_h must be > 0 (got 0)');
    expect(f.field).toBe('pooled_h');
    const param = { pooled_h: 2, pooled_w: 2 };
    expect(
      failure({
        type: 'ROIPooling',
        param,
        bottoms: [
          [4, 8, 8],
          [3, 5],
        ],
        topCount: 1,
      }).message,
    ).toMatch(/the feature map \(.*\) must be N×C×H×W \(got 4×8×8\)/);
    expect(
      failure({
        type: 'ROIPooling',
        param,
        bottoms: [
          [1, 4, 8, 8],
          [3, 4],
        ],
        topCount: 1,
      }).message,
    ).toMatch(/the ROIs \(.*, 3×4\) must be R×5: \[batch index, x1, y1, x2, y2\] per region/);
  });

  it('reads roi_pooling_param at the fork number (the opencv dialect) and locates a bad field', () => {
    const text = [
      input('data', [1, 4, 8, 8]),
      input('rois', [3, 5]),
      'layer { name: "pool" type: "ROIPooling" bottom: "data" bottom: "rois" top: "pool"',
      '  roi_pooling_param { pooled_h: 0 pooled_w: 2 } }',
    ].join('\n');
    expect(diagnostic(text)).toBe('4:23: layer "pool" (ROIPooling): pooled_h must be > 0 (got 0)');
    const net = loadNet(text.replace('pooled_h: 0', 'pooled_h: 3'));
    expect(net.blob('pool')!.shape).toEqual([3, 4, 3, 2]);
    expect(net.dialect).toBe('opencv');
  });
});

describe("py-faster-rcnn's ProposalLayer (a Python layer)", () => {
  const text = [
    input('score', [1, 18, 4, 4]),
    input('deltas', [1, 36, 4, 4]),
    input('im_info', [1, 3]),
    "layer { name: 'proposal' type: 'Python' bottom: 'score' bottom: 'deltas' bottom: 'im_info'",
    "  top: 'rois' top: 'scores'",
    "  python_param { module: 'rpn.proposal_layer' layer: 'ProposalLayer' param_str: \"'feat_stride': 16\" } }",
  ].join('\n');

  it('plans its tops at the bound, post_nms_topN rows (300 at TEST, 2000 at TRAIN)', () => {
    const net = loadNet(text);
    expect(net.blob('rois')!.shape).toEqual([300, 5]);
    expect(net.blob('scores')!.shape).toEqual([300, 1]);
    expect(loadNet(text, { phase: 'train' }).blob('rois')!.shape).toEqual([2000, 5]);
    const plan = buildPlan(net);
    const rois = plan.blobs.find(([b]) => b === 'rois')![1];
    expect(plan.values[rois].rowsOf).toBe(rois);
  });

  it('brewnet shapes says which blobs have as many rows as the layer keeps', () => {
    const r = runCli(['shapes', join(repoRoot, 'test', 'fixtures', 'proposal', 'python_vgg', 'net.prototxt')]);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      'rows: rois and scores have as many rows as layer "proposal" keeps, known only at run time; the shapes show the most, 300',
    );
  });

  it('--input for its tops says that brewnet computes them', () => {
    expect(diagnostic(text, { file: 'net.prototxt', inputs: { rois: [300, 5] } })).toBe(
      '4:1: --input names "rois", a top of layer "proposal" (Python), which brewnet runs: its shape comes from the layer',
    );
  });

  it("checks its bottoms as py-faster-rcnn's anchors read them", () => {
    expect(diagnostic(text.replace(input('deltas', [1, 36, 4, 4]), input('deltas', [1, 36, 4, 5])))).toBe(
      '4:1: layer "proposal" (Python): py-faster-rcnn\'s ProposalLayer: "deltas" must be 1×36×4×4 (4 deltas per anchor; got 1×36×4×5)',
    );
  });

  it('a param_str with keys brewnet does not read keeps the diagnostic asking for the tops', () => {
    expect(diagnostic(text.replace("'feat_stride': 16", "'feat_stride': 16, 'ratios': [1]"))).toMatch(
      /^5:3: layer "proposal" \(Python\): py-faster-rcnn's ProposalLayer \(rpn.proposal_layer\) with a param_str other than .* give it with --input rois=300,5/,
    );
  });

  it('other Python layers keep the generic diagnostic', () => {
    expect(diagnostic(text.replace("'rpn.proposal_layer'", "'my.layer'"))).toMatch(
      /^5:3: layer "proposal" \(Python\): shape of top "rois" cannot be known statically; give it with --input rois=N,C,H,W$/,
    );
  });

  it('a layer after the regions that may mix their rows is a located error', () => {
    const mixed = `${text}\nlayer { name: 'sum' type: 'Reduction' bottom: 'rois' top: 'sum' }`;
    expect(() => buildPlan(loadNet(mixed))).toThrow(DiagnosticError);
    try {
      buildPlan(loadNet(mixed));
    } catch (e) {
      const d = (e as DiagnosticError).diagnostics[0];
      expect(d.message).toMatch(/^layer "sum" \(Reduction\) reads "rois", whose rows only the data tells .* its rows may mix/);
      expect(d.location?.line).toBe(7);
    }
    // Softmax along axis 0 mixes rows too; along axis 1 it does not.
    const softmax = (axis: number) =>
      `${text}\nlayer { name: 'p' type: 'Softmax' bottom: 'scores' top: 'p' softmax_param { axis: ${axis} } }`;
    expect(() => buildPlan(loadNet(softmax(0)))).toThrow(/layer "p" \(Softmax\) reads "scores"/);
    expect(() => buildPlan(loadNet(softmax(1)))).not.toThrow();
  });
});

describe.skipIf(!corpusAvailable)('Faster R-CNN VGG16 end2end test net (corpus)', () => {
  const file = corpusPath('faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/test.prototxt');

  it('plans without --input rois: every blob after the regions follows their real count', () => {
    const plan = buildPlan(loadNet(file, { inputs: { data: [1, 3, 64, 64] } }));
    const value = (blob: string) => plan.values[plan.blobs.find(([b]) => b === blob)![1]];
    const rois = plan.blobs.find(([b]) => b === 'rois')![1];
    for (const blob of ['rois', 'pool5', 'fc7', 'cls_prob', 'bbox_pred']) expect(value(blob).rowsOf, blob).toBe(rois);
    expect(value('conv5_3').rowsOf).toBeUndefined();
  });
});

describe('ROIPooling forward', () => {
  it('truncates the batch index as the fork does, and refuses one outside the batch', () => {
    const text = [
      input('data', [2, 1, 2, 2]),
      input('rois', [1, 5]),
      'layer { name: "pool" type: "ROIPooling" bottom: "data" bottom: "rois" top: "pool" roi_pooling_param { pooled_h: 1 pooled_w: 1 } }',
    ].join('\n');
    const net = loadNet(text);
    const data = { shape: [2, 1, 2, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const run = (item: number) =>
      runReference(net, new Map(), { data, rois: { shape: [1, 5], data: Float32Array.from([item, 0, 0, 1, 1]) } }).blobs.get('pool')!.data;
    expect([...run(1.7)]).toEqual([8]);
    expect(() => run(2)).toThrow('layer "pool" (ROIPooling): ROI 0 names batch item 2; the feature map has 2 (0 to 1)');
  });
});

describe("ENet's spatial dropout (a Python layer brewnet knows)", () => {
  const net = (phase: string) => `
    layer { name: "x" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 4 dim: 5 } } }
    layer { name: "drop" type: "Python" bottom: "x" top: "drop"
            python_param { module: "spatial_dropout" layer: "SpatialDropoutLayer" param_str: "{'phase': '${phase}', 'p': '0.1'}" } }`;

  it('at TEST is the identity: its top has the bottom shape and values', async () => {
    const loaded = loadNet(net('TEST'), { file: 'enet.prototxt' });
    expect(loaded.blob('drop').shape).toEqual([1, 3, 4, 5]);
    const x = randomTensor([1, 3, 4, 5], 3);
    expect(Array.from(runReference(loaded, new Map(), { x }).blobs.get('drop')!.data)).toEqual(Array.from(x.data));
    const compiled = await compile(loaded, { backend: 'wasm', weights: new Map() });
    expect(Array.from((await compiled.forward({ x })).drop.data)).toEqual(Array.from(x.data));
    compiled.destroy();
  });

  it('set to TRAIN in param_str it drops channels at random: brewnet knows no more of it than of any Python layer', () => {
    expect(() => loadNet(net('TRAIN'), { file: 'enet.prototxt' })).toThrow(
      /enet\.prototxt:3:\d+: error: layer "drop" \(Python\): shape of top "drop" cannot be known statically/,
    );
  });
});
