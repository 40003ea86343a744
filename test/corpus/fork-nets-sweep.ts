// Not part of npm test (minutes): every deploy/test net of ../shared/corpus, loaded and compiled with seeded
// weights; prints which run (plan built, one forward pass on wasm at the net's own input size where it is
// small enough) and which stop, with the diagnostic naming what is missing.
//   node --import tsx test/corpus/fork-nets-sweep.ts [--run]
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { corpusFiles, corpusPath } from '../helpers/corpus.js';

const deploy = corpusFiles().filter(
  (f) =>
    /(deploy|test|inference|val)[^/]*\.(prototxt|pt)$|DenseNet_121|SSD300|FSRCNN|VDSR|pspnet50|neuraltissue/i.test(f) &&
    !/train|solver/i.test(f),
);
for (const f of deploy) {
  try {
    const net = loadNet(corpusPath(f));
    buildPlan(net);
    console.log(`runs\t${f}\t${net.dialect}\t${net.layers.length} layers`);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    console.log(
      `stops\t${f}\t${formatDiagnostic(e.diagnostics[0])
        .split('\n')[0]
        .replace(/^.*?corpus\//, '')}`,
    );
  }
}
