// `brewnet convert <net> --to onnx -o net.onnx [--weights W | --seed N] [--opset N] [--check]`: writes the
// net as an ONNX model (src/export/onnx/), streamed to the file; with --check, runs it in onnxruntime-node
// on a seeded input and prints how far each output is from brewnet's reference executor.
import { loadNet } from '../api/load-net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { checkOnnxModelNumerics } from '../export/onnx/check-onnxruntime.js';
import { writeOnnxFile } from '../export/onnx/write-onnx-file.js';
import { resolveWeights } from '../runtime/compile.js';
import { printDiagnostics } from './report-errors.js';
import { scriptSelection, type ScriptFlags } from './script-options.js';

export interface OnnxFlags extends ScriptFlags {
  output?: string;
  input?: Map<string, number[]>;
  weights?: string;
  seed?: number;
  allowMissingWeights?: boolean;
  opset?: number;
  check?: boolean;
  batch?: string;
  externalDataAbove?: number;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export async function onnxCommand(file: string, flags: OnnxFlags): Promise<void> {
  if (!flags.output) fail('--to onnx needs -o FILE.onnx (the model is binary)');
  if (flags.weights !== undefined && flags.seed !== undefined && !flags.allowMissingWeights) {
    fail('give --weights or --seed, not both', undefined, 'with --allow-missing-weights, --seed fills the layers the .caffemodel lacks');
  }
  if (flags.check && flags.batch !== undefined) fail("--check runs the model at the net's own input shapes; leave out --batch to check it");
  const net = loadNet(file, { ...scriptSelection(flags), inputs: flags.input });
  const weights =
    flags.weights !== undefined
      ? resolveWeights(net, { weights: flags.weights, allowMissingWeights: flags.allowMissingWeights, seed: flags.seed })
      : undefined;
  if (weights) printDiagnostics(weights.warnings);
  const result = writeOnnxFile(net, flags.output, {
    weights: weights?.params,
    seed: flags.seed,
    opset: flags.opset,
    batchSymbol: flags.batch,
    externalDataAbove: flags.externalDataAbove,
  });
  const external = result.externalData ? ` + ${result.externalData.file} (${mb(result.externalData.bytes)}, external data)` : '';
  process.stdout.write(`wrote ${result.file} (${mb(result.bytes)})${external}: ${result.nodes} nodes, opset ${result.opset}\n`);
  if (!flags.check) return;
  const params = weights?.params ?? resolveWeights(net, { seed: flags.seed ?? 0 }).params;
  const check = await checkOnnxModelNumerics(net, flags.output, params, flags.seed ?? 0);
  for (const o of check.outputs) {
    process.stdout.write(
      `  ${o.name} ${o.shape.join('×')}: max |onnxruntime − reference| = ${o.maxAbs.toExponential(2)} (${o.relative.toExponential(2)} of the largest value)\n`,
    );
  }
  const constant = check.outputs.filter((o) => o.constant).map((o) => o.name);
  if (constant.length) {
    printDiagnostics([
      {
        severity: 'note',
        message: `output(s) ${constant.map((n) => `"${n}"`).join(', ')} hold one value everywhere, so agreeing on them says little`,
        hint: "the prototxt's fillers probably leave parameters at 0 (Caffe's default filler is constant 0); check with --weights",
      },
    ]);
  }
  process.stdout.write(
    `check: onnxruntime-node agrees with brewnet's reference executor; max relative difference ${check.maxRelative.toExponential(2)}\n`,
  );
}
