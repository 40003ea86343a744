// `brewnet compile <net> [--weights W | --seed N] [--input name=dims] [--backend B] -o net.mjs`: writes the
// net as a readable ES module (src/codegen/emit-module.ts). Weights are not embedded: the module loads the
// .caffemodel given here (checked now against the net), or, with --seed, the filled parameters written
// beside it as <out>.caffemodel.
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { toPrototxt } from '../printer/prototxt-printer.js';
import { loadNet } from '../api/load-net.js';
import { emitModule } from '../codegen/emit-module.js';
import { BACKENDS, isBackendName } from '../runtime/backends.js';
import { buildPlan } from '../runtime/build-plan.js';
import { resolveWeights } from '../runtime/compile.js';
import { encodeCaffemodelChunks } from '../runtime/encode-caffemodel.js';
import { paramsForPlan } from '../runtime/plan-params.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { checkOutputFile, makeOutputFolder, writeOutputFile } from './output-paths.js';
import { printDiagnostics } from './report-errors.js';
import { isBuiltInLayer } from '../layers/registry.js';

export interface CompileFlags extends NetFlags {
  input?: Map<string, number[]>;
  weights?: string;
  seed?: number;
  backend?: string;
  output?: string;
  json?: boolean;
  /** false with --no-fuse. */
  fuse?: boolean;
}

/** The net's canonical prototxt, or undefined where prototxt cannot hold it (a Theano output size). */
function prototxtOf(net: Net): string | undefined {
  try {
    return toPrototxt(net);
  } catch (e) {
    if (e instanceof DiagnosticError) return undefined;
    throw e;
  }
}

export function compileCommand(netPath: string, flags: CompileFlags): void {
  if (!flags.output) fail('brewnet compile needs -o FILE.mjs (the module to write)');
  if (flags.weights !== undefined && flags.seed !== undefined) fail('give --weights or --seed, not both');
  checkOutputFile(flags.output, '-o');
  const backend = flags.backend ?? 'auto';
  if (!isBackendName(backend)) fail(`--backend ${backend}: choose one of ${BACKENDS.join(', ')}`);
  const started = performance.now();
  const net = loadNet(netPath, { ...netLoadOptions(flags), inputs: flags.input });
  const plan = buildPlan(net, { fuse: flags.fuse });
  const out = resolve(flags.output);
  // A folder that does not exist yet is made, as run --out makes its folder.
  makeOutputFolder(dirname(out), '-o');
  let weights: { relative: string } | { absolute: string };
  let weightsFile: string;
  if (flags.weights !== undefined) {
    const { params, warnings } = resolveWeights(net, { weights: flags.weights });
    printDiagnostics(warnings);
    paramsForPlan(plan, params);
    // Relative to the module, so the module and its weights can move together.
    const path = relative(dirname(out), resolve(flags.weights)).split(sep).join('/');
    weights = { relative: path.startsWith('.') ? path : `./${path}` };
    weightsFile = flags.weights;
  } else {
    const file = `${basename(out).replace(/\.m?js$/, '')}.caffemodel`;
    const params = resolveWeights(net, { seed: flags.seed ?? 0 }).params;
    writeOutputFile(join(dirname(out), file), encodeCaffemodelChunks(plan, params), '-o (the weights beside the module)');
    weights = { relative: `./${file}` };
    weightsFile = join(dirname(flags.output), file);
  }
  // Plug-ins whose layers run on the host: the module imports them (absolute paths) and registers them.
  const hostTypes = new Set(plan.steps.flatMap((s) => ('host' in s ? [plan.layers[s.layer].type] : [])));
  const plugins = (flags.plugin ?? []).map((p) => resolve(p)).filter(() => [...hostTypes].some((t) => !isBuiltInLayer(t)));
  writeOutputFile(out, emitModule(plan, { weights, backend, netPrototxt: prototxtOf(net), ...(plugins.length ? { plugins } : {}) }), '-o');
  if (!flags.json) {
    process.stdout.write(`${flags.output}: ${plan.kernels.length} kernels, ${plan.steps.length} steps\n`);
    return;
  }
  const shapeOf = (value: number) => plan.values[value].shape;
  const report = {
    module: flags.output,
    weights: weightsFile,
    weights_written: flags.weights === undefined,
    backend,
    inputs: Object.fromEntries(plan.inputs.map((i) => [i.name, shapeOf(i.value)])),
    outputs: Object.fromEntries(plan.outputs.map((o) => [o, shapeOf(new Map(plan.blobs).get(o)!)])),
    kernels: plan.kernels.length,
    native_kernels: plan.natives?.length ?? 0,
    steps: plan.steps.length,
    time_ms: Math.round((performance.now() - started) * 10) / 10,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}
