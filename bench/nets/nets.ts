// The nets of the whole-net suite: FCN-8s at 1×3×500×500 (the acceptance size) and the corpus FSRCNN.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNet, type Net } from '../../src/index.js';

export interface BenchNet {
  id: string;
  title: string;
  /** The prototxt, or why it is absent. */
  path: string | { missing: string };
  inputs: Record<string, number[]>;
  bilinearDeconvolutions: boolean;
  /** Per-layer work (MACs) above which a layer is timed on a smaller extent and scaled up. */
  layerBudget: number;
  /** Whether the whole forward pass is run (not only per layer) by default. */
  wholeForward: boolean;
  /** Whether GL backends are timed on it (a software GL takes seconds per kernel build). */
  glLayers: boolean;
  /** Whether webasm+threads is timed on it (each layer net starts a worker pool). */
  threadLayers: boolean;
}

/** The corpus FSRCNN, found through corpus/MANIFEST.tsv (first column: path under corpus/). */
function corpusFsrcnn(root: string): string | { missing: string } {
  const corpus = join(root, '..', 'shared', 'corpus');
  const manifest = join(corpus, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return { missing: `no corpus at ${corpus} (MANIFEST.tsv absent)` };
  const line = readFileSync(manifest, 'utf8')
    .split('\n')
    .find((l) => /FSRCNN/i.test(l.split('\t')[0] ?? '') && /\.prototxt$/.test(l.split('\t')[0]));
  if (!line) return { missing: 'no FSRCNN prototxt in the corpus MANIFEST.tsv' };
  const path = join(corpus, line.split('\t')[0]);
  return existsSync(path) ? path : { missing: `${path} listed in MANIFEST.tsv but absent` };
}

export function benchNets(root: string, options: { fcnWhole: boolean }): BenchNet[] {
  return [
    {
      id: 'fcn8s',
      title: 'FCN-8s (examples/fcn8s-deploy.prototxt)',
      path: join(root, 'examples', 'fcn8s-deploy.prototxt'),
      inputs: { data: [1, 3, 500, 500] },
      bilinearDeconvolutions: true,
      layerBudget: 5e6,
      wholeForward: options.fcnWhole,
      glLayers: false,
      threadLayers: false,
    },
    {
      id: 'fsrcnn',
      title: 'FSRCNN (corpus super-resolution/FSRCNN, input 1×1×64×64: a 64² low-resolution image → 190²; its deconv is problem P4)',
      path: corpusFsrcnn(root),
      inputs: { data: [1, 1, 64, 64] },
      bilinearDeconvolutions: false,
      layerBudget: Infinity,
      wholeForward: true,
      glLayers: true,
      threadLayers: true,
    },
  ];
}

export function loadBenchNet(n: BenchNet): Net {
  if (typeof n.path !== 'string') throw new Error(n.path.missing);
  return loadNet(n.path, { inputs: n.inputs });
}
