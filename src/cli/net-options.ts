// The flags every command that loads a net shares: the net state (--phase, --stage, --level) and, for .py
// net scripts, which net and the sandbox's limits. One place, so shapes, analyze, run and compile agree.
import { Command, InvalidArgumentError } from 'commander';
import type { LoadOptions } from '../api/load-net.js';
import { addScriptOptions, scriptSelection, type ScriptFlags } from './script-options.js';

export interface NetFlags extends ScriptFlags {
  phase?: string;
  stage?: string[];
  level?: number;
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
      .option('--level <n>', 'net state level (default 0)', integerOption),
  );
}

/** The load options these flags ask for (input shapes and the file name are each command's own). */
export function netLoadOptions(flags: NetFlags): LoadOptions {
  return {
    phase: flags.phase as LoadOptions['phase'],
    stages: flags.stage,
    level: flags.level,
    ...scriptSelection(flags),
  };
}
