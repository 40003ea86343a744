// SVG → PNG with resvg compiled to WebAssembly (@resvg/resvg-wasm: no native binary, runs in Node and in
// a browser). WebAssembly cannot read the system's fonts, so the caller hands over the font files' bytes
// and the module's .wasm (a path read in Node, a URL or bytes in a page); without a font resvg would draw
// every box and no text. The picture's text asks for Helvetica (the metrics Graphviz lays out with), so
// the first font given stands in for it and for every generic family.
import { initWasm, Resvg, type InitInput } from '@resvg/resvg-wasm';

export interface PngOptions {
  /** The bytes of resvg's `index_bg.wasm` (or a URL / Response for it in a browser). */
  wasm: InitInput | Promise<InitInput>;
  /** TrueType/OpenType font files; the first is used for all text. At least one. */
  fonts: Uint8Array[];
  /** The family name of fonts[0] (e.g. "Liberation Sans"). */
  fontFamily: string;
  /** Pixels per SVG point (default 2: sharp on a screen, readable when zoomed). */
  scale?: number;
}

let ready: Promise<void> | undefined;

export async function svgToPng(svg: string, options: PngOptions): Promise<Uint8Array> {
  if (!options.fonts.length) throw new Error('internal: svgToPng needs at least one font');
  ready ??= initWasm(options.wasm);
  await ready;
  const family = options.fontFamily;
  // Graphviz writes font-family="Helvetica,sans-Serif"; point every name it may use at the font given.
  const text = svg.replace(/font-family="[^"]*"/g, `font-family="${family.replace(/"/g, '')}"`);
  const resvg = new Resvg(text, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: {
      fontBuffers: options.fonts,
      defaultFontFamily: family,
      sansSerifFamily: family,
      serifFamily: family,
      monospaceFamily: family,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
