// Plans a net cannot run are refused before anything is allocated, at the layer's line, with the numbers:
// an empty blob (kernel 3 on 2×2, which shapes accepts), an array past what one typed array holds (batch
// 100,000 on LeNet), an axis past what kernels index exactly, a NaN setting; each was an internal error, an
// out-of-memory kill or minutes of work before.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { repoRoot } from '../helpers/corpus.js';

const input = (dims: number[]) =>
  `layer { name: "data" type: "Input" top: "data" input_param { shape { ${dims.map((d) => `dim: ${d}`).join(' ')} } } }\n`;

function refusal(text: string, inputs?: Record<string, number[]>): string {
  try {
    buildPlan(loadNet(text, { file: 'net.prototxt', inputs }));
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.location ? `${d.location.line}: ` : ''}${d.message}`).join('\n');
    throw e;
  }
  return 'built';
}

describe('plan budget', () => {
  it('refuses a layer that makes an empty blob, at its line', () => {
    const conv = 'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 3 } }\n';
    expect(refusal(input([1, 1, 2, 2]) + conv)).toBe(
      '2: layer "c" (Convolution): makes c 1×2×0×0 from data 1×1×2×2, which has no elements; brewnet does not run empty blobs',
    );
    expect(refusal(input([0, 1, 4, 4]) + conv)).toMatch(/^1: layer "data" \(Input\): makes data 0×1×4×4, which has no elements/);
    expect(refusal(input([1, 1, 4, 4]) + conv)).toBe('built');
  });

  it('refuses arrays too large to hold or index, with their size', () => {
    const lenet = `${repoRoot}/examples/lenet-v1.prototxt`;
    try {
      buildPlan(loadNet(lenet, { inputs: { data: [100_000, 1, 28, 28] } }));
      expect.unreachable();
    } catch (e) {
      expect((e as DiagnosticError).diagnostics[0].message).toBe(
        'layer "conv1" (Convolution): conv1 100000×20×24×24 has 1,152,000,000 elements (4.3 GiB), more than one array holds (536,870,912)',
      );
    }
    expect(refusal(input([1, 10_000_000]) + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n')).toMatch(
      /^1: layer "data" \(Input\): data 1×10000000 has axis 1 of 10,000,000, longer than the 8,388,608 kernels index exactly/,
    );
  });

  it('refuses a NaN setting at its layer', () => {
    expect(
      refusal(input([1, 2, 3, 3]) + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" relu_param { negative_slope: nan } }\n'),
    ).toMatch(/^2: layer "r" \(ReLU\): relu_param.negative_slope is NaN/);
  });
});
