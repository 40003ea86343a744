// Running a net script: parse it, run it in the sandbox with brewnet's modules, and collect what it
// produced (captured output files, and the interpreter for evaluating --call expressions afterwards).
import { stderrStream } from '#platform';
import { fail } from '../../diagnostics/diagnostic.js';
import { parsePython } from '../../../grammar/python-parser.js';
import { createBuiltins } from './builtins.js';
import { PyError } from './errors.js';
import { Interpreter } from './interpreter.js';
import { LIMIT_FLAGS, resolveLimits, type Limits } from './limits.js';
import { futureModule, mathModule, ModuleRegistry, sysModule, type ModuleFactory } from './modules.js';
import { caffeModules } from './caffe/caffe-module.js';
import { numpyModule } from './numpy-module.js';
import { theanoModules } from './theano/theano-module.js';
import { OutputFiles } from './output-files.js';
import { scriptDiagnostic } from './script-diagnostics.js';
import type { HostServices, PyModule } from './values.js';

export interface ScriptOptions {
  /** Name used in diagnostics (and as sys.argv[0]). */
  file: string;
  limits?: Partial<Limits>;
  /** Shapes given with --input, by blob name (Theano inputs, shapes of partial nets). */
  inputs?: ReadonlyMap<string, readonly number[]>;
  /** Where print() goes (default: process.stderr). */
  stderr?: (text: string) => void;
  /** `__name__` while the script runs (default "__main__", so its main block runs). */
  moduleName?: string;
}

export interface ScriptRun {
  interpreter: Interpreter;
  /** Files the script wrote, by normalised relative path, in the order first opened. */
  files: ReadonlyMap<string, string>;
}

export function baseModules(): Map<string, ModuleFactory> {
  return new Map<string, ModuleFactory>([
    ['sys', sysModule],
    ['math', mathModule],
    ['__future__', futureModule],
    ['numpy', numpyModule],
    ['numpy.random', (rt, modules) => modules.import('numpy', rt).attrs.get('random') as PyModule],
    ...caffeModules,
    ...theanoModules,
  ]);
}

export function runScript(text: string, options: ScriptOptions, modules: Map<string, ModuleFactory> = baseModules()): ScriptRun {
  const limits = resolveLimits(options.limits);
  if (text.length > limits.maxSource) {
    fail(
      `this script is ${text.length.toLocaleString('en-US')} characters long; the sandbox reads at most ${limits.maxSource.toLocaleString('en-US')}`,
      { file: options.file, line: 1, column: 1, offset: 0 },
      `raise the limit with ${LIMIT_FLAGS.maxSource}`,
    );
  }
  const output = new OutputFiles(limits.maxOutput);
  const host: HostServices = {
    openForWrite: (path, mode) => output.open(path, mode),
    inputShape: (name) => {
      const shape = options.inputs?.get(name);
      return shape ? [...shape] : undefined;
    },
  };
  const registry = new ModuleRegistry(modules);
  const interpreter = new Interpreter({
    file: options.file,
    limits,
    host,
    builtins: createBuiltins(),
    importModule: (name, rt) => registry.import(name, rt),
    writeStderr: options.stderr ?? ((t) => (stderrStream() ?? { write: (x: string) => console.log(x.replace(/\n$/, '')) }).write(t)),
    moduleName: options.moduleName ?? '__main__',
  });
  try {
    interpreter.run(parsePython(text));
  } catch (e) {
    // sys.exit() / sys.exit(0) end the script normally.
    if (!(e instanceof PyError && e.pyType === 'SystemExit' && e.pyMessage === '')) {
      throw scriptDiagnostic(e, options.file) ?? e;
    }
  }
  return { interpreter, files: output.files };
}
