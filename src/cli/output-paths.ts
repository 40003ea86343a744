// Writing what a command produces: a file where a file is meant (`-o net.mjs`), a folder where a folder is
// meant (`run --out DIR`, `convert script.py -o DIR`). The file system's refusals (a folder where a file
// should go, a file where a folder should go, no permission, a read-only or pseudo file system) are the
// user's to fix, so each becomes a diagnostic naming the path and the reason instead of an internal error.
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';

/** What an errno means for a path the user named, in words; undefined for codes that are not theirs. */
function reason(e: unknown, path: string, want: 'file' | 'folder'): { why: string; hint?: string } | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EISDIR':
      return { why: 'it is a folder', hint: want === 'file' ? 'name a file (inside that folder, if you like)' : undefined };
    case 'EEXIST':
    case 'ENOTDIR':
      return want === 'folder' && isFile(path)
        ? { why: 'it is a file, not a folder', hint: 'name a folder (it is created if missing)' }
        : { why: 'a part of the path is a file, not a folder' };
    case 'ENOENT':
      return isFolder(dirname(path))
        ? { why: `the folder ${dirname(path)} does not take new files (a special file system?)` }
        : { why: `the folder ${dirname(path)} does not exist` };
    case 'EACCES':
    case 'EPERM':
      return { why: 'permission denied' };
    case 'EROFS':
      return { why: 'the file system is read-only' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: 'no space left on the device' };
    case 'ENAMETOOLONG':
      return { why: 'the name is too long' };
    case 'EINVAL':
    case 'EBUSY':
    case 'ETXTBSY':
    case 'ELOOP':
    case 'EFBIG':
    case 'EIO':
      return { why: (e as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') };
    default:
      return undefined;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Refuses, before any work, a file path that names an existing folder. */
export function checkOutputFile(path: string, what: string): void {
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    return; // missing (or unreadable): writing says why, if it fails
  }
  if (folder) fail(`${what}: cannot write ${path}: it is a folder`, undefined, 'name a file (inside that folder, if you like)');
}

/** Writes `data` to the file `path`; `what` names it in the error ("-o", "--out", "the module"). */
export function writeOutputFile(path: string, data: string | Uint8Array | readonly Uint8Array[], what: string): void {
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(path, data);
    else writeChunks(path, data);
  } catch (e) {
    const r = reason(e, path, 'file');
    if (!r) throw e;
    fail(`${what}: cannot write ${path}: ${r.why}`, undefined, r.hint);
  }
}

/** Chunks one after another into one file, none copied (a weights file of hundreds of MB). */
function writeChunks(path: string, chunks: readonly Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const c of chunks) for (let at = 0; at < c.length;) at += writeSync(fd, c, at, c.length - at);
  } finally {
    closeSync(fd);
  }
}

/** Makes sure the folder `path` exists (creating it and its parents), or says why it cannot. */
export function makeOutputFolder(path: string, what: string): void {
  // One level at a time rather than mkdirSync's `recursive`, which on a folder that exists but refuses new
  // entries with ENOENT (/proc) retries the parent and the child forever.
  const missing: string[] = [];
  let at = resolve(path);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!isFolder(at))
    fail(
      `${what}: cannot create the folder ${path}: ${at === resolve(path) ? 'it is a file, not a folder' : `${at} is a file, not a folder`}`,
      undefined,
      'name a folder (it is created if missing)',
    );
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && isFolder(dir)) continue; // made meanwhile
      const r = reason(e, dir, 'folder');
      if (!r) throw e;
      fail(`${what}: cannot create the folder ${path}: ${r.why}`, undefined, r.hint);
    }
  }
}
