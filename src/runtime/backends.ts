// Choosing a gpu.js backend and proving which one ran. gpu.js picks silently and falls back to its CPU
// kernel when a backend cannot take a kernel (gpu.js issues #303, #640 and #868 ask why); brewnet asks for a mode
// explicitly, refuses one that cannot run here with the reason, and reports every fallback it sees.
//
// 'auto' is brewnet's choice, not gpu.js's: gpu.js prefers headlessgl whenever a GL context opens, but
// under Xvfb (or any machine without a GPU driver) that context is Mesa's software rasteriser, which runs
// these kernels slower than gpu.js's own CPU backends (docs/performance-notes.md#software-gl: llvmpipe
// 0.7–1.1 GFLOP/s against webasm's 1.2–2.3). So auto reads the GL renderer and takes headlessgl only on hardware.
//
// 'wasm' is brewnet's own: layers with a native WebAssembly SIMD kernel (src/runtime/wasm/) run it, every
// other layer runs its gpu.js kernels on webasm. Both keep values as host Float32Arrays, so steps chain.
import type { GPU as GPUClass } from 'gpu.js';
import { envVar, PLATFORM } from '#platform';
import { fail } from '../diagnostics/diagnostic.js';
import { wasmSimdSupported } from './wasm/simd-support.js';

export const BACKENDS = ['cpu', 'webasm', 'wasm', 'headlessgl', 'webgl2', 'webgl', 'auto'] as const;
/** The GL backends: gpu.js kernels in pipeline mode on a WebGL context (headless-gl in Node, a canvas in a page). */
export const GL_BACKENDS = ['headlessgl', 'webgl2', 'webgl'] as const;
type GLBackend = (typeof GL_BACKENDS)[number];
export type BackendName = (typeof BACKENDS)[number];
export type ConcreteBackend = Exclude<BackendName, 'auto'>;

export type GPUConstructor = typeof GPUClass;

export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/** Why a backend cannot start here, or undefined if it can. */
export function unavailableReason(GPU: GPUConstructor, backend: BackendName, simd: () => boolean = wasmSimdSupported): string | undefined {
  if ((backend === 'webasm' || backend === 'wasm') && !GPU.isWebAssemblySupported) return 'this JavaScript engine has no WebAssembly';
  if (backend === 'wasm' && !simd()) {
    return "this JavaScript engine has no WebAssembly SIMD, which brewnet's native kernels need (Node ≥ 16.4 has it unless turned off)";
  }
  if (backend === 'headlessgl' && !GPU.isHeadlessGLSupported) {
    return envVar('DISPLAY')
      ? 'no headless-gl context could be created (is gpu.js\'s optional native module "gl" built? check node_modules/gl/build/Release/webgl.node)'
      : 'no X display: headless-gl needs one (run under xvfb-run), and gpu.js\'s optional native module "gl" must be built';
  }
  if (backend === 'webgl2' && !GPU.isWebGL2Supported)
    return 'no WebGL2 context (a web browser with WebGL2 is needed; in Node use headlessgl)';
  if (backend === 'webgl' && !GPU.isWebGLSupported) return 'no WebGL context (a web browser with WebGL is needed; in Node use headlessgl)';
  return undefined;
}

/** What auto decides from: which backends can start here, and the GL renderer when GL can. */
export interface BackendFacts {
  webasm: boolean;
  /** WebAssembly SIMD, which the native kernels of backend 'wasm' need. */
  wasmSimd: boolean;
  headlessgl: boolean;
  /** In a web page: whether gpu.js opened a WebGL2 / WebGL context. */
  webgl2?: boolean;
  webgl?: boolean;
  /** The driver's renderer string behind the GL context (e.g. "ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6…)…)"). */
  glRenderer?: string;
}

export interface BackendChoice {
  backend: ConcreteBackend;
  /** One line: why this backend (shown by `brewnet run`, kept on the executor). */
  reason: string;
}

// Renderer names of rasterisers that run on the CPU: Mesa's llvmpipe, softpipe and swrast (and lavapipe,
// its Vulkan sibling, behind Zink), Google's SwiftShader, and Windows' WARP ("Microsoft Basic Render Driver").
const SOFTWARE_RENDERER = /llvmpipe|softpipe|swrast|lavapipe|swiftshader|basic render|software/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/**
 * auto's rule, as a pure function: headlessgl on a hardware renderer, else wasm (brewnet's native SIMD
 * kernels, webasm for the rest) where WebAssembly SIMD runs, else webasm (faster than the generated JS of
 * `cpu`), else cpu. A GL context whose renderer cannot be read counts as software: guessing wrong there
 * costs a slow run, not a wrong one.
 */
export function chooseBackend(facts: BackendFacts): BackendChoice {
  const fallback: ConcreteBackend = facts.webasm ? (facts.wasmSimd ? 'wasm' : 'webasm') : 'cpu';
  // A page's WebGL2 (else WebGL) context, or Node's headless-gl: the same rule on the renderer.
  const gl: GLBackend | undefined = facts.webgl2 ? 'webgl2' : facts.webgl ? 'webgl' : facts.headlessgl ? 'headlessgl' : undefined;
  if (!gl) {
    const why = PLATFORM === 'browser' ? 'this page has no WebGL' : 'no X display or no built "gl" module';
    return { backend: fallback, reason: `no GL context here (${why}), so ${fallback}` };
  }
  const renderer = facts.glRenderer?.trim();
  if (!renderer) return { backend: fallback, reason: `GL renderer unknown, taken as software rendering, so ${fallback}` };
  if (isSoftwareRenderer(renderer)) {
    return { backend: fallback, reason: `GL renders in software (${renderer}), slower than ${fallback} on the CPU` };
  }
  return { backend: gl, reason: `GL runs on a hardware renderer (${renderer})` };
}

/**
 * The driver's renderer string of a WebGL context. Browsers expose it through WEBGL_debug_renderer_info.
 * headless-gl has no such extension and its JavaScript getParameter answers a fixed 'ANGLE', but the
 * native method it overrides (one prototype further up) returns ANGLE's real string, which names the
 * driver underneath.
 */
export function glRendererOf(gl: WebGLLike): string | undefined {
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
    if (info) return String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
    const native = Object.getPrototypeOf(Object.getPrototypeOf(gl)) as Partial<WebGLLike> | null;
    const masked = String(gl.getParameter(gl.RENDERER));
    const real = typeof native?.getParameter === 'function' ? native.getParameter.call(gl, gl.RENDERER) : undefined;
    return typeof real === 'string' && real !== '' ? real : masked;
  } catch {
    return undefined;
  }
}

interface WebGLLike {
  readonly RENDERER: number;
  getParameter(name: number): unknown;
  getExtension(name: string): unknown;
}

/** The facts about this process: gpu.js's own support checks, and the renderer of its GL test context. */
export function backendFacts(GPU: GPUConstructor): BackendFacts {
  const headlessgl = GPU.isHeadlessGLSupported;
  const webgl2 = GPU.isWebGL2Supported === true;
  const webgl = GPU.isWebGLSupported === true;
  const mode: GLBackend | undefined = webgl2 ? 'webgl2' : webgl ? 'webgl' : headlessgl ? 'headlessgl' : undefined;
  // The kernel class of this GPU's own gpu.js copy (a compiled module may bring another copy than brewnet's);
  // its static testContext is the context gpu.js opened to check support. An instance with no kernels holds
  // nothing to release.
  const Kernel = mode ? (new GPU({ mode }) as unknown as { Kernel: { testContext?: WebGLLike | null } }).Kernel : undefined;
  const context = Kernel?.testContext ?? null;
  return {
    webasm: GPU.isWebAssemblySupported,
    wasmSimd: wasmSimdSupported(),
    headlessgl,
    webgl2,
    webgl,
    glRenderer: context ? glRendererOf(context) : undefined,
  };
}

/** The gpu.js mode that runs a backend's gpu.js kernels ('wasm' runs the layers without a native kernel on webasm). */
export const gpuMode = (backend: ConcreteBackend): Exclude<ConcreteBackend, 'wasm'> => (backend === 'wasm' ? 'webasm' : backend);

/** The gpu.js instance for a backend, and why it was chosen ('auto' resolved by chooseBackend). */
export function createGPU(
  GPU: GPUConstructor,
  backend: BackendName,
  simd: () => boolean = wasmSimdSupported,
): { gpu: InstanceType<GPUConstructor> } & BackendChoice {
  if (!isBackendName(backend)) fail(`unknown backend "${String(backend)}"; choose one of ${BACKENDS.join(', ')}`);
  if (backend === 'auto') {
    const choice = chooseBackend({ ...backendFacts(GPU), wasmSimd: simd() });
    return { gpu: new GPU({ mode: gpuMode(choice.backend) }), ...choice, reason: `auto: ${choice.reason}` };
  }
  const why = unavailableReason(GPU, backend, simd);
  if (why) {
    const hint =
      backend === 'headlessgl'
        ? 'use --backend webasm or cpu'
        : backend === 'webgl2' || backend === 'webgl'
          ? "use backend 'wasm' (or 'auto')"
          : backend === 'wasm'
            ? 'use --backend webasm (gpu.js kernels only) or cpu'
            : undefined;
    fail(`backend "${backend}" cannot run here: ${why}`, undefined, hint);
  }
  return { gpu: new GPU({ mode: gpuMode(backend) }), backend, reason: 'asked for' };
}

interface KernelClass {
  readonly mode?: string;
  readonly name?: string;
}

/**
 * The backend name of a gpu.js kernel class. Its static `mode` is 'cpu', 'webasm' or 'webgpu', but every GL
 * kernel (WebGL, WebGL2 and headless-gl, a subclass of WebGL) inherits 'gpu'; the class name tells them
 * apart (gpu.js's Node entry is unminified source, so the names are there).
 */
export function kernelBackend(Kernel: KernelClass | undefined): string {
  const mode = Kernel?.mode ?? 'unknown';
  if (mode !== 'gpu') return mode;
  const name = Kernel?.name ?? '';
  if (/HeadlessGL/.test(name)) return 'headlessgl';
  if (/WebGL2/.test(name)) return 'webgl2';
  if (/WebGL/.test(name)) return 'webgl';
  return mode;
}

/** The backend of the kernel that actually runs behind a gpu.js kernel shortcut, and gpu.js's fallback reason. */
export function executedMode(kernel: unknown): { mode: string; fallbackReason: string | null } {
  const inner = (kernel as { kernel?: { constructor?: KernelClass; fallbackReason?: string | null } }).kernel;
  return { mode: kernelBackend(inner?.constructor), fallbackReason: inner?.fallbackReason ?? null };
}
