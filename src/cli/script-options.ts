// The flags every net-taking command has for .py net scripts: which net (--net, --call) and the
// sandbox's limits (--max-steps, --max-depth, --max-string, --max-list, --max-output).
import { Command, InvalidArgumentError } from 'commander';
import type { ScriptSelection } from '../api/load-net.js';
import { DEFAULT_LIMITS } from '../frontend/dsl/limits.js';

export interface ScriptFlags {
  net?: string;
  call?: string;
  maxSteps?: number;
  maxDepth?: number;
  maxString?: number;
  maxList?: number;
  maxOutput?: number;
  maxSeconds?: number;
  maxSource?: number;
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  }
  return Number(value);
}

export function addScriptOptions(command: Command): Command {
  return command
    .option('--net <name>', 'for a .py script: which of the nets it writes, e.g. train.prototxt')
    .option('--call <expr>', `for a .py script: an expression that returns the net, e.g. 'fcn("train")'`)
    .option('--max-steps <n>', `for a .py script: steps before it is stopped (default ${DEFAULT_LIMITS.maxSteps})`, positiveInteger)
    .option('--max-depth <n>', `for a .py script: nested calls allowed (default ${DEFAULT_LIMITS.maxDepth})`, positiveInteger)
    .option('--max-string <n>', `for a .py script: longest string (default ${DEFAULT_LIMITS.maxString})`, positiveInteger)
    .option('--max-list <n>', `for a .py script: largest list (default ${DEFAULT_LIMITS.maxList})`, positiveInteger)
    .option('--max-output <n>', `for a .py script: characters it may write to files (default ${DEFAULT_LIMITS.maxOutput})`, positiveInteger)
    .option('--max-seconds <n>', `for a .py script: seconds it may run (default ${DEFAULT_LIMITS.maxSeconds})`, positiveInteger)
    .option(
      '--max-source <n>',
      `for a .py script: characters of source it may have (default ${DEFAULT_LIMITS.maxSource})`,
      positiveInteger,
    );
}

export function scriptSelection(flags: ScriptFlags): ScriptSelection {
  return {
    net: flags.net,
    call: flags.call,
    limits: {
      maxSteps: flags.maxSteps,
      maxDepth: flags.maxDepth,
      maxString: flags.maxString,
      maxList: flags.maxList,
      maxOutput: flags.maxOutput,
      maxSeconds: flags.maxSeconds,
      maxSource: flags.maxSource,
    },
  };
}
