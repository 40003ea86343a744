// Which dialect a prototxt speaks: BVLC's unless it uses fields only a fork's schema has. The names each
// fork adds (its new fields on BVLC's messages and every field of its own messages) are found by comparing
// the dialect's schema with BVLC's; the file's field names are scanned from its text; the dialect knowing
// the most of them wins (ties go to the earlier dialect in dialects.ts: caffe-ssd before OpenCV's, SegNet
// before ENet's, which share names).
import type protobuf from 'protobufjs';
import { dialectRoot } from '../../schema/caffe-schema.js';
import { DIALECTS } from '../../schema/dialects.js';

const forkNames = new Map<string, Set<string>>();

function typesOf(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if ('fieldsArray' in nested) out.push(nested as protobuf.Type);
    if ('nestedArray' in nested) typesOf(nested as protobuf.NamespaceBase, out);
  }
  return out;
}

/** Field names a dialect has and BVLC's schema lacks (in the same message). */
export function namesOnlyIn(dialect: string): Set<string> {
  let names = forkNames.get(dialect);
  if (!names) {
    names = new Set();
    const bvlc = dialectRoot('bvlc');
    for (const type of typesOf(dialectRoot(dialect))) {
      const base = bvlc.lookup(type.fullName) as protobuf.Type | null;
      for (const f of type.fieldsArray) if (!base || !('fields' in base) || !base.fields[f.name]) names.add(f.name);
    }
    forkNames.set(dialect, names);
  }
  return names;
}

/** The field names written in a prototxt (identifiers followed by `:`, `{` or `<`). */
function fieldNames(text: string): Set<string> {
  const names = new Set<string>();
  // Only at an identifier's start (the lookbehind): otherwise a long run of letters is tried from every
  // position, quadratic in its length (a 10 MB unterminated string took minutes).
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\s*[:{<]/g)) names.add(m[1]);
  return names;
}

/** The fork dialect whose names the text uses most, or undefined when it uses none. */
export function inferDialect(text: string): string | undefined {
  const used = fieldNames(text);
  let best: string | undefined;
  let bestScore = 0;
  for (const d of DIALECTS) {
    let score = 0;
    for (const n of namesOnlyIn(d.name)) if (used.has(n)) score++;
    if (score > bestScore) [best, bestScore] = [d.name, score];
  }
  return best;
}

/** The dialects (fork names) that have a field `name` in message `message`. */
export function dialectsWithField(message: string, name: string): string[] {
  return DIALECTS.filter((d) => {
    const type = dialectRoot(d.name).lookup(`caffe.${message}`) as protobuf.Type | null;
    return type !== null && 'fields' in type && type.fields[name] !== undefined && namesOnlyIn(d.name).has(name);
  }).map((d) => d.name);
}
