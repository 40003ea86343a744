// Decoding of C-escaped string literals as protobuf's text format writes them: the escapes produce bytes,
// and the bytes are UTF-8 (so "\303\251" and "é" are the same string).

const simpleEscapes: Record<string, number> = {
  n: 0x0a, t: 0x09, r: 0x0d, a: 0x07, b: 0x08, f: 0x0c, v: 0x0b,
  '\\': 0x5c, "'": 0x27, '"': 0x22, '?': 0x3f,
};

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** Decodes a quoted literal including its quotes (an unterminated one has no closing quote). */
export function decodeCString(quoted: string): string {
  const quote = quoted[0];
  const end = quoted.length > 1 && quoted[quoted.length - 1] === quote ? quoted.length - 1 : quoted.length;
  const body = quoted.slice(1, end);
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const code = body.charCodeAt(i);
      if (code < 0x80) bytes.push(code);
      else {
        // Copy a whole non-ASCII code point (surrogate pairs included) as UTF-8.
        const cp = body.codePointAt(i)!;
        const text = String.fromCodePoint(cp);
        for (const b of encoder.encode(text)) bytes.push(b);
        i += text.length - 1;
      }
      continue;
    }
    const next = body[++i];
    if (next === undefined) break;
    if (next in simpleEscapes) bytes.push(simpleEscapes[next]);
    else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && body[i + 1] >= '0' && body[i + 1] <= '7') digits += body[++i];
      bytes.push(parseInt(digits, 8) & 0xff);
    } else if (next === 'x' || next === 'X') {
      let digits = '';
      while (digits.length < 2 && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) digits += body[++i];
      bytes.push(digits ? parseInt(digits, 16) : 0x78);
    } else if (next === 'u' || next === 'U') {
      const width = next === 'u' ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + width);
      i += digits.length;
      for (const b of encoder.encode(String.fromCodePoint(parseInt(digits, 16) || 0))) bytes.push(b);
    } else {
      // Unknown escape: keep the character, as protobuf's tokenizer does after warning.
      for (const b of encoder.encode(next)) bytes.push(b);
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/** Encodes a string the way protobuf's printers do: double quotes, C escapes, non-ASCII bytes as octal. */
export function encodeCString(text: string): string {
  let out = '"';
  for (const byte of encoder.encode(text)) {
    switch (byte) {
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x22: out += '\\"'; break;
      case 0x27: out += "\\'"; break;
      case 0x5c: out += '\\\\'; break;
      default:
        if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
        else out += String.fromCharCode(byte);
    }
  }
  return out + '"';
}
