// brewnet on one net, in its own process:
//   node dist/bench/whole/brewnet-child.js <prototxt> <dir> <input name> <config>
// <config> is a backend (wasm, webasm, …) or <backend>+threads. Loads the seeded .caffemodel through the
// public API as a user would, runs forward passes on <dir>/input.npy and writes the first output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, loadNet } from '../../src/index.js';
import { readNpy } from '../../src/runtime/npy.js';
import { reportResult } from '../child-process.js';
import { compileOptionsFor } from '../deconv/brewnet-impl.js';
import { timeForward } from './result.js';

const [prototxt, dir, inputName, config] = process.argv.slice(2);
const started = performance.now();
const x = readNpy(readFileSync(join(dir, 'input.npy')));
const net = loadNet(prototxt, { inputs: { [inputName]: x.shape } });
const compiled = await compile(net, { weights: join(dir, 'weights.caffemodel'), ...compileOptionsFor(config) });
const setupMs = performance.now() - started;
const output = net.outputs[0];
let y: Float32Array = new Float32Array();
const forward = async () => {
  y = (await compiled.forward({ [inputName]: x }))[output].data;
};
const result = await timeForward(forward, () => ({ shape: net.blob(output).shape, data: y }), join(dir, `out-brewnet-${config}.npy`), {
  setupMs,
  detail: `ran on ${compiled.backend}`,
});
compiled.destroy();
reportResult(result);
process.exit(0);
