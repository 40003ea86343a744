// opencv.js (OpenCV's official WebAssembly build, no SIMD, no threads) on one net, in Node, in its own
// process: node dist/bench/whole/opencvjs-child.js <prototxt> <dir>. Same files and timing policy as the
// other children; the input blob is handed over as an H×W×C float image that blobFromImage turns back into
// the 1×C×H×W blob (no mean, scale 1, no channel swap), so every implementation sees the same numbers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readNpy } from '../../src/runtime/npy.js';
import { reportResult } from '../child-process.js';
import { timeForward } from './result.js';

// opencv.js is an Emscripten module without types we rely on; the few calls used here are typed loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
type CV = any;

const [prototxt, dir] = process.argv.slice(2);
const started = performance.now();
const cvModule: CV = createRequire(import.meta.url)('@techstark/opencv-js');
// The module object is a thenable whose `then` never settles an await (resolving a promise with it adopts
// it): wait for its init hook and hand the module over inside a plain object.
const { cv } = await new Promise<{ cv: CV }>((resolve) => {
  const keepAlive = setInterval(() => {}, 1000);
  const ready = () => {
    clearInterval(keepAlive);
    resolve({ cv: cvModule });
  };
  if (cvModule.calledRun && cvModule.Mat) ready();
  else cvModule.onRuntimeInitialized = ready;
});
cv.FS_createDataFile('/', 'net.prototxt', readFileSync(prototxt), true, false, false);
cv.FS_createDataFile('/', 'net.caffemodel', readFileSync(join(dir, 'weights.caffemodel')), true, false, false);
const net = cv.readNetFromCaffe('net.prototxt', 'net.caffemodel');
const x = readNpy(readFileSync(join(dir, 'input.npy')));
const [, c, h, w] = x.shape;
const hwc = new Float32Array(c * h * w);
for (let ci = 0; ci < c; ci++) for (let i = 0; i < h * w; i++) hwc[i * c + ci] = x.data[ci * h * w + i];
const image = new cv.Mat(h, w, cv[`CV_32FC${c}`]);
image.data32F.set(hwc);
const blob = cv.blobFromImage(image, 1, new cv.Size(w, h), new cv.Scalar(0, 0, 0, 0), false, false);
const setupMs = performance.now() - started;
let y = new Float32Array();
let shape: number[] = [];
const forward = async () => {
  net.setInput(blob);
  const out = net.forward();
  y = Float32Array.from(out.data32F);
  shape = Array.from({ length: out.matSize.length }, (_, i) => out.matSize[i]);
  out.delete();
};
const result = await timeForward(forward, () => ({ shape, data: y }), join(dir, 'out-opencv-js.npy'), {
  setupMs,
  detail: `opencv.js ${cv.getBuildInformation().match(/Version control:\s*(\S+)/)?.[1] ?? ''}`.trim(),
});
reportResult(result);
process.exit(0);
