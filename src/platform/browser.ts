// The browser's half of brewnet's platform module (see ./node.ts for why it exists). A page has no file
// system: a net is given as text and weights as bytes (Uint8Array, ArrayBuffer, a fetch Response or a URL,
// which compile() fetches), so the file functions answer "missing" or refuse with the reason. Threads are
// Web Workers started from the script's text (a Blob URL); WebAssembly memory can be shared with them only
// where the page is cross-origin isolated (COOP/COEP headers), otherwise native kernels run on one thread.
import type { FileKind, PlatformWorker, RandomAccessFile } from './types.js';

export type { FileKind, PlatformWorker, RandomAccessFile } from './types.js';

export const PLATFORM: 'node' | 'browser' = 'browser';

const NO_FILES = 'a web page has no file system: pass the text or the bytes (Uint8Array, ArrayBuffer, Response or URL) instead of a path';

export function pathKind(_path: string): FileKind {
  return 'missing';
}

export function readTextFile(path: string): string {
  throw new Error(`cannot read ${path}: ${NO_FILES}`);
}

export function openFile(_path: string): RandomAccessFile {
  return { error: NO_FILES };
}

export function pathOfURL(url: URL): string {
  throw new Error(`cannot read ${url.href} as a file: ${NO_FILES}`);
}

export function envVar(_name: string): string | undefined {
  return undefined;
}

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => {
    postMessage(m: unknown): void;
    terminate(): void;
    addEventListener(type: 'error', h: (e: { message?: string }) => void): void;
  };
  document?: unknown;
}
const g = globalThis as BrowserGlobals;

/** Threads for native kernels: the cores, where memory can be shared with workers (cross-origin isolation); else 1. */
/** navigator.deviceMemory (GiB, rounded down by the browser; Chromium only), else a guess of 4 GiB. */
export function memoryBytes(): number {
  return ((g.navigator as { deviceMemory?: number } | undefined)?.deviceMemory ?? 4) * 2 ** 30;
}

/** A plug-in's module URL, relative to the page. */
export function moduleURL(path: string): string {
  return new URL(path, (g as { location?: { href: string } }).location?.href).href;
}

export function hardwareThreads(): number {
  const shared = typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated === true && typeof g.Worker === 'function';
  return shared ? Math.max(1, g.navigator?.hardwareConcurrency ?? 1) : 1;
}

/** A page has no stderr: progress bars do not show. */
export function stderrStream(): { isTTY?: boolean; write(text: string): unknown } | undefined {
  return undefined;
}

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A page's main thread may not block in Atomics.wait; a worker may. */
export const CAN_BLOCK = typeof g.document === 'undefined';

export function startWorker(source: string): PlatformWorker {
  if (typeof g.Worker !== 'function') throw new Error('this browser context has no Web Workers');
  const prelude = 'const receive = (handler) => { self.onmessage = (e) => handler(e.data); };\n';
  const url = URL.createObjectURL(new Blob([prelude + source], { type: 'text/javascript' }));
  const worker = new g.Worker(url);
  return {
    postMessage: (message) => worker.postMessage(message),
    onError: (handler) => worker.addEventListener('error', (e) => handler(new Error(e.message ?? 'Web Worker error'))),
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
