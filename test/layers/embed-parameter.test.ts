// InnerProduct, Embed and Parameter: layers defined by their weight blobs (docs/caffe-semantics.md#innerproduct, #tile-reduction-embed-and-im2col, #parameter-blobs).
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

describe('InnerProduct', () => {
  it('flattens from axis 1: AlexNet fc6 on pool5 (256, 6, 6)', () => {
    // K = 256·6·6 = 9216; weights (4096, 9216); macs M·K·N = 64·9216·4096
    const r = infer({ type: 'InnerProduct', param: { num_output: 4096 }, bottoms: [[64, 256, 6, 6]], topCount: 1 });
    expect(r.tops).toEqual([[64, 4096]]);
    expect(r.params).toEqual([[4096, 9216], [4096]]);
    expect(r.macs).toBe(64 * 9216 * 4096);
  });

  it('stores (K, num_output) with transpose, and drops the bias without bias_term', () => {
    expect(infer({ type: 'InnerProduct', param: { num_output: 10, transpose: true }, bottoms: [[2, 3, 4]], topCount: 1 }).params).toEqual([
      [12, 10],
      [10],
    ]);
    expect(infer({ type: 'InnerProduct', param: { num_output: 10, bias_term: false }, bottoms: [[2, 3, 4]], topCount: 1 }).params).toEqual([
      [10, 12],
    ]);
  });

  it('keeps the axes before `axis`', () => {
    // axis 2: K = 4·5 = 20
    const r = infer({ type: 'InnerProduct', param: { num_output: 10, axis: 2 }, bottoms: [[2, 3, 4, 5]], topCount: 1 });
    expect(r.tops).toEqual([[2, 3, 10]]);
    expect(r.params).toEqual([[10, 20], [10]]);
    expect(tops({ type: 'InnerProduct', param: { num_output: 7, axis: -1 }, bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 3, 7]]);
    expect(failure({ type: 'InnerProduct', param: { num_output: 7, axis: 3 }, bottoms: [[2, 3, 4]], topCount: 1 }).message).toContain(
      'axis 3 out of range for 3-D blob',
    );
  });

  it('does not check num_output > 0, like Caffe', () => {
    expect(tops({ type: 'InnerProduct', bottoms: [[2, 3]], topCount: 1 })).toEqual([[2, 0]]);
  });
});

describe('Embed', () => {
  it('appends num_output; weights (input_dim, num_output)', () => {
    const r = infer({ type: 'Embed', param: { num_output: 32, input_dim: 1000 }, bottoms: [[4, 7]], topCount: 1 });
    expect(r.tops).toEqual([[4, 7, 32]]);
    expect(r.params).toEqual([[1000, 32], [32]]);
    expect(r.macs).toBe(0);
    expect(
      infer({ type: 'Embed', param: { num_output: 32, input_dim: 1000, bias_term: false }, bottoms: [[4]], topCount: 1 }).params,
    ).toEqual([[1000, 32]]);
  });

  it('needs positive num_output and input_dim', () => {
    expect(failure({ type: 'Embed', name: 'emb', param: { input_dim: 10 }, bottoms: [[4]], topCount: 1 }).message).toBe(
      'layer "emb" (Embed): EmbedLayer num_output must be positive',
    );
    expect(failure({ type: 'Embed', param: { num_output: 5 }, bottoms: [[4]], topCount: 1 }).message).toContain(
      'EmbedLayer input_dim must be positive',
    );
  });
});

describe('Parameter', () => {
  it('exposes a blob of parameter_param.shape as its top', () => {
    expect(infer({ type: 'Parameter', param: { shape: { dim: [3, 4] } }, bottoms: [], topCount: 1 })).toEqual({
      tops: [[3, 4]],
      params: [[3, 4]],
      macs: 0,
    });
    expect(infer({ type: 'Parameter', bottoms: [], topCount: 1 }).tops).toEqual([[]]);
    expect(failure({ type: 'Parameter', param: { shape: { dim: [3, -4] } }, bottoms: [], topCount: 1 }).message).toContain(
      'parameter shape would be 3×-4: dimension 1 is -4, and blob dimensions must be >= 0',
    );
  });
});
