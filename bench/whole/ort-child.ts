// onnxruntime-node on one net, through brewnet's ONNX export, in its own process:
//   node dist/bench/whole/ort-child.js <prototxt> <dir> <input name>
// Exports the net with the suite's seeded .caffemodel (writeOnnxFile, as `brewnet convert --to onnx` does),
// then times onnxruntime's CPU provider on 2 threads with the same policy as the other children.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadNet } from '../../src/index.js';
import { writeOnnxFile } from '../../src/export/onnx/write-onnx-file.js';
import { readNpy } from '../../src/runtime/npy.js';
import { reportResult } from '../child-process.js';
import { timeForward } from './result.js';

const [prototxt, dir, inputName] = process.argv.slice(2);
const started = performance.now();
const x = readNpy(readFileSync(join(dir, 'input.npy')));
const net = loadNet(prototxt, { inputs: { [inputName]: x.shape } });
const model = join(dir, 'model.onnx');
writeOnnxFile(net, model, { weights: join(dir, 'weights.caffemodel') });
const exportMs = performance.now() - started;
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2, interOpNumThreads: 1, executionProviders: ['cpu'] });
const setupMs = performance.now() - started;
const feeds = { [inputName]: new ort.Tensor('float32', x.data, x.shape) };
const output = session.outputNames[0];
let y: Float32Array = new Float32Array();
let shape: number[] = [];
const forward = async () => {
  const t = (await session.run(feeds))[output];
  y = t.data as Float32Array;
  shape = t.dims.map(Number);
};
const result = await timeForward(forward, () => ({ shape, data: y }), join(dir, 'out-onnxruntime.npy'), {
  setupMs,
  detail: `onnxruntime-node ${ort.env.versions?.common ?? ''}, 2 threads; export ${(exportMs / 1000).toFixed(1)} s`,
});
await session.release();
reportResult(result);
process.exit(0);
