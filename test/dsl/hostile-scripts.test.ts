// Hostile and broken scripts: each ends with its own clear, located error, and quickly (vitest's timeout
// would catch a hang). Escapes are refused (imports, __import__, eval/exec, reading files, writing outside
// the output folder, dunder attribute walks); runaway work is stopped by the step, depth, string, list
// and integer limits, which try/except cannot catch; syntax and layer errors read like Python's.
import { describe, expect, it } from 'vitest';
import { pyFailure } from './run-py.js';
import { DEFAULT_LIMITS } from '../../src/frontend/dsl/limits.js';

const NET = 'import caffe\nfrom caffe import layers as L\nn = caffe.NetSpec()\nn.data = L.Input(shape=dict(dim=[1, 3, 8, 8]))\n';

const cases: [string, string, string][] = [
  // Escapes.
  [
    'import os',
    'import os\nos.system("rm -rf /")\n',
    "net.py:1:8: error: ImportError: module 'os' is not available in brewnet's sandbox\n  hint: net scripts may import sys, math, numpy, caffe, theano",
  ],
  [
    'from subprocess import call',
    'from subprocess import call\n',
    "net.py:1:1: error: ImportError: module 'subprocess' is not available in brewnet's sandbox\n  hint: net scripts may import sys, math, numpy, caffe, theano",
  ],
  [
    'import of an unknown module',
    'import caffe2\n',
    "net.py:1:8: error: ModuleNotFoundError: No module named 'caffe2' (did you mean 'caffe'?)\n  hint: net scripts may import sys, math, numpy, caffe, theano",
  ],
  [
    "__import__('os')",
    "os = __import__('os')\n",
    "net.py:1:6: error: SandboxError: __import__() is not available in brewnet's sandbox\n  hint: use an import statement; only the modules brewnet provides can be imported",
  ],
  [
    "eval('…')",
    'eval(\'__import__("os")\')\n',
    "net.py:1:1: error: SandboxError: eval() is not available in brewnet's sandbox\n  hint: a net script cannot run code from strings",
  ],
  [
    "exec('…')",
    "exec('import os')\n",
    "net.py:1:1: error: SandboxError: exec() is not available in brewnet's sandbox\n  hint: a net script cannot run code from strings",
  ],
  [
    'compile()',
    "code = compile('1', 'f', 'eval')\n",
    "net.py:1:8: error: SandboxError: compile() is not available in brewnet's sandbox\n  hint: a net script cannot run code from strings",
  ],
  [
    'globals()',
    "g = globals()['__builtins__']\n",
    "net.py:1:5: error: SandboxError: globals() is not available in brewnet's sandbox\n  hint: the sandbox does not expose its namespaces",
  ],
  [
    'input()',
    'name = input()\n',
    "net.py:1:8: error: SandboxError: input() is not available in brewnet's sandbox\n  hint: a net script cannot read input",
  ],
  [
    "open('/etc/passwd')",
    "print(open('/etc/passwd').read())\n",
    `net.py:1:7: error: SandboxError: open("/etc/passwd"): reading files is not allowed in brewnet's sandbox\n  hint: a net script may only write files (open(path, 'w')); brewnet captures them as the script's output`,
  ],
  [
    "open('/etc/passwd', 'w')",
    "open('/etc/passwd', 'w').write('x')\n",
    `net.py:1:1: error: SandboxError: open("/etc/passwd", "w"): an output file must stay inside the output folder\n  hint: write a relative path such as 'train.prototxt'`,
  ],
  [
    "open('../../x', 'a')",
    "with open('nets/../../../x.prototxt', 'a') as f:\n    f.write('x')\n",
    `net.py:1:6: error: SandboxError: open("nets/../../../x.prototxt", "a"): an output file must stay inside the output folder\n  hint: write a relative path such as 'train.prototxt'`,
  ],
  [
    '().__class__.__bases__ walk',
    '().__class__.__bases__[0].__subclasses__()\n',
    "net.py:1:4: error: AttributeError: access to '__class__' is blocked by brewnet's sandbox\n  hint: net scripts have no use for Python internals",
  ],
  [
    "getattr(f, '__globals__')",
    "def f():\n    pass\ng = getattr(f, '__globals__')\n",
    "net.py:3:5: error: AttributeError: access to '__globals__' is blocked by brewnet's sandbox\n  hint: net scripts have no use for Python internals",
  ],
  [
    'type(x).__subclasses__',
    'subs = type(1).__subclasses__()\n',
    "net.py:1:16: error: AttributeError: access to '__subclasses__' is blocked by brewnet's sandbox\n  hint: net scripts have no use for Python internals",
  ],
  [
    'caffe.Net runs Caffe',
    "import caffe\nnet = caffe.Net('deploy.prototxt', caffe.TEST)\n",
    "net.py:2:7: error: NotImplementedError: caffe.Net runs Caffe itself; brewnet reads the net's definition only\n  hint: build the net with NetSpec and return or write it",
  ],
  // Runaway work.
  [
    'infinite loop',
    'n = 0\nwhile True:\n    n += 1\n',
    'net.py:2:1: error: TimeoutError: the script ran more than 1,000,000 steps (an endless loop?)\n  hint: raise the limit with --max-steps',
  ],
  [
    'infinite loop inside try/except',
    'try:\n    while True:\n        pass\nexcept Exception:\n    pass\n',
    'net.py:2:5: error: TimeoutError: the script ran more than 1,000,000 steps (an endless loop?)\n  hint: raise the limit with --max-steps',
  ],
  [
    'deep recursion',
    'def down(n):\n    return down(n + 1)\ndown(0)\n',
    'net.py:2:12: error: RecursionError: maximum recursion depth exceeded (200 nested calls)\n  hint: raise the limit with --max-depth',
  ],
  [
    '[0] * 10**9',
    'x = [0] * 10**9\n',
    "net.py:1:5: error: MemoryError: a collection of 1,000,000,000 items is over the sandbox's limit of 1,000,000\n  hint: raise the limit with --max-list",
  ],
  [
    "'x' * 10**10",
    "s = 'x' * 10**10\n",
    "net.py:1:5: error: MemoryError: a string of 10,000,000,000 characters is over the sandbox's limit of 16,000,000\n  hint: raise the limit with --max-string",
  ],
  [
    'a string doubling forever',
    "s = 'ab'\nwhile True:\n    s = s + s\n",
    "net.py:3:9: error: MemoryError: a string of 16,777,216 characters is over the sandbox's limit of 16,000,000\n  hint: raise the limit with --max-string",
  ],
  [
    'many large lists',
    'rows = [[0] * 1000 for i in range(100000)]\n',
    'net.py:1:9: error: TimeoutError: the script ran more than 1,000,000 steps (an endless loop?)\n  hint: raise the limit with --max-steps',
  ],
  [
    '10**10**10',
    'x = 10**10**10\n',
    'net.py:1:5: error: MemoryError: integer result has more than 65536 bits\n  hint: net scripts never need numbers this large',
  ],
  [
    'a format width of 10**9',
    "s = '{:>1000000000}'.format(1)\n",
    "net.py:1:5: error: MemoryError: a string of 1,000,000,000 characters is over the sandbox's limit of 16,000,000\n  hint: raise the limit with --max-string",
  ],
  // Broken scripts.
  ['syntax error', 'def conv_relu(bottom:\n    pass\n', "net.py:1:14: error: SyntaxError: '(' was never closed"],
  ['missing colon', 'if True\n    pass\n', "net.py:1:8: error: SyntaxError: expected ':'"],
  ['unexpected indent', 'x = 1\n    y = 2\n', 'net.py:2:5: error: IndentationError: unexpected indent'],
  [
    'unindent that matches no block',
    'if True:\n        x = 1\n    y = 2\n',
    'net.py:3:1: error: IndentationError: unindent does not match any outer indentation level',
  ],
  [
    'missing block',
    'def f():\nreturn 1\n',
    "net.py:2:1: error: IndentationError: expected an indented block after 'def' statement on line 1",
  ],
  [
    'tabs and spaces',
    'if True:\n\tx = 1\n        y = 2\n',
    'net.py:3:1: error: TabError: inconsistent use of tabs and spaces in indentation',
  ],
  [
    'too many nested parentheses',
    `x = ${'('.repeat(150)}1${')'.repeat(150)}\n`,
    'net.py:1:105: error: SyntaxError: too many nested parentheses',
  ],
  ['Python 2 print', 'print "hello"\n', "net.py:1:1: error: SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"],
  [
    'a misspelt helper',
    'def conv_relu(x):\n    return x\nconv_reul(1)\n',
    "net.py:3:1: error: NameError: name 'conv_reul' is not defined (did you mean 'conv_relu'?)",
  ],
  [
    'unknown layer keyword',
    `${NET}n.conv = L.Convolution(n.data, num_output=8, kernel_sizee=3)\nprint(n.to_proto())\n`,
    "net.py:5:46: error: TypeError: Convolution() got an unknown parameter 'kernel_sizee' (did you mean 'kernel_size'?)",
  ],
  [
    'Deconvolution keywords outside convolution_param',
    `${NET}n.up = L.Deconvolution(n.data, num_output=3, kernel_size=4, stride=2)\nprint(n.to_proto())\n`,
    'net.py:5:32: error: AttributeError: num_output\n  hint: pycaffe cannot serialise L.Deconvolution(num_output=…): Deconvolution has no parameter message of its own; write convolution_param=dict(num_output=…)',
  ],
  [
    'writing a net object instead of its text',
    `${NET}open('n.prototxt', 'w').write(n.to_proto())\n`,
    'net.py:5:1: error: TypeError: write() argument must be str, not NetParameter\n  hint: write str(net) to save a net',
  ],
];

describe('hostile and broken scripts', () => {
  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('%s', (_, source, expected) => {
    expect(pyFailure(source)).toBe(expected);
  });
});

describe('limits that need a flag to reach in a test', () => {
  it('stops a script that writes more output than --max-output allows', () => {
    const source = "s = 'x' * 600\nwith open('big.txt', 'w') as f:\n    for i in range(10):\n        f.write(s)\n";
    expect(pyFailure(source, { limits: { maxOutput: 5000 } })).toBe(
      'net.py:4:9: error: MemoryError: the script wrote more than 5,000 characters of output\n  hint: raise the limit with --max-output',
    );
  });

  it('refuses a script longer than --max-source before reading it (its lexer cannot stop part-way)', () => {
    const source = `x = [${Array.from({ length: 3000 }, () => '1').join(', ')}]\n`;
    expect(pyFailure(source, { limits: { maxSource: 5000 } })).toBe(
      'net.py:1:1: error: this script is 9,005 characters long; the sandbox reads at most 5,000\n  hint: raise the limit with --max-source',
    );
    // The default is far above a real script's size (DenseNet-121 as NetSpec: 44 KB).
    expect(DEFAULT_LIMITS.maxSource).toBeGreaterThanOrEqual(400_000);
  });

  it('looks up built-in methods by own type name only (a class named like an Object member)', () => {
    const source = 'class constructor(object):\n    pass\nclass toString(object):\n    pass\nx = toString()\nprint(x.name)\n';
    expect(pyFailure(source)).toBe("net.py:6:9: error: AttributeError: 'toString' object has no attribute 'name'");
  });
});
