// The flags every command that loads a net shares: the net state (--phase, --stage, --level) and, for .py
// net scripts, which net and the sandbox's limits. One place, so shapes, analyze, run and compile agree.
import { Command, InvalidArgumentError } from 'commander';
import { fail } from '../diagnostics/diagnostic.js';
import type { LoadOptions } from '../api/load-net.js';
import { addScriptOptions, scriptSelection, type ScriptFlags } from './script-options.js';
import { loadPlugin } from '../api/plugins.js';
import { DIALECT_NAMES } from '../schema/dialects.js';

export interface NetFlags extends ScriptFlags {
  phase?: string;
  stage?: string[];
  level?: number;
  dialect?: string;
  plugin?: string[];
  allowUnknown?: boolean;
  shape?: string[];
}

/** --shape layer=dims, once per top: the top shapes of a layer of unknown type, by layer name. */
export function layerShapes(specs: readonly string[] = []): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const spec of specs) {
    const at = spec.lastIndexOf('=');
    const dims = spec
      .slice(at + 1)
      .split(/[,x×]/)
      .map((d) => Number(d.trim()));
    if (at <= 0 || dims.some((d) => !Number.isInteger(d) || d < 0))
      fail(`--shape ${spec}: expected layer=dims, e.g. roi_pool5=300,512,7,7`);
    const name = spec.slice(0, at);
    out.set(name, [...(out.get(name) ?? []), dims]);
  }
  return out;
}

function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return Number(value);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addNetOptions(command: Command): Command {
  return addScriptOptions(
    command
      .option('--phase <phase>', 'train or test (default test)')
      .option('--stage <stage>', 'add a stage to the net state (repeatable)', collect)
      .option('--level <n>', 'net state level (default 0)', integerOption)
      .option('--dialect <name>', `the schema the prototxt speaks: auto (default), ${DIALECT_NAMES.join(', ')}`)
      .option('--plugin <file.mjs>', 'load a layer plug-in before reading the net (repeatable)', collect)
      .option('--allow-unknown', 'keep going past layers of unknown type (their tops from --shape, else left out with what reads them)')
      .option('--shape <layer=dims>', 'with --allow-unknown: a top shape of an unknown layer, once per top (repeatable)', collect),
  );
}

/** Loads the --plugin files of the command about to run (a commander preAction hook). */
export async function loadPluginFlags(flags: { plugin?: string[] }): Promise<void> {
  for (const file of flags.plugin ?? []) await loadPlugin(file);
}

/** The load options these flags ask for (input shapes and the file name are each command's own). */
export function netLoadOptions(flags: NetFlags): LoadOptions {
  return {
    phase: flags.phase as LoadOptions['phase'],
    stages: flags.stage,
    level: flags.level,
    ...(flags.dialect ? { dialect: flags.dialect } : {}),
    ...(flags.allowUnknown ? { allowUnknown: true, layerShapes: layerShapes(flags.shape) } : {}),
    ...scriptSelection(flags),
  };
}
