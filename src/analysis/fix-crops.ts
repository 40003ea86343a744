// `analyze --fix-crops`: writes the computed offsets into the prototxt text itself, touching nothing
// else (comments, layout and every other field stay byte for byte). Edits are made at the source
// locations the parser recorded: an existing offset value is replaced, a missing one is inserted after
// `crop_param {`, and a Crop without crop_param gets one right after its `type: "Crop"`.
import { locOf, metaOf } from '../schema/message.js';
import type { CropReport } from './crop-offsets.js';

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

export function fixCrops(text: string, reports: readonly CropReport[]): { text: string; fixed: CropReport[] } {
  const edits: Edit[] = [];
  const fixed: CropReport[] = [];
  for (const report of reports) {
    if (report.ok || !report.offsetComputed) continue;
    const values = report.offsetComputed;
    const wanted = values.every((v) => v === values[0]) ? [values[0]] : values;
    const proto = report.layer.proto;
    const param = proto.crop_param;
    const offsetLocs = param ? (metaOf(param)?.fieldLocs.get('offset') ?? []) : [];
    if (param && offsetLocs.length) {
      const tokens = offsetLocs.map((loc) => valueToken(text, loc.offset!));
      tokens.forEach((token, i) => {
        const value = wanted.length === 1 ? wanted[0] : wanted[i];
        // More values needed than written: the last written one carries the rest as extra fields.
        const extra =
          i === tokens.length - 1 && wanted.length > tokens.length
            ? wanted
                .slice(tokens.length)
                .map((v) => ` offset: ${v}`)
                .join('')
            : '';
        edits.push({ at: token.start, remove: token.end - token.start, insert: `${value ?? wanted[0]}${extra}` });
      });
    } else if (param) {
      const open = openingBrace(text, locOf(proto, 'crop_param')!.offset!);
      edits.push({ at: open, remove: 0, insert: wanted.map((v) => ` offset: ${v}`).join('') });
    } else {
      const type = valueToken(text, locOf(proto, 'type')!.offset!);
      edits.push({ at: type.end, remove: 0, insert: ` crop_param {${wanted.map((v) => ` offset: ${v}`).join('')} }` });
    }
    fixed.push(report);
  }
  edits.sort((x, y) => y.at - x.at);
  let out = text;
  for (const e of edits) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return { text: out, fixed };
}

/** The value token of `name: value` starting at the field name (or at the value itself, in a list). */
function valueToken(text: string, from: number): { start: number; end: number } {
  const field = /[A-Za-z_][A-Za-z0-9_]*\s*:?\s*/y;
  field.lastIndex = from;
  const afterName = field.exec(text) ? field.lastIndex : from;
  const value = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[-+]?[0-9A-Za-z_.]+/y;
  value.lastIndex = afterName;
  const m = value.exec(text);
  if (!m) throw new Error(`internal: no value token at offset ${from}`);
  return { start: afterName, end: afterName + m[0].length };
}

/** Just after the `{` (or `<`) that opens the message whose field name starts at `from`. */
function openingBrace(text: string, from: number): number {
  const open = /[A-Za-z_][A-Za-z0-9_]*\s*:?\s*[{<]/y;
  open.lastIndex = from;
  if (!open.exec(text)) throw new Error(`internal: no opening brace at offset ${from}`);
  return open.lastIndex;
}
