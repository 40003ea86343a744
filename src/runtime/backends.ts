// Choosing a gpu.js backend and proving which one ran. gpu.js picks silently and falls back to its CPU
// kernel when a backend cannot take a kernel (PEERS §2.10: #303, #640, #868); brewnet asks for a mode
// explicitly, refuses one that cannot run here with the reason, and reports every fallback it sees.
import type { GPU as GPUClass } from 'gpu.js';
import { fail } from '../diagnostics/diagnostic.js';

export const BACKENDS = ['cpu', 'webasm', 'headlessgl', 'auto'] as const;
export type BackendName = (typeof BACKENDS)[number];

export type GPUConstructor = typeof GPUClass;

export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/** Why a backend cannot start here, or undefined if it can. */
export function unavailableReason(GPU: GPUConstructor, backend: BackendName): string | undefined {
  if (backend === 'webasm' && !GPU.isWebAssemblySupported) return 'this JavaScript engine has no WebAssembly';
  if (backend === 'headlessgl' && !GPU.isHeadlessGLSupported) {
    return process.env.DISPLAY
      ? 'no headless-gl context could be created (is gpu.js\'s optional native module "gl" built? check node_modules/gl/build/Release/webgl.node)'
      : 'no X display: headless-gl needs one (run under xvfb-run), and gpu.js\'s optional native module "gl" must be built';
  }
  return undefined;
}

export function createGPU(GPU: GPUConstructor, backend: BackendName): InstanceType<GPUConstructor> {
  if (!isBackendName(backend)) fail(`unknown backend "${String(backend)}"; choose one of ${BACKENDS.join(', ')}`);
  if (backend === 'auto') return new GPU();
  const why = unavailableReason(GPU, backend);
  if (why) fail(`backend "${backend}" cannot run here: ${why}`, undefined, backend === 'headlessgl' ? 'use --backend webasm or cpu' : undefined);
  return new GPU({ mode: backend });
}

/** The mode of the kernel that actually runs behind a gpu.js kernel shortcut, and gpu.js's fallback reason. */
export function executedMode(kernel: unknown): { mode: string; fallbackReason: string | null } {
  const inner = (kernel as { kernel?: { constructor?: { mode?: string }; fallbackReason?: string | null } }).kernel;
  return { mode: inner?.constructor?.mode ?? 'unknown', fallbackReason: inner?.fallbackReason ?? null };
}
