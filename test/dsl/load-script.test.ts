// loadNet on a net script gives the same IR as on the prototxt it writes; --net picks one of several
// nets, --call builds one; diagnostics about the net point into the script.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet, readNet } from '../../src/api/load-net.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { corpusAvailable, corpusFiles, corpusPath } from '../helpers/corpus.js';
import { expected } from '../helpers/corpus-expectations.js';
import { py } from './run-py.js';

function failure(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected a diagnostic');
}

/** Every (script, written net, load options) of the FCN corpus. */
const cases = corpusFiles()
  .filter((f) => f.startsWith('fcn/') && f.endsWith('/net.py'))
  .flatMap((script) =>
    corpusFiles()
      .filter((f) => dirname(f) === dirname(script) && f.endsWith('.prototxt') && !f.endsWith('deploy.prototxt'))
      .map((prototxt) => ({ script, prototxt, options: (expected[prototxt] as { options?: object }).options ?? {} })),
  );

describe.skipIf(!corpusAvailable)('loadNet(net.py, { net }) is loadNet(net.prototxt) (../shared/corpus)', () => {
  it.each(cases.map((c) => [`${c.script} --net ${c.prototxt.split('/').pop()}`, c] as const))('%s', (_, c) => {
    const name = c.prototxt.split('/').pop()!;
    const fromScript = loadNet(corpusPath(c.script), { ...c.options, net: name });
    const fromPrototxt = loadNet(corpusPath(c.prototxt), c.options);
    expect(fromScript.toJSON()).toEqual(fromPrototxt.toJSON());
  });

  it("--call 'fcn(\"seg11valid\")' builds val.prototxt's net, and layers point into the script", () => {
    const inputs = { data: [1, 3, 500, 500], label: [1, 1, 500, 500] };
    const net = loadNet(corpusPath('fcn/voc-fcn32s/net.py'), { call: "fcn('seg11valid')", inputs });
    expect(net.toJSON()).toEqual(loadNet(corpusPath('fcn/voc-fcn32s/val.prototxt'), { inputs }).toJSON());
    // `n.upscore = L.Deconvolution(…` is line 58 of the script; the call starts at column 17.
    expect(net.layer('upscore')!.loc).toMatchObject({ file: corpusPath('fcn/voc-fcn32s/net.py'), line: 58, column: 17 });
  });

  it('a shape error in a scripted net is reported at the script line', () => {
    const text = readFileSync(corpusPath('fcn/voc-fcn32s/net.py'), 'utf8').replace(
      'kernel_size=64, stride=32',
      'kernel_size=64, stride=32, group=5',
    );
    expect(
      failure(() => loadNet(text, { file: 'net.py', call: "fcn('train')", inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } })),
    ).toBe(
      // Fields inside a keyword's dict(…) are located at the keyword (convolution_param=, line 59).
      'net.py:59:9: error: layer "upscore" (Deconvolution): input channels (21) must be a multiple of group (5)',
    );
  });

  it('a script that writes two nets needs --net; an unknown name gets a suggestion', () => {
    const path = corpusPath('fcn/voc-fcn32s/net.py');
    expect(failure(() => readNet(path))).toBe(
      `error: ${path} made 2 nets (train.prototxt, val.prototxt); which one?\n  hint: pick one with --net train.prototxt, or write them all with convert -o DIR`,
    );
    expect(failure(() => readNet(path, { net: 'tran.prototxt' }))).toBe(
      `error: ${path} made no net named "tran.prototxt"\n  hint: did you mean "train.prototxt"?`,
    );
  });
});

describe('scripts given as text', () => {
  const script = py`
    import caffe
    from caffe import layers as L
    def deploy(size=28):
        n = caffe.NetSpec()
        n.data = L.Input(shape=dict(dim=[1, 1, size, size]))
        n.conv = L.Convolution(n.data, num_output=4, kernel_size=5)
        return n.to_proto()
    net = deploy()
  `;

  it('takes the one net left in a module-level variable, or the value of --call', () => {
    expect(loadNet(script, { file: 'lenet.py' }).blob('conv').shape).toEqual([1, 4, 24, 24]);
    expect(loadNet(script, { file: 'lenet.py', call: 'deploy(size=32)' }).blob('conv').shape).toEqual([1, 4, 28, 28]);
  });

  it('--call errors point at the expression, errors inside the script at the script', () => {
    expect(failure(() => loadNet(script, { file: 'lenet.py', call: 'deploy(' }))).toBe(
      "--call:1:7: error: SyntaxError: '(' was never closed",
    );
    expect(failure(() => loadNet(script, { file: 'lenet.py', call: 'deplot()' }))).toBe(
      "--call:1:1: error: NameError: name 'deplot' is not defined (did you mean 'deploy'?)",
    );
    expect(failure(() => loadNet(script, { file: 'lenet.py', call: "deploy(size='x')" }))).toBe(
      "lenet.py:5:22: error: TypeError: 'x' has type str, but expected one of: int\n  hint: for dim (int64) of Input()",
    );
    expect(failure(() => loadNet(script, { file: 'lenet.py', call: 'len("abc")' }))).toBe(
      'error: --call len("abc") returned 3, not a net\n  hint: return a NetSpec, n.to_proto(), a Top, a Theano variable, or prototxt text',
    );
  });

  it('a script that makes no net says how to get one', () => {
    expect(failure(() => loadNet('x = 1\n', { file: 'empty.py' }))).toBe(
      `error: empty.py made no net: it wrote no files and left no net in a module-level variable\n  hint: build one with --call, e.g. --call 'empty()' or --call 'fcn("train")'`,
    );
  });
});
