// prototxt → NetSpec script → prototxt gives the same message: over the corpus's nets (those brewnet
// loads, see corpus-expectations.ts), the examples, and a net built to exercise what NetSpec cannot say
// directly (unnamed layers, empty sub-messages, a blob written twice, odd names, net-level fields).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNet } from '../../src/api/load-net.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import { printNetSpec } from '../../src/printer/netspec-printer.js';
import type { Msg } from '../../src/schema/message.js';
import { corpusAvailable, corpusFiles, corpusPath, repoRoot } from '../helpers/corpus.js';
import { expected } from '../helpers/corpus-expectations.js';

/** The script for `net`, run in the sandbox, gives this message. */
function viaScript(net: Msg): Msg {
  return readNet(printNetSpec(net, { output: 'again.prototxt' }), { file: 'generated.py' });
}

const loadable = corpusFiles().filter((f) => expected[f] !== undefined && !('message' in expected[f]));

describe.skipIf(!corpusAvailable)('corpus nets survive prototxt → py → prototxt (../shared/corpus)', () => {
  it.each(loadable)('%s', (file) => {
    const net = readNet(corpusPath(file));
    expect(toProtoJSON(viaScript(net))).toEqual(toProtoJSON(net));
  });
});

describe('examples and hard cases', () => {
  it.each(['fcn8s-deploy.prototxt', 'lenet-v1.prototxt'])('examples/%s', (file) => {
    const net = readNet(join(repoRoot, 'examples', file));
    expect(toProtoJSON(viaScript(net))).toEqual(toProtoJSON(net));
  });

  const HARD = `
    name: "hard"
    force_backward: true
    state { phase: TRAIN stage: "a" }
    layer { name: "data" type: "Input" top: "data" top: "to_proto" input_param { shape { dim: 1 dim: 2 dim: 8 dim: 8 } } }
    layer { type: "ReLU" bottom: "data" top: "data" }
    layer { name: "conv/1" type: "Convolution" bottom: "data" top: "conv/1" convolution_param { num_output: 2 kernel_size: 3 weight_filler { } }
            param { } param { lr_mult: 2 share_mode: PERMISSIVE } }
    layer { name: "mix" type: "Eltwise" bottom: "conv/1" bottom: "conv/1" top: "conv/1" eltwise_param { } }
    layer { name: "again" type: "Convolution" bottom: "to_proto" top: "data" convolution_param { num_output: 2 kernel_size: 1 } }
    layer { name: "up" type: "Deconvolution" bottom: "data" top: "up" convolution_param { num_output: 2 kernel_size: 4 stride: 2 } }
    layer { name: "loss" type: "SoftmaxWithLoss" bottom: "up" bottom: "missing" top: "loss" loss_weight: 0.3 loss_param { ignore_label: 255 } }
    layer { name: "silence" type: "Silence" bottom: "loss" }
  `;

  it('a net using what NetSpec cannot write directly', () => {
    const net = readNetParameter(HARD, 'hard.prototxt');
    const script = printNetSpec(net);
    expect(toProtoJSON(viaScript(net))).toEqual(toProtoJSON(net));
    // Spot checks of how it is said: pycaffe's own escape hatches.
    expect(script).toContain("net.layer[1].ClearField('name')");
    expect(script).toContain('net.layer[2].convolution_param.weight_filler.SetInParent()');
    expect(script).toContain("n['to_proto']");
    expect(script).toContain('n.relu = L.ReLU(n.data, in_place=True)');
    expect(script).toContain("n['conv/1'] = L.Convolution(n.relu, num_output=2, kernel_size=3");
    expect(script).toContain('share_mode=caffe_pb2.ParamSpec.PERMISSIVE');
    expect(script).toContain("n.again = L.Convolution(n['to_proto'], ntop=0, top=['data'], num_output=2, kernel_size=1)");
    expect(script).toContain("bottom=['up', 'missing']");
    expect(script).toContain('net.state.phase = caffe.TRAIN');
  });

  const FORK = `
    name: "ssd-head"
    layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 4 dim: 8 dim: 8 } } }
    layer { name: "norm" type: "Normalize" bottom: "data" top: "norm" norm_param { across_spatial: false channel_shared: false scale_filler { type: "constant" value: 20 } } }
    layer { name: "perm" type: "Permute" bottom: "norm" top: "perm" permute_param { order: 0 order: 2 order: 3 order: 1 } }
  `;

  it("a fork's net declares its dialect, and the script is read in it", () => {
    const net = readNetParameter(FORK, 'fork.prototxt');
    const script = printNetSpec(net);
    expect(script).toContain('\n# brewnet: dialect=ssd\n');
    expect(script).toContain('scale_filler=dict(type=');
    expect(toProtoJSON(readNet(script, { file: 'fork.py' }))).toEqual(toProtoJSON(net));
    // Without the declaration the script's parameters are not BVLC's: a located error, fixed by --dialect.
    const plain = script.replace('# brewnet: dialect=ssd\n', '');
    expect(() => readNet(plain, { file: 'fork.py' })).toThrow(/fork\.py:\d+:\d+: error: .*norm_param/);
    expect(toProtoJSON(readNet(plain, { file: 'fork.py', dialect: 'ssd' }))).toEqual(toProtoJSON(net));
  });

  it('an unknown dialect in the declaration is a located error', () => {
    const script = '#!/usr/bin/env python\n# brewnet: dialect=caffe2\nimport caffe\n';
    expect(() => readNet(script, { file: 'x.py' })).toThrow(
      /x\.py:2:20: error: unknown dialect "caffe2" in the script's dialect declaration/,
    );
    // Only the leading comments count: the same line after code is a plain comment.
    expect(() => readNet('import caffe\n# brewnet: dialect=caffe2\nn = caffe.NetSpec()\n', { file: 'y.py' })).not.toThrow(
      /unknown dialect/,
    );
  });

  it('reads like an FCN net.py', () => {
    const script = printNetSpec(readNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt')), { output: 'fcn8s-deploy.prototxt' });
    expect(script).toContain('n.conv1_1 = L.Convolution(n.data, num_output=64, pad=100, kernel_size=3)\n');
    expect(script).toContain('n.relu1_1 = L.ReLU(n.conv1_1, in_place=True)\n');
    expect(script).toContain('n.pool1 = L.Pooling(n.relu1_2, pool=P.Pooling.MAX, kernel_size=2, stride=2)\n');
    expect(script).toContain('n.score_pool4c = L.Crop(n.score_pool4, n.upscore2, axis=2, offset=5)\n');
    expect(script).toContain(
      "if __name__ == '__main__':\n    with open('fcn8s-deploy.prototxt', 'w') as f:\n        f.write(str(make_net()))\n",
    );
    expect(readFileSync(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt'), 'utf8')).toContain('offset: 5');
  });
});
