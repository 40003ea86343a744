// Node's half of brewnet's platform module: everything brewnet needs from its host that is not plain
// ECMAScript (files, the CPU count, byte order, threads). package.json's "imports" maps `#platform` to this
// file by default and to ./browser.ts under the "browser" condition (esbuild --platform=browser, Vite,
// webpack), so nothing below src/platform imports a `node:*` module and the library bundles for a page.
// Both halves export the same names with the same types (test/platform/platform.test.ts compares them).
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { availableParallelism, endianness, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileKind, PlatformWorker, RandomAccessFile } from './types.js';

export type { FileKind, PlatformWorker, RandomAccessFile } from './types.js';

export const PLATFORM: 'node' | 'browser' = 'node';

/** Whether `path` names a file, a directory, or nothing. */
export function pathKind(path: string): FileKind {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** A file's text, decoded as UTF-8 (bad bytes become U+FFFD, which the parser reports as binary). */
export function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  // Most nets are pure ASCII, where Latin-1 decoding gives the same text several times faster.
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Opens a file for reads at any position (big .caffemodel files are read in windows, never whole). */
export function openFile(path: string): RandomAccessFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : (e as Error).message };
  }
  const stat = fstatSync(fd);
  return {
    size: stat.size,
    directory: stat.isDirectory(),
    read: (target, offset, length, position) => readSync(fd, target, offset, length, position),
    close: () => closeSync(fd),
  };
}

/** The path of a file: URL (a compiled module's weights beside it). */
export function pathOfURL(url: URL): string {
  return fileURLToPath(url);
}

/** An environment variable, if the host has an environment. */
export function envVar(name: string): string | undefined {
  return process.env[name];
}

/** Threads that may run native kernels at once (worker threads share WebAssembly memory here). */
/** The machine's memory in bytes (plans that could not fit are refused before allocating). */
export function memoryBytes(): number {
  return totalmem();
}

/** The URL a module file is imported from (a layer plug-in given as a path). */
export function moduleURL(path: string): string {
  return pathToFileURL(path).href;
}

export function hardwareThreads(): number {
  return availableParallelism();
}

/** The process's stderr (progress bars), where there is one. */
export function stderrStream(): { isTTY?: boolean; write(text: string): unknown } | undefined {
  return process.stderr;
}

export const LITTLE_ENDIAN = endianness() === 'LE';

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not). */
export const CAN_BLOCK: boolean = true;

/**
 * Starts a worker running `source`, a script in which `receive(handler)` calls `handler` with each
 * message posted to it. It does not keep the process alive.
 */
export function startWorker(source: string): PlatformWorker {
  const prelude = "const receive = (handler) => require('node:worker_threads').parentPort.on('message', handler);\n";
  const worker = new Worker(prelude + source, { eval: true });
  worker.unref();
  return {
    postMessage: (message) => worker.postMessage(message),
    onError: (handler) => void worker.on('error', handler),
    terminate: () => void worker.terminate(),
  };
}
