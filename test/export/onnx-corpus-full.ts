// Every corpus net brewnet runs, at full width, exported to ONNX with seeded weights and run in
// onnxruntime-node against the reference executor (batch 1, the smallest of a few spatial sizes the net
// accepts, so the reference executor finishes). Minutes on two cores, so outside `npm test`:
//   node --import tsx test/export/onnx-corpus-full.ts [substring of a corpus path]
// Prints one line per net: the input, MACs, and each output's max difference relative to its largest value.
import { loadNet } from '../../src/api/load-net.js';
import { compareOutputs, runOnnxruntime, seededInputs } from '../../src/export/onnx/check-onnxruntime.js';
import { exportOnnx } from '../../src/export/onnx/export-onnx.js';
import type { Net } from '../../src/ir/net.js';
import { checkRunnable } from '../../src/runtime/build-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { corpusAvailable, corpusFiles, corpusPath } from '../helpers/corpus.js';
import { scaledParams } from '../helpers/scaled-params.js';

if (!corpusAvailable) {
  console.log('../shared/corpus is absent: nothing to check');
  process.exit(0);
}
const only = process.argv[2];
let worst = 0;
for (const f of corpusFiles()) {
  if (!/\.(prototxt|py)$/.test(f) || (only && !f.includes(only))) continue;
  let net: Net;
  try {
    net = loadNet(corpusPath(f));
    checkRunnable(net);
  } catch {
    continue;
  }
  const input = net.inputs[0];
  const full = net.blob(input).shape;
  let chosen: Net = loadNet(corpusPath(f), { inputs: { [input]: [1, ...full.slice(1)] } });
  for (const s of [8, 16, 24, 32, 48, 64, 96, 128, 160, 193, 224]) {
    if (s >= full[2]) break;
    try {
      const small = loadNet(corpusPath(f), { inputs: { [input]: [1, full[1], s, s] } });
      if (small.blobVersions.some((b) => b.shape.some((d) => d <= 0))) continue;
      chosen = small;
      break;
    } catch {
      // Too small for this net: try the next size.
    }
  }
  const params = scaledParams(chosen, 1);
  const inputs = seededInputs(chosen, 1);
  const got = await runOnnxruntime(exportOnnx(chosen, { weights: params }), inputs);
  const result = compareOutputs(chosen, got, runReference(chosen, params, inputs).blobs);
  worst = Math.max(worst, result.maxRelative);
  const macs = chosen.layers.reduce((n, l) => n + l.macs, 0);
  console.log(
    `${f}  ${chosen.blob(input).shape.join('×')}  ${(macs / 1e6).toFixed(0)}M MACs  ${result.outputs.map((o) => `${o.name} ${o.relative.toExponential(2)}`).join(', ')}`,
  );
}
console.log(`largest difference: ${worst.toExponential(2)} (${worst <= 1e-4 ? 'within' : 'OVER'} 1e-4)`);
process.exitCode = worst <= 1e-4 ? 0 : 1;
