// C-escaped string literals as protobuf's text format writes them. The escapes produce bytes, and the
// bytes of all adjacent pieces together are UTF-8 (so "\303\251", "\303" "\251" and "é" are the same
// string). Escapes that C++'s tokenizer rejects (\q, \x without a hex digit, a short \u) are errors.

const simpleEscapes: Record<string, number> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  '?': 0x3f,
};

const utf8 = new TextDecoder('utf-8', { fatal: false });
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export interface UnescapedString {
  bytes: number[];
  /** The first bad escape, with its offset in the quoted literal. */
  error?: { message: string; offset: number };
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Code point → UTF-8 bytes, lone surrogates included (as C++'s tokenizer writes them). */
function pushCodePoint(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** The bytes of a quoted literal including its quotes (an unterminated one has no closing quote). */
export function unescapeCString(quoted: string): UnescapedString {
  const quote = quoted[0];
  const end = quoted.length > 1 && quoted[quoted.length - 1] === quote ? quoted.length - 1 : quoted.length;
  const body = quoted.slice(1, end);
  const bytes: number[] = [];
  let error: UnescapedString['error'];
  const fail = (message: string, at: number) => (error ??= { message, offset: at + 1 });
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      pushCodePoint(bytes, cp);
      if (cp > 0xffff) i++;
      continue;
    }
    const start = i;
    const next = body[++i];
    if (next === undefined) break;
    if (next in simpleEscapes) bytes.push(simpleEscapes[next]);
    else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && body[i + 1] >= '0' && body[i + 1] <= '7') digits += body[++i];
      bytes.push(parseInt(digits, 8) & 0xff);
    } else if (next === 'x' || next === 'X') {
      let digits = '';
      while (digits.length < 2 && isHex(body[i + 1])) digits += body[++i];
      if (digits) bytes.push(parseInt(digits, 16));
      else fail('expected hex digits after \\x', start);
    } else if (next === 'u' || next === 'U') {
      const width = next === 'u' ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + width);
      if (digits.length < width || ![...digits].every(isHex)) {
        fail(`expected ${width} hex digits after \\${next}`, start);
        continue;
      }
      i += width;
      let cp = parseInt(digits, 16);
      if (cp > 0x10ffff) {
        fail('\\U escape beyond U+10FFFF', start);
        continue;
      }
      // A \u high surrogate followed by a \u low surrogate is one code point.
      const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(body.slice(i + 1));
      if (cp >= 0xd800 && cp < 0xdc00 && low) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00);
        i += 6;
      }
      pushCodePoint(bytes, cp);
    } else {
      fail(`invalid escape sequence \\${next}`, start);
    }
  }
  return { bytes, error };
}

/** UTF-8 bytes → text; `valid` is false if they are not UTF-8 (bad bytes become U+FFFD). */
export function decodeUtf8(bytes: number[]): { text: string; valid: boolean } {
  const array = Uint8Array.from(bytes);
  try {
    return { text: strictUtf8.decode(array), valid: true };
  } catch {
    return { text: utf8.decode(array), valid: false };
  }
}

/** Encodes a string the way protobuf's printers do: double quotes, C escapes, non-ASCII bytes as octal. */
export function encodeCString(text: string): string {
  let out = '"';
  for (const byte of encoder.encode(text)) {
    switch (byte) {
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x27:
        out += "\\'";
        break;
      case 0x5c:
        out += '\\\\';
        break;
      default:
        if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
        else out += String.fromCharCode(byte);
    }
  }
  return out + '"';
}
