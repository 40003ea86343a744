// The types both halves of the platform module (node.ts, browser.ts) share.

export type FileKind = 'file' | 'directory' | 'missing';

/** An open file read at positions, or why it could not be opened ('missing' when there is none). */
export type RandomAccessFile =
  | {
      readonly size: number;
      readonly directory: boolean;
      /** Reads up to `length` bytes at `position` into `target[offset…]`; the count read (0 at the end). */
      read(target: Uint8Array, offset: number, length: number, position: number): number;
      close(): void;
      readonly error?: undefined;
    }
  | { readonly error: string };

/** A worker thread (Node) or Web Worker (browser) running a script given as text. */
export interface PlatformWorker {
  postMessage(message: unknown): void;
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}
