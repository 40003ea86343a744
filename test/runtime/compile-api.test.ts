// compile() and the executor around the kernels: which backend ran, refusing a backend that cannot run,
// layers that cannot run yet, input checks, and results that stay valid across forward passes.
import { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/runtime/compile.js';
import { maxRelativeError, randomTensor } from '../helpers/random-params.js';

const NET = `
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 dim: 4 dim: 4 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 3 kernel_size: 3 weight_filler { type: "xavier" } } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
`;

async function messages(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.location ? `${d.location.line}: ` : ''}${d.message}`).join('\n');
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('compile()', () => {
  it('reports the backend that ran and fills parameters from the fillers by seed', async () => {
    const net = await compile(loadNet(NET), { seed: 1, backend: 'webasm' });
    const out = await net.forward({ data: randomTensor([1, 2, 4, 4], 1) });
    expect(net.backend).toBe('webasm');
    expect(Object.keys(out)).toEqual(['conv']);
    expect(out.conv.shape).toEqual([1, 3, 2, 2]);
  });

  it('keeps earlier results when it runs again', async () => {
    const net = await compile(loadNet(NET), { seed: 1, backend: 'webasm' });
    const first = await net.forward({ data: randomTensor([1, 2, 4, 4], 1) });
    const copy = Float32Array.from(first.conv.data);
    await net.forward({ data: randomTensor([1, 2, 4, 4], 2) });
    expect(Array.from(first.conv.data)).toEqual(Array.from(copy));
  });

  it.skipIf(GPU.isHeadlessGLSupported)('refuses headlessgl where it cannot run, saying why', async () => {
    expect(await messages(compile(loadNet(NET), { seed: 1, backend: 'headlessgl' }))).toMatch(/backend "headlessgl" cannot run here: /);
  });

  it.skipIf(!GPU.isHeadlessGLSupported)('runs headlessgl where it can (under xvfb-run), reports it, and agrees with webasm', async () => {
    const x = randomTensor([1, 2, 4, 4], 1);
    const gl = await compile(loadNet(NET), { seed: 1, backend: 'headlessgl' });
    const glOut = await gl.forward({ data: x });
    expect(gl.backend).toBe('headlessgl');
    expect(gl.backendReason).toBe('asked for');
    const wasm = await compile(loadNet(NET), { seed: 1, backend: 'webasm' });
    const wasmOut = await wasm.forward({ data: x });
    expect(maxRelativeError(glOut.conv.data, wasmOut.conv.data)).toBeLessThanOrEqual(1e-5);
    gl.destroy();
    wasm.destroy();
  });

  it('names a layer that cannot run, at its line, saying why', async () => {
    const net = loadNet(
      `${NET}layer { name: "label" type: "ArgMax" bottom: "conv" top: "label" argmax_param { axis: 1 } }
layer { name: "ig" type: "InfogainLoss" bottom: "conv" bottom: "label" top: "loss" infogain_loss_param { source: "H.binaryproto" } }\n`,
    );
    expect(await messages(compile(net, { seed: 1 }))).toBe(
      '6: layer type InfogainLoss (layer "ig") cannot run yet: its infogain matrix H is read from the file in infogain_loss_param.source',
    );
  });

  it('checks inputs: missing, unknown, wrongly shaped, and unknown blob names', async () => {
    const net = await compile(loadNet(NET), { seed: 1, backend: 'cpu' });
    expect(await messages(net.forward({}))).toBe('input "data" (1×2×4×4) is missing');
    const wrong = await messages(net.forward({ data: randomTensor([1, 2, 5, 4], 1), extra: randomTensor([1], 1) }));
    expect(wrong).toContain('"extra" is not an input of the net; its inputs are: data');
    expect(wrong).toContain('input "data" has shape 1×2×5×4, but the net was built for 1×2×4×4');
    expect(await messages(net.forward({ data: randomTensor([1, 2, 4, 4], 1) }, { blobs: ['nope'] }))).toBe(
      'no blob named "nope" in the net',
    );
  });

  it('runs only TEST-phase nets', async () => {
    expect(await messages(compile(loadNet(NET, { phase: 'train' }), { seed: 1 }))).toMatch(/TEST phase/);
  });
});
