// What a net asks of memory and of the kernels' indexing, checked before anything is allocated or
// generated: a layer that makes an empty blob (a 3×3 kernel on a 2×2 input), a blob or parameter with an axis
// longer than kernels index exactly, one array larger than a typed array or a WebAssembly memory holds, or
// blobs and parameters together past the machine's memory, each refused at the layer's line with the
// numbers, instead of an error deep in kernel set-up or an out-of-memory kill minutes later.
import { memoryBytes } from '#platform';
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';

/** gpu.js kernels index a flat output with float thread ids; 2^23 per axis keeps every index exact. */
const LONGEST_AXIS = 2 ** 23;
/** One Float32Array, and one 32-bit WebAssembly memory, hold less than 4 GiB: 2^29 floats leaves room. */
const LARGEST_ARRAY = 2 ** 29;

const bytes = (n: number) => `${(n / 2 ** 30).toFixed(n < 2 ** 30 ? 3 : 1)} GiB`;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const dims = (shape: readonly number[]) => shape.join('×');

function refuse(layer: Layer, message: string, hint?: string): never {
  fail(`layer "${layer.name}" (${layer.type}): ${message}`, layer.loc, hint);
}

/** Throws a located diagnostic for the first layer whose blobs or parameters cannot be run. */
export function checkPlanBudget(net: Net, budget = Math.min(memoryBytes() / 2, 16 * 2 ** 30)): void {
  let total = 0;
  for (const layer of net.layers) {
    const nan = nanField(layer.proto as unknown as Record<string, unknown>, '');
    if (nan)
      refuse(
        layer,
        `${nan} is NaN; kernels are specialised to their numbers and a NaN constant has no meaning in them`,
        'give it a number',
      );
    for (const top of layer.tops) {
      if (layer.bottoms.some((b) => b.id === top.id)) continue; // in place: no new memory
      const n = count(top.shape);
      if (n === 0) {
        const from = layer.bottoms.length ? ` from ${layer.bottoms.map((b) => `${b.name} ${dims(b.shape)}`).join(', ')}` : '';
        refuse(
          layer,
          `makes ${top.name} ${dims(top.shape)}${from}, which has no elements; brewnet does not run empty blobs`,
          layer.bottoms.length
            ? "give a larger input (--input, or the input's shape), or a smaller kernel or stride"
            : 'give the input a size of at least 1 on every axis',
        );
      }
      checkArray(layer, `${top.name} ${dims(top.shape)}`, top.shape);
      total += n * 4;
    }
    for (const [i, shape] of layer.paramShapes.entries()) {
      checkArray(layer, `its parameter ${i} (${dims(shape)})`, shape);
      total += count(shape) * 4;
    }
    if (total > budget) {
      refuse(
        layer,
        `the blobs and parameters up to here need ${bytes(total)} (as float32), more than the ${bytes(budget)} brewnet allows itself on this machine`,
        'run a smaller batch or input size (--input)',
      );
    }
  }
}

function checkArray(layer: Layer, what: string, shape: readonly number[]): void {
  const long = shape.findIndex((d) => d > LONGEST_AXIS);
  if (long >= 0)
    refuse(
      layer,
      `${what} has axis ${long} of ${shape[long].toLocaleString('en-US')}, longer than the ${LONGEST_AXIS.toLocaleString('en-US')} kernels index exactly`,
    );
  const n = count(shape);
  if (n > LARGEST_ARRAY)
    refuse(
      layer,
      `${what} has ${n.toLocaleString('en-US')} elements (${bytes(n * 4)}), more than one array holds (${LARGEST_ARRAY.toLocaleString('en-US')})`,
      'run a smaller batch or input size (--input)',
    );
}

/** The path of the first NaN number among a layer's fields (its parameters' settings, not weights). */
function nanField(msg: Record<string, unknown>, path: string): string | undefined {
  for (const [key, value] of Object.entries(msg)) {
    if (key === 'blobs') continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'number' && Number.isNaN(v)) return `${path}${key}`;
      if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
        const inner = nanField(v as Record<string, unknown>, `${path}${key}.`);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}
