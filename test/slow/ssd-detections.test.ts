// MobileNet-SSD and SSD300 (../shared/corpus) whole, with seeded weights, against OpenCV's dnn module: the
// final detections, not just the blobs before DetectionOutput. With the suite's seeded weights every class
// gets about 1/21 of each prior's softmax, so thousands of scores tie within 1e-3 and float noise picks the
// kept boxes; here the confidence heads (the `*_mbox_conf` convolutions) are scaled ×30 and their background
// channels biased +5, so most priors are background and the kept scores spread over 0.28–0.88. It does not
// separate everything: with random weights the deep feature maps hardly vary from cell to cell, so the
// priors of one anchor shape on one map score alike (adjacent candidates within 1e-5 remain; the test prints
// how many). Rows are matched within each image and label to the nearest row, so two near-equal scores may
// be listed in either order. A slow check (`npm run test:slow`); it skips without the corpus or without
// /usr/bin/python3's cv2.
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
import { wholeNetWeights } from '../../bench/whole/prepare.js';
import { uniform } from '../../bench/random.js';
import { corpusPath } from '../helpers/corpus.js';
import { opencvAvailable } from '../helpers/opencv.js';

const OPENCV_FORWARD = `
import sys, numpy as np, cv2
net = cv2.dnn.readNetFromCaffe(sys.argv[1], sys.argv[2])
net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
net.setInput(np.load(sys.argv[3]))
np.save(sys.argv[4], net.forward(sys.argv[5]).astype(np.float32))
`;

/** Detection rows without padding (OpenCV's zeros, brewnet's -1), by image, label, descending score. */
function rows(data: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let r = 0; r * 7 < data.length; r++) {
    const row = Array.from({ length: 7 }, (_, k) => data[r * 7 + k]);
    if (row[2] > 0) out.push(row);
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || b[2] - a[2]);
}

/** An image of square blocks, each its own random level per channel, plus a little noise: features that vary from cell to cell. */
function blocks(side: number, amplitude: number): Float32Array {
  const levels = uniform(3 * Math.ceil(300 / side) ** 2, 11, -amplitude, amplitude);
  const noise = uniform(3 * 300 * 300, 7, -0.1, 0.1);
  const per = Math.ceil(300 / side);
  return noise.map((v, i) => {
    const [c, y, x] = [Math.floor(i / 90000), Math.floor(i / 300) % 300, i % 300];
    return v + levels[(c * per + Math.floor(y / side)) * per + Math.floor(x / side)];
  });
}

const NETS = [
  { id: 'MobileNet-SSD', file: 'ssd/voc/MobileNetSSD_deploy.prototxt', scale: 30, background: 5 },
  { id: 'SSD300', file: 'ssd/presets/SSD300.prototxt', scale: 30, background: 5 },
];

describe.each(NETS)('$id whole against OpenCV', ({ id, file, scale, background }) => {
  const path = corpusPath(file);
  const skip = !existsSync(path) ? `no corpus file ${path}` : !opencvAvailable ? 'no cv2 in /usr/bin/python3' : '';
  it.skipIf(skip !== '')(`detections agree${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 600_000 }, async () => {
    const net = loadNet(path, { inputs: { data: [1, 3, 300, 300] } });
    const det = net.layers.find((l) => l.type === 'DetectionOutput')!;
    const classes = Number(det.typeParam.num_classes);
    const params = new Map<string, Float32Array[]>();
    net.layers.forEach((layer, i) => {
      if (!layer.paramShapes.length) return;
      const p = wholeNetWeights(layer, i + 1);
      if (/_mbox_conf$/.test(layer.name)) {
        p[0] = p[0].map((w) => w * scale);
        p[1] = p[1].map((b, ch) => (ch % classes === 0 ? b + background : b));
      }
      params.set(layer.name, p);
    });
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-ssd-'));
    try {
      const data = { shape: [1, 3, 300, 300], data: blocks(30, 2) };
      writeFileSync(join(dir, 'w.caffemodel'), encodeCaffemodel(buildPlan(net), params));
      writeFileSync(join(dir, 'x.npy'), writeNpy(data));
      const top = det.tops[0].name;
      execFileSync('/usr/bin/python3', [
        '-c',
        OPENCV_FORWARD,
        path,
        join(dir, 'w.caffemodel'),
        join(dir, 'x.npy'),
        join(dir, 'y.npy'),
        top,
      ]);
      const want = rows(readNpy(readFileSync(join(dir, 'y.npy')), 'y.npy').data);
      const compiled = await compile(net, { weights: params, backend: 'wasm' });
      const confBlob = det.bottoms[1].name;
      const out = await compiled.forward({ data }, { blobs: [top, confBlob] });
      compiled.destroy();
      const got = rows(out[top].data);
      // How separated the deciding scores are: per class, the candidates over the threshold.
      const threshold = Number(det.typeParam.confidence_threshold ?? 0);
      const conf = out[confBlob].data;
      const priors = conf.length / classes;
      let closest = Infinity;
      let candidates = 0;
      let ties = 0;
      for (let c = 1; c < classes; c++) {
        const s: [number, number][] = [];
        for (let p = 0; p < priors; p++) if (conf[p * classes + c] > threshold) s.push([conf[p * classes + c], p]);
        s.sort((a, b) => b[0] - a[0]);
        candidates += s.length;
        for (let i = 1; i < s.length; i++) {
          if (s[i - 1][0] - s[i][0] < 1e-3) ties++;
          closest = Math.min(closest, s[i - 1][0] - s[i][0]);
        }
      }
      console.log(
        `${id}: ${candidates} candidates over ${threshold}, ${ties} adjacent pairs in a class closer than 1e-3, the closest ${closest.toExponential(2)}; ` +
          `${got.length} detections (OpenCV ${want.length}), scores ${got.at(-1)?.[2]?.toFixed(4)}…${Math.max(...got.map((r) => r[2])).toFixed(4)}`,
      );
      expect(got.length).toBeGreaterThan(5);
      expect(got.length).toBe(want.length);
      // Rows matched within each image and label to the nearest row (scores closer than the two runtimes'
      // rounding may list in either order).
      let worst = 0;
      const unused = [...got];
      for (const w of want) {
        let best = -1;
        let bestDiff = Infinity;
        unused.forEach((g, i) => {
          if (g[0] !== w[0] || g[1] !== w[1]) return;
          const d = Math.max(...g.map((v, k) => Math.abs(v - w[k])));
          if (d < bestDiff) [best, bestDiff] = [i, d];
        });
        expect(best, `OpenCV's row ${w.join(', ')} has a match`).toBeGreaterThanOrEqual(0);
        unused.splice(best, 1);
        worst = Math.max(worst, bestDiff);
      }
      console.log(`${id}: largest difference from OpenCV over the rows ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
