// Usage errors (commander's: an unknown option, a missing argument, a bad option value) read like brewnet's
// other diagnostics: the error and one hint line pointing at the command's --help, never the whole help;
// with --json, one JSON line. `brewnet` alone says a command is missing and lists the commands briefly.
import type { Command } from 'commander';
import { diagnosticJSON, jsonDiagnostics } from './report-errors.js';

function usageError(message: string, hint: string, write: (s: string) => void): void {
  const text = message.trim().replace(/^error:\s*/, '');
  if (jsonDiagnostics()) write(JSON.stringify(diagnosticJSON({ severity: 'error', message: text, hint })) + '\n');
  else write(`error: ${text}\n  hint: ${hint}\n`);
}

/** Sets how `command` and its subcommands report usage errors. Call once every command is declared. */
export function configureUsageErrors(program: Command): void {
  const configure = (command: Command, path: string) => {
    command.configureOutput({ outputError: (message, write) => usageError(message, `see ${path} --help`, write) });
    for (const sub of command.commands) configure(sub, `${path} ${sub.name()}`);
  };
  configure(program, program.name());
}

/** `brewnet` with no arguments: what is missing, the commands in one line each, exit status 1. */
export function reportMissingCommand(program: Command): void {
  const names = program.commands.map((c) => c.name());
  const width = Math.max(...names.map((n) => n.length));
  const list = program.commands.map((c) => `  ${c.name().padEnd(width)}  ${c.description()}`).join('\n');
  process.stderr.write(
    `error: no command given\nusage: ${program.name()} <command> <net> [options]\ncommands:\n${list}\n${program.name()} <command> --help tells more\n`,
  );
  process.exitCode = 1;
}
