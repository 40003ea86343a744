#!/usr/bin/env node
// The brewnet command line. Each command lives in its own file; this one only declares them, and loads a
// command's module only when it runs (run and compile bring in gpu.js and the runtime, which the other
// commands, --version and --help never need).
import { Command, InvalidArgumentError } from 'commander';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { parseInputOption } from './input-option.js';
import { runReportingErrors, useJsonDiagnostics } from './report-errors.js';
import { configureUsageErrors, reportMissingCommand } from './usage.js';
import { addNetOptions, loadPluginFlags } from './net-options.js';
import { addScriptOptions } from './script-options.js';

// Option parsers throw commander's error type so bad flags read like every other usage error.
function inputOption(value: string, previous?: Map<string, number[]>) {
  try {
    return parseInputOption(value, previous);
  } catch (e) {
    if (e instanceof DiagnosticError)
      throw new InvalidArgumentError(e.diagnostics.map((d) => d.message + (d.hint ? ` (${d.hint})` : '')).join('; '));
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
  .version('0.1.0');

addNetOptions(
  program
    .command('shapes')
    .description("infer every blob's shape with Caffe's rules and print them per layer")
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
    .option('--json', 'print one JSON object instead of a table'),
).action((net: string, flags) => runReportingErrors(async () => (await import('./shapes-command.js')).shapesCommand(net, flags)));

addNetOptions(
  program
    .command('analyze')
    .description('coordinate maps, Crop offsets, merges, receptive fields, padding and valid input sizes')
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
    .option('--sizes <a..b>', 'also list the input sizes in a..b (per spatial axis) that the net accepts')
    .option('--fix-crops', 'write a copy with the computed Crop offsets filled in (needs -o)')
    .option('-o, --output <file>', 'where --fix-crops writes the corrected prototxt')
    .option('--json', 'print one JSON object instead of the report'),
).action((net: string, flags) => runReportingErrors(async () => (await import('./analyze-command.js')).analyzeCommand(net, flags)));

addScriptOptions(
  program
    .command('convert')
    .description('print the parsed net as canonical prototxt, JSON, or a NetSpec script; run a .py script and write its files')
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option('--to <format>', 'prototxt, json, py (a NetSpec script) or onnx', 'prototxt')
    .option('-o, --output <path>', 'write to this file; for a .py script without --net/--call, the folder for the files it writes')
    .option(
      '-i, --input <name=dims>',
      'an input shape (for Theano scripts, whose inputs have none), e.g. x=1,3,64,64 (repeatable)',
      inputOption,
    )
    .option('--no-upgrade', 'print the net as written (a V1 net stays V1)')
    .option('--weights <file>', 'onnx: a .caffemodel for the initializers (default: the fillers, seeded by --seed)')
    .option('--seed <n>', 'onnx: seed for filler-initialised parameters (default 0); with --check, also the input', integerOption)
    .option('--allow-missing-weights', 'onnx: fill layers the .caffemodel lacks from their fillers')
    .option('--opset <n>', 'onnx: the ONNX opset, 13 to 21 (default 17)', integerOption)
    .option('--batch <symbol>', "onnx: name the inputs' and outputs' first axis with this symbol (a free batch size)")
    .option(
      '--external-data-above <bytes>',
      'onnx: put initializers in <file>.data (ONNX external data) above this many bytes (default 2000000000)',
      integerOption,
    )
    .option('--check', 'onnx: run the model in onnxruntime-node on a seeded input and compare with the reference executor')
    .option('--dialect <name>', 'the schema the prototxt speaks: auto (default), bvlc or a fork (see README: Dialects)')
    .option('--plugin <file.mjs>', 'load a layer plug-in before reading the net (repeatable)', collect),
).action((net: string, flags) => runReportingErrors(async () => (await import('./convert-command.js')).convertCommand(net, flags)));

addNetOptions(
  program
    .command('run')
    .description('run one forward pass on gpu.js and write blobs as .npy files')
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option(
      '-i, --input <name=value>',
      'an input blob: a .npy file (any numeric dtype), an image (.jpg, .png), or random|zeros|ones[:dims] (repeatable)',
      collect,
    )
    .option('--reshape', "run the net at the inputs' shapes instead of the shapes it declares")
    .option('--mean <values|file>', 'images: subtract a mean, per channel (104,117,123) or a .binaryproto')
    .option('--raw-scale <x>', 'images: multiply the [0, 1] pixels by this before the mean (pycaffe raw_scale; 255 for most Caffe models)')
    .option('--scale <x>', 'images: multiply by this after the mean (pycaffe input_scale)')
    .option('--channel-swap <order>', 'images: reorder the RGB channels, e.g. 2,1,0 for BGR')
    .option('--json', 'print one JSON object (what was written, shapes, backend, times); diagnostics as JSON lines')
    .option('--weights <file>', 'a .caffemodel (default: the fillers, seeded by --seed)')
    .option('--seed <n>', 'seed for filler-initialised parameters and random inputs (default 0)', integerOption)
    .option('--allow-missing-weights', 'fill layers the .caffemodel lacks from their fillers')
    .option('--blobs <which>', 'all, or a comma-separated list of blob names (default: the net outputs)')
    .option('--out <dir>', 'where to write <blob>.npy files')
    .option(
      '--backend <backend>',
      "cpu, webasm, wasm (brewnet's WebAssembly SIMD kernels, webasm for other layers), headlessgl or auto (default auto)",
    )
    .option(
      '--threads [n]',
      "wasm: split big native kernels between at most n threads (default: every core; 1: one thread); given, webasm: gpu.js's worker pool",
    )
    .option('--no-fuse', 'run every layer on its own kernels (no BatchNorm/Scale folded into weights, no fused ReLU): the same values')
    .option(
      '--time [passes]',
      'after the pass, time more (default: as many as fit in 3 s, up to 20) and print a per-layer table of medians (ms, share, GFLOP/s, what ran it)',
    ),
).action((net: string, flags) => runReportingErrors(async () => (await import('./run-command.js')).runCommand(net, flags)));

addNetOptions(
  program
    .command('compile')
    .description('write the net as an ES module of gpu.js kernels with a loader')
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option('--weights <file>', 'the .caffemodel the module loads by default')
    .option('--seed <n>', 'without --weights: fill parameters from the fillers with this seed, written beside the module', integerOption)
    .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
    .option('--backend <backend>', "the module's default backend: cpu, webasm, wasm, headlessgl or auto (default auto)")
    .option('-o, --output <file>', 'the .mjs file to write')
    .option('--no-fuse', "write the plan without cross-layer fusions (each layer's own kernels)")
    .option('--json', 'print one JSON object (what was written, shapes, backend, time); diagnostics as JSON lines'),
).action((net: string, flags) => runReportingErrors(async () => (await import('./compile-command.js')).compileCommand(net, flags)));

addNetOptions(
  program
    .command('draw')
    .description(
      'draw the net as SVG, PNG or Graphviz DOT: layers, blob shapes, Crop offsets and merges checked, receptive fields on hover',
    )
    .argument('<net>', 'a .prototxt file or a .py net script')
    .option('-o, --output <file>', 'net.svg, net.png or net.dot (default: SVG on stdout)')
    .option('--format <format>', 'svg, png or dot (default: from -o, else svg)')
    .option('-i, --input <name=dims>', INPUT_DIMS_HELP, inputOption)
    .option('--rankdir <dir>', 'TB (top to bottom) or LR (left to right)', 'TB')
    .option('--highlight <layer>', 'mark a layer with a thick orange border (repeatable)', collect)
    .option('--no-analysis', 'leave out the Crop, merge, coordinate map and receptive field analysis')
    .option(
      '--font <file.ttf>',
      'PNG only: draw text with this font (repeatable; default: Liberation Sans, Arial or DejaVu Sans found on the system)',
      collect,
    )
    .option('--scale <n>', 'PNG only: pixels per point (default 2)')
    .option('--max-boxes <n>', 'refuse to lay out more boxes than this (default 1000; DOT has no limit)', integerOption),
).action((net: string, flags) => runReportingErrors(async () => (await import('./draw-command.js')).drawCommand(net, flags)));

// --plugin files load before any command reads a net; a plug-in that fails to load stops the command.
program.hook('preAction', async (_program, action) => {
  await runReportingErrors(() => loadPluginFlags(action.opts()));
  if (process.exitCode) process.exit();
});

configureUsageErrors(program);
// Decided before commander parses, so that its usage errors are JSON lines too.
useJsonDiagnostics(process.argv.includes('--json'));
if (process.argv.length <= 2) reportMissingCommand(program);
else await program.parseAsync();
