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
  /** The most pixels the image may have (default 50M, 200 MB of RGBA); a bigger picture is drawn smaller. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;

let ready: Promise<void> | undefined;

export async function svgToPng(svg: string, options: PngOptions): Promise<Uint8Array> {
  if (!options.fonts.length) throw new Error('internal: svgToPng needs at least one font');
  ready ??= initWasm(options.wasm).catch((e: unknown) => {
    ready = undefined; // let a later call try again with other bytes
    throw e;
  });
  await ready;
  const family = options.fontFamily;
  // Graphviz writes font-family="Helvetica,sans-Serif"; point every name it may use at the font given.
  const text = svg.replace(/font-family="[^"]*"/g, `font-family="${family.replace(/"/g, '')}"`);
  const size = new Resvg(text);
  const points = size.width * size.height;
  size.free();
  const scale = Math.min(options.scale ?? 2, Math.sqrt((options.maxPixels ?? DEFAULT_MAX_PIXELS) / Math.max(points, 1)));
  const resvg = new Resvg(text, {
    fitTo: { mode: 'zoom', value: scale },
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
