// The one value type the runtime passes around: a dense float32 array in C (row-major) order with its
// shape, as Caffe's blobs and NumPy's default arrays lay data out.
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export function countOf(shape: readonly number[], start = 0, end = shape.length): number {
  let n = 1;
  for (let i = start; i < end; i++) n *= shape[i];
  return n;
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const n = countOf(shape);
  if (data && data.length !== n) throw new Error(`internal: tensor data has ${data.length} values for shape ${shape.join('×')}`);
  return { shape: [...shape], data: data ?? new Float32Array(n) };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function showDims(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}
