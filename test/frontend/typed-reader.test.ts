// The two prototxt readers must agree. The fast typed reader (src/frontend/prototxt/fast-typed-reader.ts)
// either builds exactly the message, metadata and locations that the chevrotain parser and the checker
// build from the whole text, or stops at a top-level field; readNetParameter then has the chevrotain
// parser read from there and the checker type it onto what was read before, which must give exactly the
// message or the diagnostics of reading the whole text the slow way. Checked on every example, fixture
// and corpus file, on spellings chosen to hit the readers' edges, and on random layers and token soup.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseText } from '../../src/frontend/prototxt/parse-text.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { typeDocument } from '../../src/frontend/prototxt/typecheck.js';
import { fastReadMessage } from '../../src/frontend/prototxt/fast-typed-reader.js';
import { activeDialect, messageType, setActiveDialect } from '../../src/schema/caffe-schema.js';
import { inferDialect } from '../../src/frontend/prototxt/infer-dialect.js';
import { metaOf, type Msg } from '../../src/schema/message.js';
import { corpusFiles, corpusPath, repoRoot } from '../helpers/corpus.js';

/** A typed message with its side-table metadata spelled out, recursively, so that toStrictEqual sees it. */
function withMeta(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withMeta);
  if (typeof value !== 'object' || value === null) return value;
  const meta = metaOf(value as Msg);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = withMeta(v);
  if (meta) out.__meta = { type: meta.type.name, loc: meta.loc, fieldLocs: [...meta.fieldLocs], deferred: meta.deferred };
  return out;
}

function typedOrError(read: () => Msg): unknown {
  try {
    return withMeta(read());
  } catch (e) {
    if (e instanceof DiagnosticError) return { diagnostics: e.diagnostics };
    return { error: String(e) };
  }
}

/** The chevrotain parser on the whole text, then the checker on its tree: the reference. */
function typedWhole(text: string): unknown {
  return typedOrError(() => {
    const diagnostics: Diagnostic[] = [];
    const msg = typeDocument(messageType('NetParameter'), parseText(text, 'f.prototxt'), diagnostics);
    if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
    return msg;
  });
}

/**
 * readNetParameter (the fast typed reader, and the slow path from where it stops) against the reference,
 * in BVLC's dialect. Returns whether the fast typed reader took the whole text.
 */
function typesAlike(text: string): boolean {
  setActiveDialect('bvlc');
  const whole = typedWhole(text);
  const shown = JSON.stringify(text.slice(0, 200));
  expect(
    typedOrError(() => readNetParameter(text, 'f.prototxt', 'bvlc')),
    shown,
  ).toStrictEqual(whole);
  const fast = fastReadMessage(text, 'f.prototxt', messageType('NetParameter'));
  if (fast.msg === undefined) return false;
  expect(withMeta(fast.msg), shown).toStrictEqual(whole);
  return true;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(prototxt|txt)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Well-formed fields before the text, so that the slow path starts at line 3, column 3. */
const PREFIX = 'name: "n"\nlayer { name: "a" type: "ReLU" }\n  ';

describe('the fast typed reader and the slow path agree', () => {
  it('on the examples, fixtures and corpus', () => {
    const files = [
      ...filesUnder(join(repoRoot, 'examples')),
      ...filesUnder(join(repoRoot, 'test', 'fixtures')),
      ...corpusFiles()
        .filter((f) => f.endsWith('.prototxt'))
        .map(corpusPath),
    ];
    expect(files.length).toBeGreaterThan(5);
    let taken = 0;
    for (const file of files) if (typesAlike(readFileSync(file, 'utf8'))) taken++;
    // Most files are well-formed nets, which the fast typed reader takes (forks' *_param deferred).
    expect(taken).toBeGreaterThan(files.length / 2);
  });

  it('on diagnostics', () => {
    typesAlike('name: "n" layer { name: "a" type: "ReLU" bogus: 1 } layer { name: "b" convolution_param { num_output: -1 } }');
    typesAlike('name: "n" name: "m" input_dim: 1.5 layer { name: "a" foo_param { x: 1 } }');
    typesAlike('layer { name: "a" type: "Convolution" } layer { name: "b" "esc\\n" }');
    typesAlike('layer { name: "a" } layer { name: "caf\u00e9" }');
    typesAlike('state { phase: TEST } layer { include { phase: TRAIN } }');
    typesAlike('name: "a"\nlayer { name: "b" }\nname: "c"');
    typesAlike('layer { name: "a" }\r\nlayer { name: "b" }\r\n  layer { name: "c" kernal_size: 3 }');
  });

  // Field by field: the checker types the field the fast reader stopped at, and the fast reader goes on
  // after it (readByFields), which must still give the whole reading's diagnostics, in order.
  it('on errors spread over many top-level fields', () => {
    const good = (i: number) => `layer { name: "l${i}" type: "ReLU" bottom: "x" top: "x" }\n`;
    const body = (bad: (i: number) => string) => Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? bad(i) : good(i))).join('');
    typesAlike(body((i) => `layer { name: "l${i}" convolution_param { pad: -inf num_output: 0.5 } }\n`));
    typesAlike(body((i) => `layer { name: "l${i}" bogus_${i}: 1 }\r\n`));
    // Over several lines: the lines before the point where the fast reader gave up are counted once.
    typesAlike(body((i) => `layer {\n  name: "l${i}"\r\n  convolution_param {\n    num_output: 2\r    pad: -${i}\n  }\n}\n`));
    // A type error, then a syntax error further on: the whole reading reports only the syntax error.
    typesAlike(body((i) => `layer { name: "l${i}" convolution_param { pad: -1 } }\n`) + 'layer { name: "z" ');
    typesAlike(body((i) => `layer { name: "l${i}" convolution_param { pad: -1 } }\n`) + 'layer { name: "z" } }');
    // Spellings the fast reader leaves to the checker, between errors, and locations after them.
    typesAlike(`${good(0)}name: "a" "b"\n${good(1)}layer { name: 3 }\n${good(2)}layer [{ name: "a" }]\n\n  layer { name: 4 }`);
    typesAlike(`name: "a"\r${good(0)}name: "b"\rname: "c"\r${good(1)}input_dim: 1.5 # c\rinput_dim: -1\n`);
    typesAlike(`layer { name: "\\377" }\n${good(0)}layer { name: "caf\u00e9" top: 1 }\n${good(1)}bogus { a: 1 }`);
  });

  // A syntax error with hundreds of kilobytes after it: found by lexing a prefix of the rest (syntaxErrorFrom)
  // only where nothing after it could change what the whole reading reports.
  it('on a syntax error early in a big text, and on what after it comes first', () => {
    const good = (i: number) => `layer { name: "l${i}" type: "ReLU" bottom: "x" top: "x" } # c ${i}\n`;
    const tail = Array.from({ length: 3000 }, (_, i) => good(i)).join('');
    const broken = 'layer { name: "b" type "Deconvolution" }\n';
    typesAlike(good(0) + 'layer { name: "t" convolution_param { pad: -1 } }\n' + broken + tail);
    typesAlike(broken + tail);
    typesAlike(good(0) + 'layer { name: "m" convolution_param { pad: 1.2.3 } }\n' + tail);
    typesAlike(good(0) + 'layer { name: "u" ' + tail);
    // Later lexer errors, an unterminated string, deep nesting or a spelling the scan does not take: the whole reading.
    for (const late of ['layer { $x }\n', 'name: "open\n', 'a { '.repeat(120) + '\n', 'input_dim: 1e+5\n', "name: 'a\\\n'\n"])
      typesAlike(good(0) + broken + tail + late);
  });

  const typedTaken = [
    'name: "n"\nlayer {\n\tname: "a"\n\ttype: "ReLU"\n\tbottom: "x"\n\ttop: "x"\n}\n',
    'input: "data" input_dim: 1 input_dim: [3, 224] input_dim: 224',
    'input: [] input: ["a", \'b\'] input: []',
    'layer: [{ name: "a" }, < name: "b" >]',
    'layer: [{ name: "a" }] layer: { name: "b" }; layer < name: "c" >,',
    'layer { convolution_param { num_output: 0x10 kernel_size: 017 axis: - 1 stride: -0 bias_term: t } }',
    'layer { convolution_param { bias_term: True } param { lr_mult: 1.5e-3f decay_mult: -inf } param { lr_mult: 2F decay_mult: nan } }',
    'layer { loss_weight: [1, .5, 5., 1e5, 1E+5, -2] propagate_down: [true, false, 1, 0, False, f] }',
    'layer { pooling_param { pool: MAX round_mode: 1 } } layer { pooling_param { pool: 2 } }',
    'layer { name: "esc\\n\\t\\"" type: \'caf\\303\\251\' bottom: "a" "b" \'c\' # c\n "d" }',
    'layer { name: "caf\u00e9\u{1F600}" }',
    'name: "a"\r\nlayer {\r\n  name: "b" # c\r\n}\r\n',
    'name: "a\rb"\rlayer { name: "c" }\r\r\nlayer { name: "d" } # lone \r inside\nlayer { name: "e" }',
    'layer { dummy_data_param { shape { dim: 2147483647 dim: 0 } data_filler { type: "uniform" min: -1 max: 1 } } }',
    'layer { inner_product_param { num_output: 999999999 axis: -2147483648 } clip_param { max: 1 min: -1 } }',
    'layer { threshold_param { threshold: 010 } exp_param { base: 0.0 scale: 1e-45 shift: 3.4e39 } }',
    'state { phase: TEST level: -3 stage: "a" stage: "b" } force_backward: false debug_info: 1',
    '',
    '# only a comment\n',
  ];
  for (const text of typedTaken) {
    it(`the fast typed reader takes ${JSON.stringify(text).slice(0, 60)}`, () => {
      expect(typesAlike(text)).toBe(true);
    });
  }

  // A fork's *_param on a layer: deferred, as the checker defers it, whatever its value.
  const deferredTaken = [
    'layer { name: "a" type: "Interp" interp_param { zoom_factor: 2 } }',
    'layer { interp_param { height: 1 height: 2 x: "\\377" y: -inf z: [1, "s", t] w { v < u: 0x1 > } } type: "Interp" }',
    'layer { foo_param: 3 bar_param: [] baz_param: ["a" \'b\', -x] } layer { qux_param < a: b > ; name: "q" }',
    'layers { name: "a" type: RELU interp_param { zoom_factor: 2 } }',
  ];
  for (const text of deferredTaken) {
    it(`the fast typed reader defers a fork's parameters in ${JSON.stringify(text).slice(0, 60)}`, () => {
      expect(typesAlike(text)).toBe(true);
      expect(typesAlike(PREFIX + text)).toBe(true);
    });
  }

  const typedGivenUp = [
    'name: "a" name: "b"',
    'layer { name: "a" name: "b" }',
    'bogus: 1',
    'name: [ "a" ]',
    'layer { convolution_param { num_output: -1 } }',
    'layer { convolution_param { num_output: 4294967296 } }',
    'layer { convolution_param { num_output: 1.5 } }',
    'layer { convolution_param { num_output: 08 } }',
    'layer { convolution_param { num_output: "3" } }',
    'layer { convolution_param { bias_term: yes } }',
    'layer { pooling_param { pool: MAXX } }',
    'layer { pooling_param { pool: "MAX" } }',
    'layer { pooling_param { pool: 7 } }',
    'layer { pooling_param { pool: -MAX } }',
    'layer { name: 3 }',
    'layer { name: "\\377" }',
    'layer { name { } }',
    'layer: 3',
    'layer { clip_param { min: 0 } }',
    'layer [{ name: "a" }, < name: "b" >]',
    'layer { inner_product_param { num_output: 1 axis: -2147483649 } }',
    'layer { param { lr_mult: 0x10 } }',
    'layer { param { lr_mult: infinite } }',
    'layer { include { phase: TRAIN } } layer { name: "x" bogus: 1 }',
    'layer { name: "a" }\x00',
  ];
  for (const text of typedGivenUp) {
    it(`the fast typed reader stops on ${JSON.stringify(text).slice(0, 60)}, and the slow path answers`, () => {
      expect(typesAlike(text)).toBe(false);
      expect(typesAlike(PREFIX + text)).toBe(false);
    });
  }

  it('the typed fast reader agrees with the checker on random layers, well-typed or not', () => {
    let seed = 777;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const ints = ['0', '1', '-1', '- 2', '7', '08', '010', '0x1f', '1.5', '999999999', '2147483648', '-0', 'x', '"3"'];
    const floats = ['0', '1.5', '-2', '.5', '5.', '1e-3', '1e3f', '0x1', 'inf', '-nan', 'x', '"1"'];
    const bools = ['true', 'false', 't', 'f', 'True', '1', '0', '2', 'yes', '-true'];
    const strings = ['"a"', "'b'", '"c" "d"', '"\\101"', '"\\377"', 'e', '1'];
    const enums = ['MAX', 'AVE', 'STOCHASTIC', 'max', '0', '1', '9', '"MAX"', '-MAX'];
    const fieldOf = (): string => {
      const r = random();
      if (r < 0.15) return `name: ${pick(strings)}`;
      if (r < 0.25) return `bottom: ${pick(strings)}`;
      if (r < 0.3) return `top: [${pick(strings)}, ${pick(strings)}]`;
      if (r < 0.45) return `convolution_param { num_output: ${pick(ints)} kernel_size: ${pick(ints)} bias_term: ${pick(bools)} }`;
      if (r < 0.55) return `pooling_param < pool: ${pick(enums)} stride: ${pick(ints)} >`;
      if (r < 0.65) return `param { lr_mult: ${pick(floats)} }`;
      if (r < 0.72) return `loss_weight: [${pick(floats)}, ${pick(floats)}]`;
      if (r < 0.78) return `propagate_down: ${pick(bools)}`;
      if (r < 0.82) return `phase: ${pick(['TRAIN', 'TEST', 'train'])}`;
      if (r < 0.85) return 'kernal_size: 3';
      return `type: ${pick(strings)}`;
    };
    let taken = 0;
    for (let n = 0; n < 400; n++) {
      const layers: string[] = [];
      for (let l = 0; l < 1 + Math.floor(random() * 3); l++) {
        const fields: string[] = [];
        for (let i = 0; i < Math.floor(random() * 5); i++) fields.push(fieldOf());
        layers.push(`layer {\n  ${fields.join(pick(['\n  ', ' ', '; ', ',\r\n ']))}\n}`);
      }
      if (typesAlike(layers.join('\n'))) taken++;
    }
    expect(taken).toBeGreaterThan(30);
  });

  const taken = [
    'name: "x"\nlayer { name: "a" type: "ReLU" bottom: "b" top: "b" }\n',
    'a: 1 b: -2 c: - 3 d: -# comment\n 4 e: -inf f: nan g: true',
    'n: [1, 2, 3] m: [] s: ["a", \'b\'] v: [{ x: 1 }, < y: 2 >]',
    'a { b < c: 1; d: 2, > }; e: 3,',
    'x: 0x1F x: 0X0 x: 017 x: 08 x: 1.5 x: .5 x: 5. x: 1e5 x: 1E+5 x: 1.5e-3f x: 2F x: 0',
    'a: 1 # trailing comment',
    '# only a comment',
    '',
    '  \t\n\f\v ',
    'a: 1\r\nb {\r\n  c: "d"\r\n}\r\n# c\n',
    'a: 1\rb: 2\r\r\nc: 3',
    'a: 1 # CRLF comment\r\nb: 2 #\r\n#\r\r\nc: 3 # lone \r inside\nd: 4',
    'a: "cr\rinside" b: 1',
    'a: "esc\\n\\t\\"\\\'\\\\" b: \'\\x41\\101\\u00e9\\U0001F600\'',
    'a: "caf\u00e9" b: "\u{1F600}" c: "\\303\\251" d: "\\303" "\\251" e: "\\377"',
    'a: "ab" "cd" \'ef\' # c\n "gh" b: "x"\n"y"',
    "param_str: \"{\\'phase\\': \\'TEST\\', \\'p\\': \\'0.01\\'}\"",
    'a: "it\'s" b: \'say "hi"\' c: "" d: "\t tab"',
    'layer{name:"a"}layer{name:"b"}',
    'a:{b:1}',
    'a: b c: d',
  ];
  const givenUp = [
    'a: "esc\\q"',
    'a: "bad \\x"',
    'a: "ok" "bad \\u12"',
    'a: "ok" "unterminated',
    'a: "ends in a backslash\\',
    'a: "escaped line break\\\nb"',
    'layer [{ name: "a" }]',
    'a: 12abc: 3',
    'a: 1e',
    'a: 1.5.5',
    'a: 0x',
    'a: .x',
    'a: "unterminated',
    'a: 1 }',
    'a { b: 1',
    'a { b: 1 >',
    'a: [1, ]',
    'a: [1 2]',
    'a: ',
    'a b',
    'a: $X',
    ': 1',
    'a: -"s"',
    'a: --1',
  ];
  for (const text of [...taken, ...givenUp]) {
    it(`the slow path answers as on the whole text for ${JSON.stringify(text).slice(0, 60)}`, () => {
      typesAlike(text);
      typesAlike(PREFIX + text);
      typesAlike(`layer { name: "x" ${text} }`);
    });
  }

  it('refuses messages nested deeper than the full parser allows', () => {
    // Only an untyped (deferred) field nests that deep: caffe.proto has no recursive message.
    const nested = (depth: number) => 'layer { x_param { '.concat('a { '.repeat(depth - 2), 'b: 1 ', '} '.repeat(depth));
    expect(typesAlike(nested(100))).toBe(true);
    expect(typesAlike(nested(101))).toBe(false);
    expect(() => readNetParameter(nested(101), 'f.prototxt', 'bvlc')).toThrow(/nested/);
    expect(() => readNetParameter(PREFIX + nested(5000), 'f.prototxt', 'bvlc')).toThrow(/nested/);
  });

  it('on random token soup, after well-formed fields', () => {
    const pieces = [
      'a',
      'name',
      'layer',
      '_x1',
      ':',
      ':',
      '{',
      '}',
      '<',
      '>',
      '[',
      ']',
      ',',
      ';',
      '-',
      '1',
      '0x1f',
      '017',
      '08',
      '1.5',
      '.5',
      '5.',
      '1e5',
      '1e',
      '2f',
      'inf',
      '"s"',
      "'t'",
      '"e\\n"',
      '"',
      '#c\n',
      ' ',
      ' ',
      '\n',
      '\r\n',
      '\r',
      '\t',
      '.',
      'x1',
      '$',
      '\u00e9',
      '\f',
      '#c',
      '"a\rb"',
      '"\\q"',
      "'\\303'",
      '"\\251"',
      '"\u00e9"',
    ];
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 1500; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) parts.push(pieces[Math.floor(random() * pieces.length)]);
      typesAlike(PREFIX + parts.join(''));
    }
    // Well-formed structure inside a layer, with fields a fork would defer (x_param) or nobody knows (x).
    const value = (depth: number): string => {
      const r = random();
      if (r < 0.2 && depth < 3) return `{ ${fields(depth + 1)} }`;
      if (r < 0.3 && depth < 3) return `< ${fields(depth + 1)} >`;
      const scalars = ['1', '-2', '- 3', '0x10', '1.5e-3', '.5', '5.', '2f', 'TRUE', 'x', '"s"', "'q'", '-inf', '"\\377"', '"\\q"', '1e'];
      return scalars[Math.floor(random() * scalars.length)];
    };
    const fields = (depth: number): string => {
      const parts: string[] = [];
      const count = Math.floor(random() * 4);
      const seps = [' ', '\n', ', ', '; ', '\r\n', ' #c\n', '\t'];
      for (let i = 0; i < count; i++) {
        const v = value(depth);
        const list =
          random() < 0.15
            ? `: [${v}, ${value(depth)}]`
            : v.startsWith('{') || v.startsWith('<')
              ? random() < 0.5
                ? ` ${v}`
                : `: ${v}`
              : `: ${v}`;
        const name = depth > 0 || random() < 0.85 ? `f${i}_param` : `f${i}`;
        parts.push(`${name}${list}${seps[Math.floor(random() * seps.length)]}`);
      }
      return parts.join('');
    };
    let taken = 0;
    for (let n = 0; n < 1500; n++) if (typesAlike(`${PREFIX}layer { ${fields(0)} }\nlayer { name: "z" }`)) taken++;
    expect(taken).toBeGreaterThan(300);
  });
});

/**
 * The dialect rule on the slow path alone: the whole text in BVLC's schema; where that fails or defers a
 * field, in the fork's that the text's names point to (if any). readNetParameter('auto') takes shortcuts
 * (the fast readers first, a fork's fast reading before BVLC's slow one) and must answer the same.
 */
function autoAlike(text: string): void {
  setActiveDialect('bvlc');
  const inBvlc = typedWhole(text) as { diagnostics?: unknown };
  const deferred = JSON.stringify(inBvlc).includes('"deferred":[');
  const fork = !inBvlc.diagnostics && !deferred ? undefined : inferDialect(text);
  if (fork !== undefined) setActiveDialect(fork);
  const expected = { read: fork === undefined ? inBvlc : typedWhole(text), dialect: fork ?? 'bvlc' };
  const read = typedOrError(() => readNetParameter(text, 'f.prototxt'));
  expect({ read, dialect: activeDialect() }, JSON.stringify(text.slice(0, 200))).toStrictEqual(expected);
}

describe('readNetParameter in the auto dialect', () => {
  it('reads the examples, fixtures and corpus as the slow path would', () => {
    const files = [
      ...filesUnder(join(repoRoot, 'test', 'fixtures')),
      ...corpusFiles()
        .filter((f) => f.endsWith('.prototxt'))
        .map(corpusPath),
    ];
    for (const file of files) autoAlike(readFileSync(file, 'utf8'));
  });

  const texts = [
    'layer { name: "p" type: "Pooling" pooling_param { pool: MAX kernel_size: 2 ceil_mode: false } }',
    'layer { name: "p" type: "Pooling" pooling_param { pool: MAX kernel_size: 2 ceil_mode: 3 } }',
    'layer { name: "p" type: "Pooling" pooling_param { kernel_size: 2 ceil_mode: false } } layer [{ name: "q" }]',
    'layer { name: "i" type: "Interp" interp_param { zoom_factor: 2 } }',
    'layer { name: "i" type: "Interp" interp_param { zoom_factor: -2 bogus: 1 } }',
    'layer { name: "i" type: "Interp" interp_param { zoom_factor: 2 } } layer [{ name: "q" }]',
    'layer [{ name: "q" zoom_factor_param { x: 1 } }]',
    'layer { name: "a" kernal: 1 }',
    'layer { name: "a" } bogus { }',
  ];
  for (const text of texts) {
    it(`reads ${JSON.stringify(text).slice(0, 60)} as the slow path would`, () => autoAlike(text));
  }
});
