// The flags every command that loads a net shares: the net state (--phase, --stage, --level) and, for .py
// net scripts, which net and the sandbox's limits. One place, so shapes, analyze, run and compile agree.
import { Command, InvalidArgumentError } from 'commander';
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
      .option('--plugin <file.mjs>', 'load a layer plug-in before reading the net (repeatable)', collect),
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
    ...scriptSelection(flags),
  };
}
