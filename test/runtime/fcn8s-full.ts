// FCN-8s at the acceptance size, 1×3×500×500, outside the test suite (it takes minutes on two cores):
//   node --conditions=brewnet-source --import tsx test/runtime/fcn8s-full.ts <reference|cpu|webasm|wasm|headlessgl|auto> OUT.npy
// runs one executor on the same seeded input and parameters as the others, prints its time and writes the
// 21×500×500 score; `compare A.npy B.npy` prints their largest difference relative to the largest value.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { fcnParams } from '../helpers/fcn-params.js';
import { maxRelativeError, randomTensor } from '../helpers/random-params.js';

const [what, a, b] = process.argv.slice(2);
if (what === 'compare') {
  const x = readNpy(readFileSync(a));
  const y = readNpy(readFileSync(b));
  console.log(`shape ${x.shape.join('×')}: max |a − b| / max |b| = ${maxRelativeError(x.data, y.data)}`);
} else {
  const net = loadNet(`${repoRoot}/examples/fcn8s-deploy.prototxt`, { inputs: { data: [1, 3, 500, 500] } });
  const params = fcnParams(net, 8);
  const data = randomTensor([1, 3, 500, 500], 500, -100, 100);
  const started = performance.now();
  let score;
  let ran = what;
  if (what === 'reference') {
    score = runReference(net, params, { data }).blobs.get('score')!;
  } else {
    const compiled = await compile(net, { weights: params, backend: what as 'auto' });
    score = (await compiled.forward({ data })).score;
    ran = compiled.backend;
  }
  console.log(`${what} (ran on ${ran}): ${((performance.now() - started) / 1000).toFixed(1)} s, score ${score.shape.join('×')}`);
  writeFileSync(a, writeNpy(score));
}
