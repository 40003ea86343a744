// Why: one WebAssembly.Memory for the phase-GEMM kernels of an executor (Convolution and Deconvolution, most
// of a net's bytes) instead of one each. A kernel's memory held its scratch — the input copy, the
// zero-bordered grid, the output planes, the result — for the whole life of the executor, so a net's kernels
// together held several times its activations: FCN-8s at 500² has ~500 MB of scratch in conv1_2 alone and
// ~1.8 GB over its Convolutions. Here each kernel keeps a region of its own for what lasts (its tables and
// re-laid weights), and all of them share one scratch region, sized for the largest: a forward pass runs one
// kernel at a time, and each call copies its result out before the next kernel runs.
//
// The memory is made once, at its first use, from the reservations made before it (the executor reserves for
// every native step of the pass before running any); its size is then fixed (the kernels' modules import it
// with its exact size). A reservation after that, or one that would take it past MAX_BYTES, gets none: that
// kernel keeps a memory of its own. A kernel whose grid border must read as zeros re-zeroes it when another
// kernel used the scratch since its own last call (`scratchTaken`).
//
// What a kernel has copied into its memory need not stay in JavaScript too: releaseArray frees an array's
// bytes and keeps its identity, which is all a kernel checks before it re-lays its weights.

/** Most bytes of one arena: the kernels' addresses are i32 constants of their code, below 2 GiB. */
const MAX_BYTES = 2 ** 31 - 2 ** 16;

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/** Where a kernel's regions lie in the arena's memory, once it exists. */
export interface ArenaPlace {
  memory: WebAssembly.Memory;
  /** Byte offset of the kernel's own region, and of the shared scratch region. */
  own: number;
  scratch: number;
  /** The memory's size in 64 KiB pages (its modules import exactly this). */
  pages: number;
  shared: boolean;
}

/** A kernel's reservation. */
export interface ArenaSlot {
  /** Makes the arena's memory on the first call (of any slot), and says where this slot's regions are. */
  place(): ArenaPlace;
  /** Takes the scratch region for a call: true when another kernel used it since this slot's last call. */
  scratchTaken(): boolean;
}

export class KernelArena {
  private readonly slots: { own: number; scratch: number; at: number }[] = [];
  private ownEnd = 0;
  private scratchBytes = 0;
  private made: { memory: WebAssembly.Memory; scratch: number; pages: number } | undefined;
  private scratchUser = -1;

  /** `shared`: a SharedArrayBuffer memory, which the pool's worker threads run the kernels' modules on too. */
  constructor(readonly shared: boolean) {}

  /** The memory's bytes (0 before it is made: tests, `--time`). */
  get bytes(): number {
    return this.made ? this.made.pages * 65536 : 0;
  }

  /** Reserves `own` bytes for a kernel alone and `scratch` bytes of the shared region; undefined: no room (or too late). */
  reserve(own: number, scratch: number): ArenaSlot | undefined {
    if (this.made) return undefined;
    const at = this.ownEnd;
    const ownEnd = align(at + own, 64);
    const scratchBytes = Math.max(this.scratchBytes, scratch);
    if (align(ownEnd, 65536) + scratchBytes > MAX_BYTES) return undefined;
    this.ownEnd = ownEnd;
    this.scratchBytes = scratchBytes;
    const id = this.slots.push({ own, scratch, at }) - 1;
    return {
      place: () => {
        const made = this.make();
        return { memory: made.memory, own: at, scratch: made.scratch, pages: made.pages, shared: this.shared };
      },
      scratchTaken: () => {
        const taken = this.scratchUser !== id;
        this.scratchUser = id;
        return taken;
      },
    };
  }

  private make() {
    if (!this.made) {
      // The scratch starts on a page of its own: its bytes are the ones reused call after call.
      const scratch = align(this.ownEnd, 65536);
      const pages = Math.max(1, Math.ceil((scratch + this.scratchBytes) / 65536));
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: this.shared });
      this.made = { memory, scratch, pages };
    }
    return this.made;
  }
}

/**
 * Frees a Float32Array's bytes while it keeps its identity (kernels compare the arrays they are given with
 * the ones they copied, and re-lay only a new one): its buffer is transferred away and dropped. Only an array
 * that is its whole buffer; where structuredClone is missing, nothing is freed.
 */
export function releaseArray(a: Float32Array): void {
  const buffer = a.buffer;
  if (a.length === 0 || a.byteOffset !== 0 || a.byteLength !== buffer.byteLength || !(buffer instanceof ArrayBuffer)) return;
  if (typeof structuredClone !== 'function') return;
  structuredClone(buffer, { transfer: [buffer] });
}
