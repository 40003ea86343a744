// Parity with protobuf's own text parser: every corpus and edge-case file is read by brewnet and turned
// into MessageToDict's JSON, and must equal what Python's text_format.Parse + json_format.MessageToDict
// made of it (fixtures from test/fixtures/text-format/generate.py). Where Python rejects a file, brewnet
// must reject it too, with its first diagnostic on the line Python names — except for the differences
// documented below, each of which is checked in its own way.
//
// Floats are compared exactly: toProtoJSON reproduces ToShortestFloat (the double nearest the shortest
// "%.{p}g", p ≥ 6, that converts back to the same float32), so no tolerance is needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiagnosticError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseText } from '../../src/frontend/prototxt/parse-text.js';
// Python's text_format parsed with BVLC's caffe.proto, so brewnet reads in BVLC's dialect here too.
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { typeDocument } from '../../src/frontend/prototxt/typecheck.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import { printPrototxt } from '../../src/printer/prototxt-printer.js';
import { messageType } from '../../src/schema/caffe-schema.js';
import { metaOf, type Msg } from '../../src/schema/message.js';
import { corpusDir, corpusPresent, loadFixtures, type TextFormatFixture } from './text-format-fixtures.js';

/**
 * Python and C++ disagree here, and brewnet does what C++ (the parser Caffe itself uses) does. The check:
 * brewnet's verdict equals protoc's — accepted files print exactly as protoc's canonical text, rejected
 * ones have no canonical text (protoc rejected them as well).
 */
const FOLLOWS_CPP: Record<string, string> = {
  'edge/cpp-only-float-suffix.prototxt':
    'Python only strips a lower-case "f" suffix (float(text.rstrip("f"))), so 2F fails; C++ accepts f and F',
  'edge/cpp-only-minus-space.prototxt': 'Python\'s tokenizer reads "-5" as one token, so "- 5" fails; C++ takes "-" and then the number',
  'edge/err-invalid-escape.prototxt':
    'Python\'s CUnescape keeps an unknown escape (\\q stays backslash-q); C++ rejects it ("Invalid escape sequence")',
};

/** Both reject, but brewnet's first diagnostic is on another line, for the reason given. */
const OTHER_LINE: Record<string, { reason: string; ours: RegExp }> = {
  'edge/err-missing-brace.prototxt': {
    reason: 'at end of input Python points at the last token read; brewnet, like C++ ("input:5:1"), at the end of the file',
    ours: /found end of file/,
  },
  // Python parses and checks in one pass and stops at its first error. brewnet scans the whole file
  // first, so a syntax error anywhere (here unquoted ${…} template placeholders) is reported before any
  // schema error; Python never gets to the placeholders.
  'deeplab/voc12/config/vgg128_noup/test.prototxt': {
    reason: 'syntax errors (template placeholders) are reported before schema errors',
    ours: /^unexpected character "\$"/,
  },
  'deeplab/voc2012/config/deeplab_largeFOV/test.prototxt': {
    reason: 'syntax errors (template placeholders) are reported before schema errors',
    ours: /^unexpected character "\$"/,
  },
};

/**
 * Python rejects an unknown field in a layer at once. brewnet defers an unknown `*_param` in a layer (a
 * fork's layer parameter) and reports it later, only if the layer's type is one brewnet supports, since
 * "unsupported layer type" says it better. So readNetParameter may return; the deferred diagnostic must
 * sit on the layer, on Python's line.
 */
const DEFERRED_PARAM = /Message type "caffe\.(?:V1)?LayerParameter" has no field named "(\w+_param)"/;

function firstDiagnostic(f: TextFormatFixture): Diagnostic | undefined {
  try {
    readNetParameter(readFileSync(f.path, 'utf8'), f.file, 'bvlc');
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0];
    throw e;
  }
  return undefined;
}

function deferredDiagnostics(f: TextFormatFixture): Diagnostic[] {
  // Type the file without throwing, to see the layers even where another error makes it fail.
  const diagnostics: Diagnostic[] = [];
  const net = typeDocument(messageType('NetParameter'), parseText(readFileSync(f.path, 'utf8'), f.file), diagnostics);
  const layers = [...((net.layer as Msg[] | undefined) ?? []), ...((net.layers as Msg[] | undefined) ?? [])];
  return layers.flatMap((layer) => metaOf(layer)?.deferred ?? []);
}

function checkFixture(f: TextFormatFixture): void {
  const text = readFileSync(f.path, 'utf8');
  if (f.file in FOLLOWS_CPP) {
    if (f.canonical !== undefined) {
      expect(printPrototxt(readNetParameter(text, f.file, 'bvlc'))).toBe(f.canonical);
    } else {
      expect(() => readNetParameter(text, f.file, 'bvlc')).toThrow(DiagnosticError);
    }
    // The exception is still needed: Python's verdict is the other one.
    expect(f.error === undefined, FOLLOWS_CPP[f.file]).toBe(f.canonical === undefined);
    return;
  }
  if (f.message !== undefined) {
    expect(toProtoJSON(readNetParameter(text, f.file))).toEqual(f.message);
    return;
  }
  expect(f.error).toBeDefined();
  const deferred = DEFERRED_PARAM.exec(f.error!);
  const first = firstDiagnostic(f);
  if (deferred) {
    const found = deferredDiagnostics(f).find((d) => d.location?.line === f.line);
    expect(found?.message).toContain(`"${deferred[1]}"`);
    // If brewnet rejects the file anyway, it is for an error further on, which Python never reached.
    if (first) expect(first.location!.line).toBeGreaterThan(f.line!);
    return;
  }
  expect(first, `Python rejected it (${f.error}); brewnet must too`).toBeDefined();
  const other = OTHER_LINE[f.file];
  if (other) {
    expect(first!.message).toMatch(other.ours);
    expect(first!.location!.line).not.toBe(f.line);
    return;
  }
  if (f.line != null) expect(first!.location?.line, `Python: ${f.error}\nbrewnet: ${first!.message}`).toBe(f.line);
}

const fixtures = loadFixtures();
const corpus = fixtures.filter((f) => f.source === 'corpus');
const edge = fixtures.filter((f) => f.source === 'edge');

describe('text-format parity with Python protobuf: edge cases', () => {
  it('has the edge-case fixtures', () => expect(edge.length).toBeGreaterThan(20));
  for (const f of edge) it(f.file, () => checkFixture(f));
});

describe('text-format parity with Python protobuf: corpus', () => {
  if (!corpusPresent) {
    it.skip(`corpus absent at ${corpusDir}: its ${corpus.length} fixtures are not checked`, () => {});
    return;
  }
  for (const f of corpus) it(f.file, () => checkFixture(f));
});
