#!/usr/bin/env node
// The brewnet command line. Each command lives in its own file; this one only declares them.
import { Command, InvalidArgumentError } from 'commander';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { analyzeCommand } from './analyze-command.js';
import { convertCommand } from './convert-command.js';
import { parseInputOption } from './input-option.js';
import { runReportingErrors } from './report-errors.js';
import { shapesCommand } from './shapes-command.js';
import { addNetOptions, loadPluginFlags } from './net-options.js';
import { addScriptOptions } from './script-options.js';
import { compileCommand } from './compile-command.js';
import { runCommand } from './run-command.js';

// Option parsers throw commander's error type so bad flags read like every other usage error.
function inputOption(value: string, previous?: Map<string, number[]>) {
  try {
    return parseInputOption(value, previous);
  } catch (e) {
    if (e instanceof DiagnosticError) throw new InvalidArgumentError(e.diagnostics.map((d) => d.message + (d.hint ? ` (${d.hint})` : '')).join('; '));
    throw e;
  }
}

function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return Number(value);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const INPUT_DIMS_HELP = 'give or override an input shape, e.g. data=1,3,500,500 (repeatable)';

const program = new Command('brewnet')
  .description('A graph compiler for Caffe nets: parse, check and infer shapes of .prototxt files.')
  .version('0.1.0')
  .showHelpAfterError();

addNetOptions(program
  .command('shapes')
  .description("infer every blob's shape with Caffe's rules and print them per layer")
  .argument('<net>', 'a .prototxt file or a .py net script')
  .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
  .option('--json', 'print one JSON object instead of a table'))
  .action((net: string, flags) => runReportingErrors(() => shapesCommand(net, flags)));

addNetOptions(program
  .command('analyze')
  .description('coordinate maps, Crop offsets, merges, receptive fields, padding and valid input sizes')
  .argument('<net>', 'a .prototxt file or a .py net script')
  .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
  .option('--sizes <a..b>', 'also list the input sizes in a..b (per spatial axis) that the net accepts')
  .option('--fix-crops', 'write a copy with the computed Crop offsets filled in (needs -o)')
  .option('-o, --output <file>', 'where --fix-crops writes the corrected prototxt')
  .option('--json', 'print one JSON object instead of the report'))
  .action((net: string, flags) => runReportingErrors(() => analyzeCommand(net, flags)));

addScriptOptions(program
  .command('convert')
  .description('print the parsed net as canonical prototxt, JSON, or a NetSpec script; run a .py script and write its files')
  .argument('<net>', 'a .prototxt file or a .py net script')
  .option('--to <format>', 'prototxt, json or py (a NetSpec script)', 'prototxt')
  .option('-o, --output <path>', 'write to this file; for a .py script without --net/--call, the folder for the files it writes')
  .option('-i, --input <name=dims>', 'an input shape (for Theano scripts, whose inputs have none), e.g. x=1,3,64,64 (repeatable)', inputOption)
  .option('--no-upgrade', 'print the net as written (a V1 net stays V1)')
  .option('--dialect <name>', 'the schema the prototxt speaks: auto (default), bvlc or a fork (see README: Dialects)')
  .option('--plugin <file.mjs>', 'load a layer plug-in before reading the net (repeatable)', collect))
  .action((net: string, flags) => runReportingErrors(() => convertCommand(net, flags)));

addNetOptions(program
  .command('run')
  .description('run one forward pass on gpu.js and write blobs as .npy files')
  .argument('<net>', 'a .prototxt file or a .py net script')
  .option('-i, --input <name=file.npy>', 'an input blob as a float32/float64 .npy file; also sets its shape (repeatable)', collect)
  .option('--weights <file>', 'a .caffemodel (default: the fillers, seeded by --seed)')
  .option('--seed <n>', 'seed for filler-initialised parameters (default 0)', integerOption)
  .option('--allow-missing-weights', 'fill layers the .caffemodel lacks from their fillers')
  .option('--blobs <which>', 'all, or a comma-separated list of blob names (default: the net outputs)')
  .option('--out <dir>', 'where to write <blob>.npy files')
  .option('--backend <backend>', "cpu, webasm, wasm (brewnet's WebAssembly SIMD kernels, webasm for other layers), headlessgl or auto (default auto)"))
  .action((net: string, flags) => runReportingErrors(() => runCommand(net, flags)));

addNetOptions(program
  .command('compile')
  .description('write the net as an ES module of gpu.js kernels with a loader')
  .argument('<net>', 'a .prototxt file or a .py net script')
  .option('--weights <file>', 'the .caffemodel the module loads by default')
  .option('--seed <n>', 'without --weights: fill parameters from the fillers with this seed, written beside the module', integerOption)
  .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
  .option('--backend <backend>', "the module's default backend: cpu, webasm, wasm, headlessgl or auto (default auto)")
  .option('-o, --output <file>', 'the .mjs file to write'))
  .action((net: string, flags) => runReportingErrors(() => compileCommand(net, flags)));

// --plugin files load before any command reads a net; a plug-in that fails to load stops the command.
program.hook('preAction', async (_program, action) => {
  await runReportingErrors(() => loadPluginFlags(action.opts()));
  if (process.exitCode) process.exit();
});

await program.parseAsync();
