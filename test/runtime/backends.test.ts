// The 'auto' backend: headlessgl only on a hardware GL renderer (software GL — Mesa's llvmpipe under Xvfb —
// runs these kernels slower than the CPU backends, docs/performance-notes.md#software-gl), else wasm (brewnet's native
// SIMD kernels) where WebAssembly SIMD runs, else webasm, else cpu.
// The rule is a pure function of what this process can run; one integration check says what auto picks
// here and that the executor reports it with the reason.
import { GPU } from 'gpu.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { backendFacts, chooseBackend, createGPU, isSoftwareRenderer, unavailableReason } from '../../src/runtime/backends.js';
import { compile } from '../../src/runtime/compile.js';
import { randomTensor } from '../helpers/random-params.js';
import { numericsDir } from '../helpers/numerics-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

// Renderer strings as drivers report them (ANGLE wraps the GL driver's own string in headless-gl).
const SOFTWARE = [
  'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)',
  'ANGLE (Mesa/X.org softpipe OpenGL 3.3 core)',
  'Software Rasterizer',
  'Mesa DRI swrast',
  'llvmpipe (LLVM 17.0.6, 256 bits)',
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  'zink (lavapipe)',
  'Microsoft Basic Render Driver',
];
const HARDWARE = [
  'ANGLE (NVIDIA Corporation/NVIDIA H200/PCIe/SSE2 OpenGL 4.6.0 NVIDIA 550.54.15)',
  'ANGLE (AMD, AMD Radeon RX 7900 XTX (radeonsi, navi31, LLVM 16.0.6, DRM 3.54) OpenGL 4.6 core)',
  'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
  'Apple M2',
];

describe('auto backend choice', () => {
  it.each(SOFTWARE)('counts %s as software rendering', (r) => expect(isSoftwareRenderer(r)).toBe(true));
  it.each(HARDWARE)('counts %s as hardware', (r) => expect(isSoftwareRenderer(r)).toBe(false));

  it.each(HARDWARE)('takes headlessgl on a hardware renderer: %s', (glRenderer) => {
    const choice = chooseBackend({ webasm: true, wasmSimd: true, headlessgl: true, glRenderer });
    expect(choice.backend).toBe('headlessgl');
    expect(choice.reason).toContain(glRenderer);
  });

  it.each(SOFTWARE)('passes over software GL for wasm, webasm without SIMD, or cpu without WebAssembly: %s', (glRenderer) => {
    expect(chooseBackend({ webasm: true, wasmSimd: true, headlessgl: true, glRenderer })).toEqual({
      backend: 'wasm',
      reason: `GL renders in software (${glRenderer}), slower than wasm on the CPU`,
    });
    expect(chooseBackend({ webasm: true, wasmSimd: false, headlessgl: true, glRenderer }).backend).toBe('webasm');
    expect(chooseBackend({ webasm: false, wasmSimd: false, headlessgl: true, glRenderer }).backend).toBe('cpu');
  });

  it('takes a GL context whose renderer cannot be read as software', () => {
    expect(chooseBackend({ webasm: true, wasmSimd: true, headlessgl: true }).backend).toBe('wasm');
    expect(chooseBackend({ webasm: true, wasmSimd: false, headlessgl: true, glRenderer: '  ' }).backend).toBe('webasm');
  });

  it('in a page: WebGL2 (else WebGL) on a hardware renderer, wasm on SwiftShader', () => {
    const page = { webasm: true, wasmSimd: true, headlessgl: false };
    const gpu = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)';
    expect(chooseBackend({ ...page, webgl2: true, webgl: true, glRenderer: gpu })).toEqual({
      backend: 'webgl2',
      reason: `GL runs on a hardware renderer (${gpu})`,
    });
    expect(chooseBackend({ ...page, webgl2: false, webgl: true, glRenderer: gpu }).backend).toBe('webgl');
    const swiftshader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(chooseBackend({ ...page, webgl2: true, webgl: true, glRenderer: swiftshader }).backend).toBe('wasm');
  });

  it('webgl2 and webgl cannot run in Node: refused with the reason', () => {
    expect(() => createGPU(GPU, 'webgl2')).toThrow(/backend "webgl2" cannot run here: no WebGL2 context/);
    expect(() => createGPU(GPU, 'webgl')).toThrow(/backend "webgl" cannot run here: no WebGL context/);
  });

  it('without GL: wasm, else webasm, else cpu, saying there is no GL', () => {
    expect(chooseBackend({ webasm: true, wasmSimd: true, headlessgl: false })).toEqual({
      backend: 'wasm',
      reason: 'no GL context here (no X display or no built "gl" module), so wasm',
    });
    expect(chooseBackend({ webasm: true, wasmSimd: false, headlessgl: false }).backend).toBe('webasm');
    expect(chooseBackend({ webasm: false, wasmSimd: true, headlessgl: false }).backend).toBe('cpu');
  });
});

describe('backend wasm without WebAssembly SIMD', () => {
  const noSimd = () => false;

  it('says why it cannot run', () => {
    expect(unavailableReason(GPU, 'wasm', noSimd)).toMatch(/no WebAssembly SIMD/);
    expect(unavailableReason(GPU, 'wasm', () => true)).toBeUndefined();
    expect(unavailableReason(GPU, 'webasm', noSimd)).toBeUndefined();
  });

  it('refuses --backend wasm with that reason, and auto falls back to webasm', () => {
    expect(() => createGPU(GPU, 'wasm', noSimd)).toThrow(/backend "wasm" cannot run here: .*no WebAssembly SIMD/);
    const auto = createGPU(GPU, 'auto', noSimd);
    expect(auto.backend).not.toBe('wasm');
    (auto.gpu as unknown as { destroy(): void }).destroy();
  });
});

describe('auto on this machine', () => {
  const facts = backendFacts(GPU);
  const expected = chooseBackend(facts);
  console.log(`auto here: ${expected.backend} (${expected.reason})`);

  it("reads the driver's renderer whenever a GL context opens, not headless-gl's fixed 'ANGLE'", () => {
    if (facts.headlessgl) expect(facts.glRenderer).toMatch(/^ANGLE \(.+\)$/);
    else expect(facts.glRenderer).toBeUndefined();
  });

  it('compile() runs the backend auto picks and reports why', async () => {
    const net = await compile(
      loadNet(`layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 1 dim: 2 dim: 2 } } }
               layer { name: "r" type: "ReLU" bottom: "x" top: "y" }`),
      { seed: 1 },
    );
    const out = await net.forward({ x: randomTensor([1, 1, 2, 2], 1) });
    expect(out.y.data.every((v) => v >= 0)).toBe(true);
    expect(net.backend).toBe(expected.backend);
    expect(net.backendReason).toBe(`auto: ${expected.reason}`);
    net.destroy();
  });

  it('brewnet run says which backend ran and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-auto-'));
    const r = runCli([
      'run',
      join(numericsDir, 'neurons', 'net.prototxt'),
      '--input',
      `data=${join(numericsDir, 'neurons', 'input.data.npy')}`,
      '--seed',
      '1',
      '--out',
      dir,
    ]);
    expect(r.status).toBe(0);
    const on =
      expected.backend === 'wasm' ? "wasm (brewnet's native kernels, gpu.js webasm for the other layers)" : `gpu.js ${expected.backend}`;
    expect(r.stderr).toMatch(
      new RegExp(`^forward pass on ${escapeRegExp(on)} \\(auto: ${escapeRegExp(expected.reason)}\\) in \\d+ ms$`, 'm'),
    );
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
