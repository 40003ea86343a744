// The net: layers in execution order and the versioned blobs between them, built by the passes in
// src/passes from an upgraded, state-filtered NetParameter (kept as `source` for printing).
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Shape } from './layer-module.js';
import { assertPrototxtExpressible, withoutExtensions } from './layer-extensions.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';
import type { Blob } from './blob.js';
import type { Layer } from './layer.js';

/** Which layers a net keeps (Caffe's NetState): filtering happens in frontend/net-state.ts. */
export type Phase = 'TRAIN' | 'TEST';

export interface NetState {
  phase: Phase;
  level: number;
  stages: string[];
}

/** The `--json` / toJSON() form of a net: shapes of everything, nothing else. */
export interface NetJSON {
  name?: string;
  blobs: Record<string, Shape>;
  layers: {
    name: string;
    type: string;
    bottom: string[];
    top: string[];
    top_shapes: Shape[];
    params: Shape[];
    macs: number;
  }[];
  inputs: string[];
  outputs: string[];
  /** The fork's dialect the file speaks (absent for BVLC's). */
  dialect?: string;
}

export class Net {
  /** The schema the net was read with: 'bvlc' or a fork's dialect (src/schema/dialects.ts). */
  dialect = 'bvlc';
  /** What building the net left out or assumed (--allow-unknown), for the commands to print. */
  readonly notes: Diagnostic[] = [];

  constructor(
    /** The upgraded NetParameter with only the layers the state keeps. */
    readonly source: NetParameter,
    readonly state: NetState,
    readonly layers: readonly Layer[],
    /** Every blob version, in the order they were produced. */
    readonly blobVersions: readonly Blob[],
  ) {}

  get name(): string | undefined {
    return this.source.name;
  }

  /** The final version of each named blob (what Caffe's net.blobs holds), in production order. */
  get blobs(): Blob[] {
    const last = new Map<string, Blob>();
    for (const b of this.blobVersions) if (!b.automatic) last.set(b.name, b);
    return [...last.values()];
  }

  /** The final version of a blob; a located-less diagnostic with a suggestion if there is none. */
  blob(name: string): Blob {
    const found = this.findBlob(name);
    if (!found) {
      const names = this.blobs.map((b) => b.name);
      throw new DiagnosticError([error(`no blob named "${name}" in the net`, undefined, didYouMean(name, names))]);
    }
    return found;
  }

  findBlob(name: string): Blob | undefined {
    let found: Blob | undefined;
    for (const b of this.blobVersions) if (b.name === name && !b.automatic) found = b;
    return found;
  }

  layer(name: string): Layer | undefined {
    return this.layers.find((l) => l.name === name);
  }

  /** Tops of Input layers (Caffe's net_input_blobs). */
  get inputs(): string[] {
    return this.layers.filter((l) => l.type === 'Input').flatMap((l) => l.tops.map((t) => t.name));
  }

  /** Blobs nobody consumes, in lexicographic order (Caffe's std::set of available blobs). */
  get outputs(): string[] {
    const names = this.blobs.filter((b) => b.consumers.length === 0).map((b) => b.name);
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get totalMacs(): number {
    return this.layers.reduce((n, l) => n + l.macs, 0);
  }

  get totalParams(): number {
    return this.layers.reduce((n, l) => n + l.paramCount, 0);
  }

  toJSON(): NetJSON {
    const blobs: Record<string, Shape> = {};
    for (const b of this.blobs) blobs[b.name] = [...b.shape];
    return {
      ...(this.name !== undefined ? { name: this.name } : {}),
      blobs,
      layers: this.layers.map((l) => ({
        name: l.name,
        type: l.type,
        bottom: l.bottoms.map((b) => b.name),
        top: l.tops.map((t) => t.name),
        top_shapes: l.tops.map((t) => [...t.shape]),
        params: l.paramShapes.map((s) => [...s]),
        macs: l.macs,
      })),
      inputs: this.inputs,
      outputs: this.outputs,
      ...(this.dialect !== 'bvlc' ? { dialect: this.dialect } : {}),
    };
  }

  /**
   * The source, once shapes show that its layers' extensions change nothing prototxt says (a Theano
   * output size that is Caffe's own); otherwise a diagnostic naming the layer.
   */
  expressible(): NetParameter {
    const adjustments = new Map(this.layers.map((l) => [l.proto, l.outputAdjust]));
    assertPrototxtExpressible(this.source, (layer) => adjustments.get(layer));
    return withoutExtensions(this.source);
  }
}
