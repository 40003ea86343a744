// Where a .caffemodel can come from: a path (Node), its bytes (Uint8Array, ArrayBuffer or any typed array
// view), a fetch Response, or a URL (file: URLs are paths in Node; any other URL is fetched, as in a page).
// Paths and bytes are resolved at once, so compile() and createRuntimeNet() stay synchronous for them;
// only a Response or a URL to fetch gives a promise.
import { PLATFORM, pathOfURL } from '#platform';
import { fail } from '../diagnostics/diagnostic.js';

export type WeightSource = string | URL | Uint8Array | ArrayBuffer | ArrayBufferView | Response;

export interface ResolvedWeights {
  /** A path (Node) or the bytes. */
  source: string | Uint8Array;
  /** The name diagnostics use (a URL's href, a Response's url), if not the path itself. */
  file?: string;
}

/** The path or bytes of a weight source; a promise only when it must be fetched or read from a Response. */
export function resolveWeightSource(weights: WeightSource): ResolvedWeights | Promise<ResolvedWeights> {
  if (typeof weights === 'string' || weights instanceof Uint8Array) return { source: weights };
  if (weights instanceof ArrayBuffer) return { source: new Uint8Array(weights) };
  if (ArrayBuffer.isView(weights)) return { source: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) };
  if (weights instanceof URL) {
    if (weights.protocol === 'file:' && PLATFORM === 'node') return { source: pathOfURL(weights) };
    return fetchWeights(weights.href);
  }
  if (typeof Response !== 'undefined' && weights instanceof Response) return responseBytes(weights, weights.url || '<response>');
  return fail(`weights must be a .caffemodel path, URL, Response, Uint8Array or ArrayBuffer, not ${describe(weights)}`);
}

async function fetchWeights(href: string): Promise<ResolvedWeights> {
  let response: Response;
  try {
    response = await fetch(href);
  } catch (e) {
    return fail(`cannot fetch weights ${href}: ${(e as Error).message}`);
  }
  return responseBytes(response, href);
}

async function responseBytes(response: Response, file: string): Promise<ResolvedWeights> {
  if (!response.ok) fail(`cannot fetch weights ${file}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  if (response.bodyUsed) fail(`weights ${file}: the Response's body was already read`);
  return { source: new Uint8Array(await response.arrayBuffer()), file };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}
