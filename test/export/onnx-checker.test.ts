// ONNX's own checker (Debian's python3-onnx: onnx.checker.check_model with full_check, which also runs
// ONNX's shape inference against the value_info brewnet writes) on exported models: the numerics and oracle
// fixture nets, the examples, and a model with external data. Skips, saying so, without python3-onnx.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { writeOnnxFile } from '../../src/export/onnx/write-onnx-file.js';
import { repoRoot } from '../helpers/corpus.js';
import { narrowNet } from '../helpers/narrow-net.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { oracleCases, oracleFiles } from '../helpers/oracle-fixtures.js';

const python = '/usr/bin/python3';
const hasOnnx = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
if (!hasOnnx) console.warn("[onnx-checker] python3-onnx is not installed: ONNX's own checker is skipped (apt-get install python3-onnx)");

const CHECK = `
import json, sys, onnx
results = {}
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        results[path] = 'ok'
    except Exception as e:
        results[path] = str(e).splitlines()[0] if str(e) else type(e).__name__
print(json.dumps(results))
`;

describe("ONNX's own checker accepts the exported models", () => {
  it.skipIf(!hasOnnx)('onnx.checker.check_model(full_check=True) on every fixture net and the examples', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-onnx-check-'));
    const files: string[] = [];
    // python3-onnx 1.12 knows opsets up to 17 (brewnet's default).
    for (const c of numericsCases()) {
      const k = loadCase(c);
      const outputs = [...k.expected.keys()].filter((b) => !k.net.inputs.includes(b));
      files.push(writeOnnxFile(k.net, join(dir, `${c.name}.onnx`), { weights: k.params, outputs }).file);
    }
    // The other fork layers' fixtures are not exported yet (onnx-export.test.ts names them).
    for (const c of oracleCases().filter((k) =>
      /^(mvn|reduction|tile|relu6|shuffle_channel|conv_depthwise|axpy|batch_reindex)$|^mvn_/.test(k.name),
    )) {
      const f = oracleFiles(c);
      files.push(writeOnnxFile(loadNet(f.net), join(dir, `oracle-${c.name}.onnx`), { weights: f.weights, outputs: c.blobs }).file);
    }
    // FCN-8s with its channels divided by 16 (the full one is 538 MB), with a symbolic batch.
    const fcn = narrowNet(`${repoRoot}/examples/fcn8s-deploy.prototxt`, 16, { inputs: { data: [1, 3, 64, 64] } });
    files.push(writeOnnxFile(fcn, join(dir, 'fcn8s-narrow.onnx'), { seed: 1, batchSymbol: 'N' }).file);
    const adjusted = loadNet(`${repoRoot}/examples/theano-deconv.py`, { inputs: { x: [1, 3, 64, 64] }, call: 'build(extra=2)' });
    files.push(writeOnnxFile(adjusted, join(dir, 'theano-adjusted.onnx')).file);
    files.push(
      writeOnnxFile(loadNet(`${repoRoot}/examples/lenet-v1.prototxt`), join(dir, 'lenet-external.onnx'), { seed: 1, externalDataAbove: 0 })
        .file,
    );
    const run = spawnSync(python, ['-c', CHECK, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l && !/Warning/.test(l)),
    ).toEqual([]);
    const results = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.entries(results).filter(([, r]) => r !== 'ok')).toEqual([]);
    expect(Object.keys(results)).toHaveLength(files.length);
  });
});
