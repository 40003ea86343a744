// The Python subset behaves as CPython 3 does: each expected value below is what python3 prints for the
// same statement.
import { describe, expect, it } from 'vitest';
import { py, pyFailure, runPy } from './run-py.js';

function printed(source: string): string {
  return runPy(source).printed;
}

describe('Python values print as in CPython', () => {
  it.each([
    [
      'print(1/3, 2**0.5, 1e-5, 1e16, 123456789.0, 0.1+0.2, -0.0)',
      '0.3333333333333333 1.4142135623730951 1e-05 1e+16 123456789.0 0.30000000000000004 -0.0',
    ],
    ['print(1./255, 104.00699, 1e22, 5e-324, float("inf"), float("nan"))', '0.00392156862745098 104.00699 1e+22 5e-324 inf nan'],
    [
      'print(repr("it\'s"), repr(\'say "hi"\'), repr("a\\nb"), repr(\'both \\\' and "\'))',
      "\"it's\" 'say \"hi\"' 'a\\nb' 'both \\' and \"'",
    ],
    [
      "print(dict(split='train', mean=(104.00699, 116.66877, 122.67892), seed=1337))",
      "{'split': 'train', 'mean': (104.00699, 116.66877, 122.67892), 'seed': 1337}",
    ],
    ['print((1,), (), [1, [2, (3, 4)]], {1: None, True: False}, set(), {3})', '(1,) () [1, [2, (3, 4)]] {1: False} set() {3}'],
    [
      'print(7 // 2, -7 // 2, -7 % 3, 7 % -3, 7 / 2, 2 ** 100, 2 ** -1, True + True, 10 == 10.0)',
      '3 -4 2 -2 3.5 1267650600228229401496703205376 0.5 2 True',
    ],
    ['print(round(2.5), round(3.5), round(-0.5), abs(-3), min(3, 1, 2), max([1, 5, 2]), sum([1, 2.5]))', '2 4 0 3 1 5 3.5'],
    ["print('%s|%5d|%-5s|%05.1f|%x|%r|%%' % ('a', 42, 'b', 3.14159, 255, 'q'))", "a|   42|b    |003.1|ff|'q'|%"],
    ["print('{} {:>6} {:.3f} {name} {0}'.format('x', 'y', 2.0, name='n'))", 'x      y 2.000 n x'],
    ["w = 8; print(f'{w:>{w}}|{w!r}|{3.0:g}|{1234567:,}|{{}}')", '       8|8|3|1,234,567|{}'],
    [
      "print('a,b,,c'.split(','), ' x y '.split(), '-'.join('abc'), 'abc'.upper(), 'conv1_1'.replace('_', '/'))",
      "['a', 'b', '', 'c'] ['x', 'y'] a-b-c ABC conv1/1",
    ],
    [
      'print([x * x for x in range(6) if x % 2], {k: v for k, v in zip("ab", [1, 2])}, list(enumerate("ab", 1)))',
      "[1, 9, 25] {'a': 1, 'b': 2} [(1, 'a'), (2, 'b')]",
    ],
    [
      'print(sorted([3, 1, 2], reverse=True), sorted(["b", "A", "a"]), list(reversed(range(3))), list(range(10, 0, -3)))',
      "[3, 2, 1] ['A', 'a', 'b'] [2, 1, 0] [10, 7, 4, 1]",
    ],
    [
      'print(type((1, 2)), type(1) is int, isinstance(True, int), 3 in [1, 2, 3], "b" not in "abc", 1 < 2 < 3)',
      "<class 'tuple'> True True True False True",
    ],
    ['a = [1]; a.append(a); print(a)', '[1, [...]]'],
  ])('%s', (source, expected) => {
    expect(printed(source)).toBe(expected + '\n');
  });
});

describe('statements', () => {
  it('runs functions with defaults, *args, **kwargs, closures and lambdas', () => {
    const out = printed(py`
      def f(a, b=2, *args, **kw):
          return a + b, args, kw
      def counter():
          n = [0]
          def inc(step=1):
              n[0] += step
              return n[0]
          return inc
      c = counter()
      c(); c(5)
      print(f(1), f(1, 2, 3, x=4), c(), (lambda x, y=10: x * y)(3))
    `);
    expect(out).toBe("(3, (), {}) (3, (3,), {'x': 4}) 7 30\n");
  });

  it('runs classes with __init__, methods, single inheritance and super()', () => {
    const out = printed(py`
      class Layer(object):
          def __init__(self, incoming, name=None):
              self.incoming = incoming
              self.name = name
          def describe(self):
              return '%s <- %s' % (self.name, self.incoming)
      class Deconv(Layer):
          def __init__(self, incoming, stride):
              super(Deconv, self).__init__(incoming, name='up')
              self.stride = stride
          def describe(self):
              return super().describe() + ' x%d' % self.stride
      print(Deconv('score', 32).describe(), isinstance(Deconv('a', 2), Layer))
    `);
    expect(out).toBe('up <- score x32 True\n');
  });

  it('runs if/elif/else, while/else, for/else with break and continue, and try/except/finally', () => {
    const out = printed(py`
      log = []
      for i in range(10):
          if i % 2 == 0:
              continue
          elif i > 6:
              break
          else:
              log.append(i)
      else:
          log.append('no break')
      n = 0
      while n < 3:
          n += 1
      else:
          log.append(n)
      try:
          {}['missing']
      except (IndexError, KeyError) as e:
          log.append('caught ' + str(e))
      finally:
          log.append('finally')
      try:
          raise ValueError('bad %d' % 7)
      except Exception as e:
          log.append(repr(e))
      print(log)
    `);
    expect(out).toBe("[1, 3, 5, 3, \"caught 'missing'\", 'finally', \"ValueError('bad 7')\"]\n");
  });

  it('unpacks tuples (also nested and starred) and assigns through attributes and subscripts', () => {
    const out = printed(py`
      a, (b, c), *rest = 1, (2, 3), 4, 5
      d = {}
      d['k'], d['j'] = 'x', 'y'
      x = y = [0]
      print(a, b, c, rest, d, x is y)
    `);
    expect(out).toBe("1 2 3 [4, 5] {'k': 'x', 'j': 'y'} True\n");
  });

  it('runs the main block only as __main__, and captures files written with open(…, "w")', () => {
    const run = runPy(py`
      def make():
          with open('nets/train.prototxt', 'w') as f:
              f.write('name: "a"\\n')
          f = open('./log.txt', 'w')
          print('hello', 1, file=f)
          f.close()
      if __name__ == '__main__':
          make()
    `);
    expect([...run.files]).toEqual([
      ['nets/train.prototxt', 'name: "a"\n'],
      ['log.txt', 'hello 1\n'],
    ]);
  });

  it('ignores sys.path edits and imports from __future__', () => {
    expect(
      printed("from __future__ import print_function, division\nimport sys\nsys.path.append('../../python')\nprint(len(sys.path), 1 / 2)"),
    ).toBe('0 0.5\n');
  });
});

describe('errors read like Python, with the line and column', () => {
  it.each([
    [
      'def conv_relu(x):\n    return x\nconv_reul(1)\n',
      "net.py:3:1: error: NameError: name 'conv_reul' is not defined (did you mean 'conv_relu'?)",
    ],
    ['def f(a, b):\n    pass\nf(1)\n', "net.py:3:1: error: TypeError: f() missing 1 required positional argument: 'b'"],
    ['def f(a):\n    pass\nf(1, bb=2)\n', "net.py:3:1: error: TypeError: f() got an unexpected keyword argument 'bb'"],
    ['x = [1, 2]\nprint(x[5])\n', 'net.py:2:7: error: IndexError: list index out of range'],
    ["x = 'a' + 1\n", 'net.py:1:5: error: TypeError: can only concatenate str (not "int") to str'],
    ['a, b = 1, 2, 3\n', 'net.py:1:1: error: ValueError: too many values to unpack (expected 2)'],
    [
      'def f():\n    y = x\n    x = 1\nf()\n',
      "net.py:2:9: error: UnboundLocalError: cannot access local variable 'x' where it is not associated with a value",
    ],
    ['x = 1 / 0\n', 'net.py:1:5: error: ZeroDivisionError: division by zero'],
    ["'abc'.uper()\n", "net.py:1:7: error: AttributeError: 'str' object has no attribute 'uper' (did you mean 'upper'?)"],
    ['assert 1 == 2, "sizes differ"\n', 'net.py:1:1: error: AssertionError: sizes differ'],
  ])('%j', (source, expected) => {
    expect(pyFailure(source)).toBe(expected);
  });
});
