// Files a script writes (`with open('train.prototxt', 'w') as f: f.write(…)`) are captured in memory as
// the script's output; nothing touches the disk here. A path must stay inside the output folder: no
// absolute paths, no `..` that climbs out, no drive letters. The total written is bounded.
import { limitError, sandboxError, typeError, valueError } from './errors.js';
import { LIMIT_FLAGS } from './limits.js';
import { HostObject, PyBuiltin, typeName, type PyValue } from './values.js';

/** A relative path inside the output folder, with `.` and inner `..` resolved; undefined if it leaves. */
export function normaliseOutputPath(path: string): string | undefined {
  if (path === '' || path.includes('\0')) return undefined;
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path) || path.startsWith('~')) return undefined;
  const parts: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length ? parts.join('/') : undefined;
}

export class OutputFiles {
  /** Captured files by normalised path, in the order first opened. */
  readonly files = new Map<string, string>();
  private written = 0;

  constructor(private readonly maxOutput: number) {}

  open(path: string, mode: string): OutputFile {
    const normalised = normaliseOutputPath(path);
    if (!normalised) {
      throw sandboxError(
        `open(${JSON.stringify(path)}, ${JSON.stringify(mode)}): an output file must stay inside the output folder`,
        "write a relative path such as 'train.prototxt'",
      );
    }
    if (/[r+]/.test(mode) && !/[wax]/.test(mode.replace('+', ''))) throw valueError(`invalid mode: '${mode}'`);
    if (mode.includes('x') && this.files.has(normalised)) throw valueError(`[Errno 17] File exists: '${path}'`);
    if (!mode.includes('a') || !this.files.has(normalised)) this.files.set(normalised, '');
    return new OutputFile(this, normalised);
  }

  append(path: string, text: string): void {
    this.written += text.length;
    if (this.written > this.maxOutput) {
      throw limitError(
        'MemoryError',
        `the script wrote more than ${this.maxOutput.toLocaleString('en-US')} characters of output`,
        `raise the limit with ${LIMIT_FLAGS.maxOutput}`,
      );
    }
    this.files.set(path, (this.files.get(path) ?? '') + text);
  }
}

/** What `open(path, 'w')` returns: write, writelines, close, and the context-manager protocol. */
export class OutputFile extends HostObject {
  readonly typeName = 'TextIOWrapper';
  private closed = false;

  constructor(
    private readonly output: OutputFiles,
    readonly path: string,
  ) {
    super();
  }

  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'write':
        return new PyBuiltin('write', (args) => this.write(args[0]));
      case 'writelines':
        return new PyBuiltin('writelines', (args, _kw, rt) => {
          for (const line of rt.iterate(args[0])) this.write(line);
          return null;
        });
      case 'close':
      case '__exit__':
        return new PyBuiltin(name, () => {
          this.closed = true;
          return name === '__exit__' ? false : null;
        });
      case 'flush':
        return new PyBuiltin('flush', () => null);
      case '__enter__':
        return new PyBuiltin('__enter__', () => this);
      case 'name':
        return this.path;
      case 'closed':
        return this.closed;
      default:
        return undefined;
    }
  }

  override attrNames(): string[] {
    return ['write', 'writelines', 'close', 'flush', 'name', 'closed'];
  }

  private write(text: PyValue): PyValue {
    if (this.closed) throw valueError('I/O operation on closed file.');
    if (typeof text !== 'string') throw typeError(`write() argument must be str, not ${typeName(text)}`, 'write str(net) to save a net');
    this.output.append(this.path, text);
    return BigInt(text.length);
  }

  override repr(): string {
    return `<_io.TextIOWrapper name='${this.path}' mode='w'>`;
  }
}
