// The hand-written fast parser (grammar/prototxt-fast-parser.ts) must build exactly the tree the chevrotain
// parser builds, or give up. Checked on every example, fixture and corpus file, on spellings chosen to
// hit its edges, and on random token soup. readNetParameter types each top-level field as the fast parser
// reads it: that must give the same message, locations and diagnostics as typing the whole tree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastParseFields } from '../../grammar/prototxt-fast-parser.js';
import { DiagnosticError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseText, parseTextFull } from '../../src/frontend/prototxt/parse-text.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { typeDocument } from '../../src/frontend/prototxt/typecheck.js';
import { messageType } from '../../src/schema/caffe-schema.js';
import { metaOf, type Msg } from '../../src/schema/message.js';
import { corpusFiles, corpusPath, repoRoot } from '../helpers/corpus.js';

function fullOrError(text: string): unknown {
  try {
    return parseTextFull(text, 'f.prototxt');
  } catch (e) {
    return { error: String(e) };
  }
}

/** The fast parser either gives up or agrees with the full parser; returns whether it took the text. */
function agrees(text: string): boolean {
  const fast = fastParseFields(text, 'f.prototxt');
  if (fast === undefined) return false;
  const full = fullOrError(text) as { fields?: unknown };
  expect(full.fields, JSON.stringify(text)).toStrictEqual(fast);
  return true;
}

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
    return { error: String(e) };
  }
}

/** readNetParameter (streamed typing on the fast path) against the full parser and the checker on the whole tree. */
function typesAlike(text: string): void {
  const streamed = typedOrError(() => readNetParameter(text, 'f.prototxt'));
  const whole = typedOrError(() => {
    const diagnostics: Diagnostic[] = [];
    const msg = typeDocument(messageType('NetParameter'), parseTextFull(text, 'f.prototxt'), diagnostics);
    if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
    return msg;
  });
  expect(streamed, JSON.stringify(text.slice(0, 200))).toStrictEqual(whole);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(prototxt|txt)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('fast parser', () => {
  it('builds the same tree as the full parser for the examples and fixtures', () => {
    const files = [...filesUnder(join(repoRoot, 'examples')), ...filesUnder(join(repoRoot, 'test', 'fixtures'))];
    expect(files.length).toBeGreaterThan(5);
    let taken = 0;
    for (const file of files) if (agrees(readFileSync(file, 'utf8'))) taken++;
    expect(taken).toBeGreaterThan(5);
  });

  it('builds the same tree as the full parser for the corpus (where present)', () => {
    for (const file of corpusFiles().filter((f) => f.endsWith('.prototxt'))) agrees(readFileSync(corpusPath(file), 'utf8'));
  });

  it('types streamed fields as the checker types the whole tree: examples, fixtures, corpus', () => {
    const files = [
      ...filesUnder(join(repoRoot, 'examples')),
      ...filesUnder(join(repoRoot, 'test', 'fixtures')),
      ...corpusFiles().filter((f) => f.endsWith('.prototxt')).map(corpusPath),
    ];
    for (const file of files) typesAlike(readFileSync(file, 'utf8'));
  });

  it('types streamed fields as the checker types the whole tree: diagnostics', () => {
    typesAlike('name: "n" layer { name: "a" type: "ReLU" bogus: 1 } layer { name: "b" convolution_param { num_output: -1 } }');
    typesAlike('name: "n" name: "m" input_dim: 1.5 layer { name: "a" foo_param { x: 1 } }');
    typesAlike('layer { name: "a" type: "Convolution" } layer { name: "b" "esc\\n" }');
    typesAlike('layer { name: "a" } layer { name: "caf\u00e9" }');
    typesAlike('state { phase: TEST } layer { include { phase: TRAIN } }');
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
    'param_str: "{\\\'phase\\\': \\\'TEST\\\', \\\'p\\\': \\\'0.01\\\'}"',
    'a: "it\'s" b: \'say "hi"\' c: "" d: "\t tab"',
    'layer{name:"a"}layer{name:"b"}',
    'a:{b:1}',
    'a: b c: d',
  ];
  for (const text of taken) {
    it(`takes and agrees on ${JSON.stringify(text).slice(0, 60)}`, () => {
      expect(agrees(text)).toBe(true);
    });
  }

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
  for (const text of givenUp) {
    it(`gives up on ${JSON.stringify(text)}, and parseText answers as the full parser`, () => {
      expect(fastParseFields(text, 'f.prototxt')).toBeUndefined();
      let viaParseText: unknown;
      try {
        viaParseText = parseText(text, 'f.prototxt');
      } catch (e) {
        viaParseText = { error: String(e) };
      }
      expect(viaParseText).toStrictEqual(fullOrError(text));
    });
  }

  it('takes messages nested as deep as the full parser allows, and gives up beyond', () => {
    const nested = (depth: number) => 'a '.concat('{ b '.repeat(depth - 1), '< c: 1 ', '> } '.repeat(1), '} '.repeat(depth - 2));
    expect(agrees(nested(100))).toBe(true);
    expect(fastParseFields(nested(101), 'f.prototxt')).toBeUndefined();
    const inList = (depth: number) => 'x: ['.concat('{ b '.repeat(depth - 1), '{ c: 1 ', '} '.repeat(depth), ']');
    expect(agrees(inList(100))).toBe(true);
    expect(fastParseFields(inList(101), 'f.prototxt')).toBeUndefined();
    expect(() => parseText(nested(101), 'f.prototxt')).toThrow(/nested/);
    expect(() => parseText(nested(5000), 'f.prototxt')).toThrow(/nested/);
  });

  it('agrees with the full parser on random token soup', () => {
    const pieces = [
      'a', 'name', 'layer', '_x1', ':', ':', '{', '}', '<', '>', '[', ']', ',', ';', '-', '1', '0x1f', '017', '08',
      '1.5', '.5', '5.', '1e5', '1e', '2f', 'inf', '"s"', "'t'", '"e\\n"', '"', '#c\n', ' ', ' ', '\n', '\r\n', '\r',
      '\t', '.', 'x1', '$', '\u00e9', '\f', '#c', '"a\rb"', '"\\q"', "'\\303'", '"\\251"', '"\u00e9"',
    ];
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let takenCount = 0;
    for (let n = 0; n < 3000; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) parts.push(pieces[Math.floor(random() * pieces.length)]);
      if (agrees(parts.join(''))) takenCount++;
    }
    // Valid structure built from fields, so that the soup also has many texts the fast parser takes.
    const value = (depth: number): string => {
      const r = random();
      if (r < 0.2 && depth < 3) return `{ ${fields(depth + 1)} }`;
      if (r < 0.3 && depth < 3) return `< ${fields(depth + 1)} >`;
      const scalars = ['1', '-2', '- 3', '0x10', '1.5e-3', '.5', '5.', '2f', 'TRUE', 'x', '"s"', "'q'", '-inf'];
      return scalars[Math.floor(random() * scalars.length)];
    };
    const fields = (depth: number): string => {
      const parts: string[] = [];
      const count = Math.floor(random() * 4);
      const seps = [' ', '\n', ', ', '; ', '\r\n', ' #c\n', '\t'];
      for (let i = 0; i < count; i++) {
        const v = value(depth);
        const list = random() < 0.15 ? `: [${v}, ${value(depth)}]` : v.startsWith('{') || v.startsWith('<') ? (random() < 0.5 ? ` ${v}` : `: ${v}`) : `: ${v}`;
        parts.push(`f${i}${list}${seps[Math.floor(random() * seps.length)]}`);
      }
      return parts.join('');
    };
    for (let n = 0; n < 2000; n++) if (agrees(fields(0))) takenCount++;
    expect(takenCount).toBeGreaterThan(1500);
  });
});
