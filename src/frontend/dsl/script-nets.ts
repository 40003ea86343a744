// Which net a script means. With --call EXPR the script runs as a module (its `if __name__ ==
// '__main__'` block does not) and EXPR's value is the net: a NetSpec, a NetParameter, a Top, a Theano
// variable or function, or prototxt text. Otherwise the script runs as a program and the net is the one
// file it wrote (--net NAME picks one of several), or, if it wrote none, the one net it leaves in a
// module-level variable. A written file that is exactly str() of a NetParameter keeps that message, so
// later diagnostics point into the script.
import { parsePython, PythonSyntaxError } from '../../../grammar/python-parser.js';
import { DiagnosticError, error, fail } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import { readNetParameter } from '../prototxt/read-net-parameter.js';
import type { Msg } from '../../schema/message.js';
import { withNetTexts } from './caffe/message-proxy.js';
import { PyError } from './errors.js';
import { runScript, type ScriptOptions, type ScriptRun } from './run-script.js';
import { scriptDiagnostic } from './script-diagnostics.js';
import { netOfValue } from './net-values.js';
import type { PyValue } from './values.js';

export interface ScriptNetOptions extends Omit<ScriptOptions, 'moduleName'> {
  /** An expression evaluated after the script ran as a module, e.g. `fcn('train')`. */
  call?: string;
  /** The written file (or module-level variable) to use when the script makes several nets. */
  net?: string;
}

/** A net the script made, by the name it goes by (file path or variable name). */
export interface ScriptNet {
  name: string;
  net: Msg;
}

export interface ScriptNets {
  run: ScriptRun;
  /** Files the script wrote that are nets, and their text. */
  nets: ScriptNet[];
  /** Every written file, by path (nets and anything else). */
  files: ReadonlyMap<string, string>;
}

function stem(file: string): string {
  return basename(file).replace(/\.py$/i, '');
}

/** Runs the script and collects the nets it made (written files first, else module-level values). */
export function scriptNets(text: string, options: ScriptNetOptions): ScriptNets {
  const remembered = new Map<string, Msg>();
  const run = withNetTexts({ note: (t, net) => remembered.set(t, net) }, () => runScript(text, { ...options, moduleName: '__main__' }));
  const nets: ScriptNet[] = [];
  for (const [path, content] of run.files) {
    const known = remembered.get(content) ?? remembered.get(content.replace(/\n$/, ''));
    if (known) nets.push({ name: path, net: known });
    else if (/\.(prototxt|pt)$/i.test(path) || looksLikeNet(content))
      nets.push({ name: path, net: readNetParameter(content, `${path} (written by ${options.file})`) });
  }
  if (run.files.size === 0) {
    for (const [name, value] of run.interpreter.globals.vars) {
      if (name.startsWith('_')) continue;
      const net = netOfValue(value, run.interpreter, true);
      if (net) nets.push({ name, net });
    }
  }
  return { run, nets, files: run.files };
}

function looksLikeNet(text: string): boolean {
  return /^\s*(name|layers?|input)\s*[:{]/m.test(text);
}

/** The one net a script means (see the top of this file), as a NetParameter. */
export function scriptNet(text: string, options: ScriptNetOptions): Msg {
  if (options.call !== undefined) {
    if (options.net !== undefined)
      fail('--net and --call cannot be used together', undefined, '--call builds the net itself; --net picks one the script wrote');
    return callNet(text, options);
  }
  const { nets, files } = scriptNets(text, options);
  if (options.net !== undefined) {
    const found = nets.find((n) => n.name === options.net) ?? nets.find((n) => basename(n.name) === options.net);
    if (found) return found.net;
    const names = nets.map((n) => n.name);
    fail(
      `${options.file} made no net named "${options.net}"`,
      undefined,
      didYouMean(options.net, names) ?? (names.length ? `it made: ${names.join(', ')}` : 'it made no nets'),
    );
  }
  if (nets.length === 1) return nets[0].net;
  if (nets.length === 0) {
    const other = [...files.keys()];
    fail(
      `${options.file} made no net: it wrote ${other.length ? `only ${other.join(', ')}` : 'no files'} and left no net in a module-level variable`,
      undefined,
      `build one with --call, e.g. --call '${stem(options.file)}()' or --call 'fcn("train")'`,
    );
  }
  fail(
    `${options.file} made ${nets.length} nets (${nets.map((n) => n.name).join(', ')}); which one?`,
    undefined,
    `pick one with --net ${nets[0].name}, or write them all with convert -o DIR`,
  );
}

function callNet(text: string, options: ScriptNetOptions): Msg {
  const callFile = '--call';
  let expr;
  try {
    const body = parsePython(options.call!);
    if (body.length !== 1 || body[0].kind !== 'expr')
      throw new PythonSyntaxError('SyntaxError', '--call takes one expression, e.g. fcn("train")', 1, 1);
    expr = body[0].value;
  } catch (e) {
    throw scriptDiagnostic(e, callFile) ?? e;
  }
  const remembered = new Map<string, Msg>();
  return withNetTexts({ note: (t, net) => remembered.set(t, net) }, () => {
    const run = runScript(text, { ...options, moduleName: stem(options.file) });
    let value: PyValue;
    try {
      value = run.interpreter.evaluate(expr);
    } catch (e) {
      // Errors inside the script's functions point into the script; errors in the expression itself at --call.
      const inCall = e instanceof PyError && e.pos !== undefined && positionsIn(expr).has(e.pos);
      throw scriptDiagnostic(e, inCall ? callFile : options.file) ?? e;
    }
    if (typeof value === 'string') {
      const known = remembered.get(value);
      return known ?? readNetParameter(value, `${callFile} result`);
    }
    const net = netOfValue(value, run.interpreter);
    if (net) return net;
    throw new DiagnosticError([
      error(
        `--call ${options.call} returned ${run.interpreter.repr(value).slice(0, 60)}, not a net`,
        undefined,
        'return a NetSpec, n.to_proto(), a Top, a Theano variable, or prototxt text',
      ),
    ]);
  });
}

/** Every position object in an expression's tree (to tell its errors from the script's). */
function positionsIn(node: unknown, out = new Set<object>()): Set<object> {
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'pos' || key === 'attrPos') && value && typeof value === 'object') out.add(value);
      else positionsIn(value, out);
    }
  }
  return out;
}

/** The last segment of a '/'-separated path (what Node's path.basename gives on POSIX). */
function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}
