// py-faster-rcnn's VGG16 end-to-end test net (../shared/corpus) whole with seeded weights, without
// --input rois: the ProposalLayer runs (src/layers/forks/proposal.ts), the regions it keeps go through
// ROIPooling and the classifier, and brewnet gives the real rows only. Compared with OpenCV's dnn module,
// which reads the same net with the layer respelled as its `Proposal` type (OpenCV 4.6 cannot create a
// Python layer) and returns 300 rows, zero after the real ones: its first R rows must be brewnet's R rows.
// The RPN's score head is scaled so objectness spreads over (0, 1) (seeded weights give every anchor about
// 0.5), and its box head shrunk so that no box falls under min_size (OpenCV skips that filter). A slow check
// (`npm run test:slow`, tens of seconds: fc6 runs on the 300 planned rows); it skips without the corpus or
// without /usr/bin/python3's cv2.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { encodeCaffemodel } from '../../src/runtime/encode-caffemodel.js';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { wholeNetWeights } from '../../bench/whole/prepare.js';
import { uniform } from '../../bench/random.js';
import { corpusPath } from '../helpers/corpus.js';
import { opencvAvailable } from '../helpers/opencv.js';

const OPENCV_FORWARD = `
import sys, numpy as np, cv2
net = cv2.dnn.readNetFromCaffe(sys.argv[1], sys.argv[2])
net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
net.setInput(np.load(sys.argv[3]), 'data')
net.setInput(np.load(sys.argv[4]), 'im_info')
out = dict(zip(['rois', 'cls_prob', 'bbox_pred'], net.forward(['proposal', 'cls_prob', 'bbox_pred'])))
for k, v in out.items(): np.save(sys.argv[5] + '/' + k + '.npy', v.astype(np.float32))
`;

const file = 'faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/test.prototxt';
const SIZE = 128;

describe('Faster R-CNN (VGG16 end to end) whole against OpenCV', () => {
  const path = corpusPath(file);
  const skip = !existsSync(path) ? `no corpus file ${path}` : !opencvAvailable ? 'no cv2 in /usr/bin/python3' : '';
  it.skipIf(skip !== '')(
    `proposals, class probabilities and box deltas agree${skip ? ` (skipped: ${skip})` : ''}`,
    { timeout: 600_000 },
    async () => {
      const net = loadNet(path, { inputs: { data: [1, 3, SIZE, SIZE] } });
      const params = new Map<string, Float32Array[]>();
      net.layers.forEach((layer, i) => {
        if (!layer.paramShapes.length) return;
        const p = wholeNetWeights(layer, i + 1);
        if (layer.name === 'rpn_cls_score') p[0] = p[0].map((w) => w * 4);
        if (layer.name === 'rpn_bbox_pred') p.forEach((b, k) => (p[k] = b.map((w) => w * 0.2)));
        params.set(layer.name, p);
      });
      const dir = mkdtempSync(join(tmpdir(), 'brewnet-frcnn-'));
      try {
        const data: Tensor = { shape: [1, 3, SIZE, SIZE], data: uniform(3 * SIZE * SIZE, 7, 0, 1) };
        const imInfo: Tensor = { shape: [1, 3], data: Float32Array.of(SIZE, SIZE, 1) };
        writeFileSync(join(dir, 'w.caffemodel'), encodeCaffemodel(buildPlan(net), params));
        writeFileSync(join(dir, 'data.npy'), writeNpy(data));
        writeFileSync(join(dir, 'im_info.npy'), writeNpy(imInfo));
        const text = readFileSync(path, 'utf8').replace(
          /type: 'Python'([\s\S]*?)python_param \{[^}]*\}/,
          "type: 'Proposal'$1proposal_param { feat_stride: 16 ratio: 0.5 ratio: 1 ratio: 2 scale: 8 scale: 16 scale: 32 }",
        );
        expect(text).toContain("type: 'Proposal'");
        writeFileSync(join(dir, 'opencv.prototxt'), text);
        execFileSync('/usr/bin/python3', [
          '-c',
          OPENCV_FORWARD,
          join(dir, 'opencv.prototxt'),
          join(dir, 'w.caffemodel'),
          join(dir, 'data.npy'),
          join(dir, 'im_info.npy'),
          dir,
        ]);
        const want = (name: string) => readNpy(readFileSync(join(dir, `${name}.npy`)), name);
        const compiled = await compile(net, { weights: params, backend: 'wasm' });
        const out = await compiled.forward({ data, im_info: imInfo }, { blobs: ['rois', 'cls_prob', 'bbox_pred', 'rpn_cls_prob_reshape'] });
        compiled.destroy();
        const r = out.rois.shape[0];
        // How far apart the object scores are: the closest pair among the anchors' scores.
        const obj = out.rpn_cls_prob_reshape.data.slice(out.rpn_cls_prob_reshape.data.length / 2);
        const sorted = Float32Array.from(obj).sort();
        let closest = Infinity;
        for (let i = 1; i < sorted.length; i++) closest = Math.min(closest, sorted[i] - sorted[i - 1]);
        const rois = want('rois');
        const opencvRows = Array.from({ length: rois.shape[0] }, (_, i) => rois.data.subarray(i * 5, i * 5 + 5)).filter((row) =>
          row.some((v) => v !== 0),
        ).length;
        console.log(
          `Faster R-CNN at ${SIZE}×${SIZE}: ${r} regions (OpenCV ${opencvRows} of its ${rois.shape[0]} rows non-zero); ` +
            `object scores ${Math.min(...obj).toFixed(3)}…${Math.max(...obj).toFixed(3)}, closest pair ${closest.toExponential(2)}`,
        );
        expect(r).toBeGreaterThan(5);
        expect(r).toBeLessThan(300);
        expect(opencvRows).toBe(r);
        for (const [blob, tol] of [
          ['rois', 1e-3],
          ['cls_prob', 1e-5],
          ['bbox_pred', 1e-4],
        ] as const) {
          const e = want(blob);
          const got = out[blob];
          expect(got.shape).toEqual([r, e.shape[1]]);
          let worst = 0;
          for (let i = 0; i < got.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - e.data[i]));
          console.log(`${blob}: ${got.shape.join('×')}, largest difference from OpenCV's first ${r} rows ${worst.toExponential(2)}`);
          expect(worst, blob).toBeLessThanOrEqual(tol);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
