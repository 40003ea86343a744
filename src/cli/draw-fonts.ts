// Fonts for `brewnet draw -o net.png`. resvg (WebAssembly) cannot look for fonts itself, so brewnet reads
// them: `--font FILE`, else the first family found of Liberation Sans (Debian's fonts-liberation; metric-
// compatible with Arial and Helvetica, whose widths Graphviz laid the boxes out with), Arial (macOS,
// Windows), DejaVu Sans (fonts-dejavu-core). DejaVu Sans is loaded too where present, as a fallback for
// glyphs the main font lacks (✓ ✗). A family is the regular and the bold file.
import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../diagnostics/diagnostic.js';

export interface FontSet {
  family: string;
  files: string[];
  buffers: Uint8Array[];
}

const CANDIDATES: { family: string; files: string[] }[] = [
  ...['liberation', 'liberation2'].map((dir) => ({
    family: 'Liberation Sans',
    files: [`/usr/share/fonts/truetype/${dir}/LiberationSans-Regular.ttf`, `/usr/share/fonts/truetype/${dir}/LiberationSans-Bold.ttf`],
  })),
  {
    family: 'Liberation Sans',
    files: ['/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', '/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf'],
  },
  { family: 'Arial', files: ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'] },
  { family: 'Arial', files: ['/Library/Fonts/Arial.ttf', '/Library/Fonts/Arial Bold.ttf'] },
  { family: 'Arial', files: ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'] },
  {
    family: 'DejaVu Sans',
    files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  },
  { family: 'DejaVu Sans', files: ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'] },
];

const FALLBACK = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'];

/** The fonts a PNG is drawn with: `--font` files (their family read from the file), else the system's. */
export function findFonts(given: readonly string[] = []): FontSet {
  let family: string;
  let files: string[];
  if (given.length) {
    for (const file of given) if (!existsSync(file)) fail(`--font ${file}: no such file`);
    const buffers = given.map((f) => readFileSync(f));
    const name = fontFamilyName(buffers[0]);
    if (!name) fail(`--font ${given[0]}: not a TrueType or OpenType font (no family name in it)`);
    family = name;
    files = [...given];
  } else {
    const found = CANDIDATES.find((c) => existsSync(c.files[0]));
    if (!found) {
      fail(
        "no font found to draw the PNG's text with",
        undefined,
        'install one (Debian: apt-get install fonts-liberation) or give a .ttf with --font FILE; SVG and DOT need no fonts',
      );
    }
    family = found.family;
    files = found.files.filter((f) => existsSync(f));
  }
  const fallback = FALLBACK.find((f) => existsSync(f));
  if (fallback && !files.includes(fallback)) files.push(fallback);
  return { family, files, buffers: files.map((f) => new Uint8Array(readFileSync(f))) };
}

/**
 * The family name (name ID 1) in a TrueType/OpenType font's `name` table, or undefined. Enough of the
 * format for that: the table directory, then the name records (UTF-16BE for platforms 0 and 3).
 */
export function fontFamilyName(font: Uint8Array): string | undefined {
  if (font.length < 12) return undefined;
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = view.getUint16(4);
  for (let i = 0; i < tables; i++) {
    const entry = 12 + 16 * i;
    if (entry + 16 > font.length) return undefined;
    const tag = String.fromCharCode(font[entry], font[entry + 1], font[entry + 2], font[entry + 3]);
    if (tag !== 'name') continue;
    const start = view.getUint32(entry + 8);
    if (start + 6 > font.length) return undefined;
    const count = view.getUint16(start + 2);
    const strings = start + view.getUint16(start + 4);
    let fallback: string | undefined;
    for (let r = 0; r < count; r++) {
      const rec = start + 6 + 12 * r;
      if (rec + 12 > font.length) return fallback;
      const platform = view.getUint16(rec);
      const nameId = view.getUint16(rec + 6);
      const length = view.getUint16(rec + 8);
      const offset = strings + view.getUint16(rec + 10);
      if (nameId !== 1 || offset + length > font.length) continue;
      const bytes = font.subarray(offset, offset + length);
      if (platform === 0 || platform === 3) {
        let s = '';
        for (let k = 0; k + 1 < bytes.length; k += 2) s += String.fromCharCode((bytes[k] << 8) | bytes[k + 1]);
        if (s) return s;
      } else if (platform === 1) fallback ??= String.fromCharCode(...bytes);
    }
    return fallback;
  }
  return undefined;
}
