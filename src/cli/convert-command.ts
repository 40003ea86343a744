// `brewnet convert <net>`: the parsed net in canonical prototxt, protobuf's JSON mapping, or as a NetSpec
// script (py); upgraded to the current format unless --no-upgrade. A .py net script runs in the sandbox
// first: with -o DIR (and no --net/--call) the files it wrote are written under DIR; otherwise its one net
// (or the one picked with --net/--call) is converted. Layers carrying what these formats cannot say
// (Theano's output size, filter flip) are checked against the built net and refused when they matter.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isScript, readNet, readSource } from '../api/load-net.js';
import { buildNet } from '../passes/build-net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { scriptNets } from '../frontend/dsl/script-nets.js';
import { assertPrototxtExpressible, layerExtension, withoutExtensions } from '../ir/layer-extensions.js';
import { printJSON } from '../printer/json-printer.js';
import { printNetSpec } from '../printer/netspec-printer.js';
import { printPrototxt } from '../printer/prototxt-printer.js';
import { onnxCommand, type OnnxFlags } from './onnx-command.js';
import { checkOutputFile, makeOutputFolder, writeOutputFile } from './output-paths.js';
import { scriptSelection, type ScriptFlags } from './script-options.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';

export interface ConvertFlags extends ScriptFlags {
  to: string;
  upgrade: boolean;
  output?: string;
  input?: Map<string, number[]>;
  dialect?: string;
}

const FORMATS = ['prototxt', 'json', 'py', 'onnx'];

export function convertCommand(file: string, flags: ConvertFlags & OnnxFlags): void | Promise<void> {
  if (!FORMATS.includes(flags.to)) fail(`--to must be "prototxt", "json", "py" or "onnx", not "${flags.to}"`);
  if (flags.to === 'onnx') return onnxCommand(file, flags);
  const onnxOnly = (['weights', 'seed', 'opset', 'check', 'batch', 'externalDataAbove'] as const).filter((k) => flags[k] !== undefined);
  if (onnxOnly.length) fail(`--${onnxOnly[0].replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} applies to --to onnx only`);
  if (isScript(file) && flags.output !== undefined && flags.net === undefined && flags.call === undefined) {
    writeScriptFiles(file, flags.output, flags);
    return;
  }
  if (flags.output !== undefined) checkOutputFile(flags.output, '-o');
  const net = expressible(
    readNet(file, {
      upgrade: flags.upgrade,
      ...scriptSelection(flags),
      inputs: flags.input,
      ...(flags.dialect ? { dialect: flags.dialect } : {}),
    }),
    flags,
  );
  const text =
    flags.to === 'json'
      ? printJSON(net)
      : flags.to === 'py'
        ? printNetSpec(net, {
            output: flags.output ? basename(flags.output).replace(/\.py$/i, '') + '.prototxt' : 'net.prototxt',
            source: file,
          })
        : printPrototxt(net);
  if (flags.output === undefined) {
    process.stdout.write(text);
    return;
  }
  makeOutputFolder(dirname(resolve(flags.output)), '-o');
  writeOutputFile(flags.output, text, '-o');
  process.stderr.write(`wrote ${flags.output}\n`);
}

/** The net, once shapes show its layers' extensions change nothing these formats say. */
function expressible(net: NetParameter, flags: ConvertFlags): NetParameter {
  const layers = net.layer ?? [];
  if (!layers.some((l) => layerExtension(l))) return net;
  const built = buildNet(net, { inputs: flags.input });
  const adjustments = new Map(built.layers.map((l) => [l.proto, l.outputAdjust]));
  assertPrototxtExpressible(net, (layer) => adjustments.get(layer));
  return withoutExtensions(net);
}

/** Writes what the script wrote, under `outDir`, refusing any path that would lead out of it. */
function writeScriptFiles(file: string, outDir: string, flags: ConvertFlags): void {
  const source = readSource(file);
  const { files } = scriptNets(source.text, { file: source.file, limits: scriptSelection(flags).limits, inputs: flags.input });
  if (files.size === 0)
    fail(`${source.file} wrote no files`, undefined, `pick its net with --call (or --net) and -o FILE, or leave out -o to print it`);
  makeOutputFolder(outDir, '-o');
  const root = realpathSync(outDir);
  for (const [path, text] of files) {
    const target = resolve(root, path);
    makeOutputFolder(dirname(target), `-o (for ${path}, which the script wrote)`);
    // A folder or file already in the output folder could be a link to elsewhere: never follow one.
    const linked = realpathSync(dirname(target)) !== dirname(target) || (existsSync(target) && lstatSync(target).isSymbolicLink());
    if (linked)
      fail(`${join(outDir, path)} would be written through a link, maybe outside ${outDir}`, undefined, 'write into a fresh folder');
    writeOutputFile(target, text, `-o (${path}, which the script wrote)`);
    process.stderr.write(`wrote ${join(outDir, path)}\n`);
  }
}
