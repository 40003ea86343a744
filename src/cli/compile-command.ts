// `brewnet compile <net> [--weights W | --seed N] [--input name=dims] [--backend B] -o net.mjs`: writes the
// net as a readable ES module (src/codegen/emit-module.ts). Weights are not embedded: the module loads the
// .caffemodel given here (checked now against the net), or, with --seed, the filled parameters written
// beside it as <out>.caffemodel.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import { loadNet } from '../api/load-net.js';
import { emitModule } from '../codegen/emit-module.js';
import { BACKENDS, isBackendName } from '../runtime/backends.js';
import { buildPlan } from '../runtime/build-plan.js';
import { resolveWeights } from '../runtime/compile.js';
import { encodeCaffemodel } from '../runtime/encode-caffemodel.js';
import { paramsForPlan } from '../runtime/plan-params.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { printDiagnostics } from './report-errors.js';
import { isBuiltInLayer } from '../layers/registry.js';

export interface CompileFlags extends NetFlags {
  input?: Map<string, number[]>;
  weights?: string;
  seed?: number;
  backend?: string;
  output?: string;
}

export function compileCommand(netPath: string, flags: CompileFlags): void {
  if (!flags.output) fail('brewnet compile needs -o FILE.mjs (the module to write)');
  if (flags.weights !== undefined && flags.seed !== undefined) fail('give --weights or --seed, not both');
  const backend = flags.backend ?? 'auto';
  if (!isBackendName(backend)) fail(`--backend ${backend}: choose one of ${BACKENDS.join(', ')}`);
  const net = loadNet(netPath, { ...netLoadOptions(flags), inputs: flags.input });
  const plan = buildPlan(net);
  const out = resolve(flags.output);
  let weights: { relative: string } | { absolute: string };
  if (flags.weights !== undefined) {
    const { params, warnings } = resolveWeights(net, { weights: flags.weights });
    printDiagnostics(warnings);
    paramsForPlan(plan, params);
    weights = { absolute: resolve(flags.weights) };
  } else {
    const file = `${basename(out).replace(/\.m?js$/, '')}.caffemodel`;
    const params = resolveWeights(net, { seed: flags.seed ?? 0 }).params;
    writeFileSync(join(dirname(out), file), encodeCaffemodel(plan, params));
    weights = { relative: `./${file}` };
  }
  // Plug-ins whose layers run on the host: the module imports them (absolute paths) and registers them.
  const hostTypes = new Set(plan.steps.flatMap((s) => ('host' in s ? [plan.layers[s.layer].type] : [])));
  const plugins = (flags.plugin ?? []).map((p) => resolve(p)).filter(() => [...hostTypes].some((t) => !isBuiltInLayer(t)));
  writeFileSync(out, emitModule(plan, { weights, backend, ...(plugins.length ? { plugins } : {}) }));
  process.stdout.write(`${flags.output}: ${plan.kernels.length} kernels, ${plan.steps.length} steps\n`);
}
