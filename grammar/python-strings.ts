// Python string literals: prefixes, the four quotings, escape sequences, and f-strings cut into literal
// text and `{expression!conversion:spec}` fields (the expressions are parsed by the parser itself).

export interface RawField {
  /** The expression's source text and its offset inside the token image. */
  text: string;
  offset: number;
  conversion?: 'r' | 's' | 'a';
  spec?: RawPart[];
}
export type RawPart = string | RawField;

export class StringLiteralError extends Error {
  constructor(
    message: string,
    /** Offset inside the token image. */
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface DecodedString {
  bytes: boolean;
  /** A plain string's value, or an f-string's parts. */
  parts: RawPart[];
  formatted: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function decodeStringLiteral(image: string): DecodedString {
  const prefixMatch = /^[rRbBuUfF]*/.exec(image)!;
  const prefix = prefixMatch[0].toLowerCase();
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  const formatted = prefix.includes('f');
  const rest = image.slice(prefix.length);
  const quote = rest.startsWith("'''") || rest.startsWith('"""') ? rest.slice(0, 3) : rest[0];
  const bodyStart = prefix.length + quote.length;
  const body = image.slice(bodyStart, image.length - quote.length);
  if (!formatted) return { bytes, formatted, parts: [decodeEscapes(body, raw, bodyStart, bytes)] };
  return { bytes, formatted, parts: splitFString(body, raw, bodyStart) };
}

function decodeEscapes(body: string, raw: boolean, base: number, bytes: boolean): string {
  if (raw) return body.replace(/\r\n?/g, '\n');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\r') {
      out += '\n';
      if (body[i + 1] === '\n') i++;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) {
      out += '\\';
      continue;
    }
    if (next === '\n' || next === '\r') {
      // A backslash before a line break joins the lines.
      i += next === '\r' && body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
      continue;
    }
    if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += m.length;
      continue;
    }
    const hexLength = next === 'x' ? 2 : !bytes && next === 'u' ? 4 : !bytes && next === 'U' ? 8 : 0;
    if (hexLength) {
      const digits = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) {
        throw new StringLiteralError(`(unicode error) truncated \\${next}${'X'.repeat(hexLength)} escape`, base + i);
      }
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) throw new StringLiteralError(`(unicode error) illegal Unicode character`, base + i);
      out += String.fromCodePoint(code);
      i += 1 + hexLength;
      continue;
    }
    if (next === 'N' && !bytes) throw new StringLiteralError('\\N{…} escapes are not supported; write the character itself', base + i);
    // Unknown escapes keep their backslash (Python warns, but accepts them).
    out += '\\';
  }
  return out;
}

/** Cuts an f-string body into literal text and replacement fields; `{{` and `}}` are literal braces. */
function splitFString(body: string, raw: boolean, base: number): RawPart[] {
  const parts: RawPart[] = [];
  let literal = '';
  let literalStart = 0;
  const flush = () => {
    if (literal) parts.push(decodeEscapes(literal, raw, base + literalStart, false));
    literal = '';
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '{' && body[i + 1] === '{') {
      literal += '{';
      i += 2;
      continue;
    }
    if (c === '}' && body[i + 1] === '}') {
      literal += '}';
      i += 2;
      continue;
    }
    if (c === '}') throw new StringLiteralError("f-string: single '}' is not allowed", base + i);
    if (c !== '{') {
      if (!literal) literalStart = i;
      literal += c;
      i++;
      continue;
    }
    flush();
    const { field, end } = readField(body, i, raw, base);
    parts.push(field);
    i = end;
  }
  flush();
  return parts;
}

function readField(body: string, open: number, raw: boolean, base: number): { field: RawField; end: number } {
  let depth = 0;
  let quote: string | undefined;
  let i = open + 1;
  let exprEnd = -1;
  for (; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && (c === '}' || c === ':' || (c === '!' && body[i + 1] !== '='))) {
      exprEnd = i;
      break;
    }
  }
  if (exprEnd < 0) throw new StringLiteralError("f-string: expecting '}'", base + open);
  const text = body.slice(open + 1, exprEnd);
  if (text.trim() === '') throw new StringLiteralError('f-string: empty expression not allowed', base + open);
  const field: RawField = { text, offset: base + open + 1 };
  i = exprEnd;
  if (body[i] === '!') {
    const conversion = body[i + 1];
    if (conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
      throw new StringLiteralError("f-string: invalid conversion character: expected 's', 'r', or 'a'", base + i);
    }
    field.conversion = conversion;
    i += 2;
  }
  if (body[i] === ':') {
    // The spec runs to the matching '}' and may itself hold fields: f'{x:{width}}'.
    let depthSpec = 0;
    let j = i + 1;
    for (; j < body.length; j++) {
      if (body[j] === '{') depthSpec++;
      else if (body[j] === '}') {
        if (depthSpec === 0) break;
        depthSpec--;
      }
    }
    if (j >= body.length) throw new StringLiteralError("f-string: expecting '}'", base + open);
    field.spec = splitFString(body.slice(i + 1, j), raw, base + i + 1);
    i = j;
  }
  if (body[i] !== '}') throw new StringLiteralError("f-string: expecting '}'", base + open);
  return { field, end: i + 1 };
}
