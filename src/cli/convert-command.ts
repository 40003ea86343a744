// `brewnet convert <net>`: the parsed net in canonical prototxt, protobuf's JSON mapping, or as a NetSpec
// script (py); upgraded to the current format unless --no-upgrade. A .py net script runs in the sandbox
// first: with -o DIR (and no --net/--call) the files it wrote are written under DIR; otherwise its one net
// (or the one picked with --net/--call) is converted. Layers carrying what these formats cannot say
// (Theano's output size, filter flip) are checked against the built net and refused when they matter.
import { existsSync, lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isScript, readNet, readSource } from '../api/load-net.js';
import { buildNet } from '../passes/build-net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { scriptNets } from '../frontend/dsl/script-nets.js';
import { assertPrototxtExpressible, layerExtension, withoutExtensions } from '../ir/layer-extensions.js';
import { printJSON } from '../printer/json-printer.js';
import { printNetSpec } from '../printer/netspec-printer.js';
import { printPrototxt } from '../printer/prototxt-printer.js';
import type { Msg } from '../schema/message.js';
import { scriptSelection, type ScriptFlags } from './script-options.js';

export interface ConvertFlags extends ScriptFlags {
  to: string;
  upgrade: boolean;
  output?: string;
  input?: Map<string, number[]>;
  dialect?: string;
}

const FORMATS = ['prototxt', 'json', 'py'];

export function convertCommand(file: string, flags: ConvertFlags): void {
  if (!FORMATS.includes(flags.to)) fail(`--to must be "prototxt", "json" or "py", not "${flags.to}"`);
  if (isScript(file) && flags.output !== undefined && flags.net === undefined && flags.call === undefined) {
    writeScriptFiles(file, flags.output, flags);
    return;
  }
  const net = expressible(readNet(file, { upgrade: flags.upgrade, ...scriptSelection(flags), inputs: flags.input, ...(flags.dialect ? { dialect: flags.dialect } : {}) }), flags);
  const text =
    flags.to === 'json'
      ? printJSON(net)
      : flags.to === 'py'
        ? printNetSpec(net, { output: flags.output ? basename(flags.output).replace(/\.py$/i, '') + '.prototxt' : 'net.prototxt', source: file })
        : printPrototxt(net);
  if (flags.output === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(flags.output, text);
  process.stderr.write(`wrote ${flags.output}\n`);
}

/** The net, once shapes show its layers' extensions change nothing these formats say. */
function expressible(net: Msg, flags: ConvertFlags): Msg {
  const layers = (net.layer as Msg[] | undefined) ?? [];
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
  if (files.size === 0) fail(`${source.file} wrote no files`, undefined, `pick its net with --call (or --net) and -o FILE, or leave out -o to print it`);
  mkdirSync(outDir, { recursive: true });
  const root = realpathSync(outDir);
  for (const [path, text] of files) {
    const target = resolve(root, path);
    mkdirSync(dirname(target), { recursive: true });
    // A folder or file already in the output folder could be a link to elsewhere: never follow one.
    const linked = realpathSync(dirname(target)) !== dirname(target) || (existsSync(target) && lstatSync(target).isSymbolicLink());
    if (linked) fail(`${join(outDir, path)} would be written through a link, maybe outside ${outDir}`, undefined, 'write into a fresh folder');
    writeFileSync(target, text);
    process.stderr.write(`wrote ${join(outDir, path)}\n`);
  }
}
