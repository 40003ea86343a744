// What some layers carry beyond their LayerParameter: facts from other frameworks that Caffe's schema
// cannot express. Theano's conv2d_grad_wrt_inputs picks one of the s output sizes a stride-s transposed
// convolution could have (its input_shape, docs/caffe-semantics.md#transposed-convolution-sizes, #theano), and its filter_flip says whether the
// kernel is flipped (a true convolution) instead of correlated as in Caffe. They live beside the message
// (keyed by it), not in it, so the schema stays Caffe's; shape inference and the kernels read them, and
// printing such a layer as prototxt is refused instead of silently dropping them.
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { locOf, metaOf, setMeta, type Msg } from '../schema/message.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';

export interface LayerExtension {
  /** Deconvolution: the output size asked for on each spatial axis (Theano's input_shape). */
  outputSize?: number[];
  /** Convolution / Deconvolution: the kernel is flipped, as in a true convolution (Theano's default). */
  filterFlip?: boolean;
  /** Which framework idiom asked for this, for messages ("Theano's input_shape"). */
  origin: string;
}

const extensions = new WeakMap<Msg, LayerExtension>();

export function setLayerExtension(layer: Msg, extension: LayerExtension): void {
  extensions.set(layer, extension);
}

export function layerExtension(layer: Msg): LayerExtension | undefined {
  return extensions.get(layer);
}

function layerLabel(layer: Msg): string {
  return `${String(layer.type)} "${String(layer.name ?? '')}"`;
}

/** Why a layer cannot be written as prototxt, given its output adjustment once shapes are known. */
export function inexpressible(layer: Msg, outputAdjust?: readonly number[]): Diagnostic | undefined {
  const ext = extensions.get(layer);
  if (!ext) return undefined;
  const at = locOf(layer);
  if (ext.filterFlip) {
    return error(
      `${layerLabel(layer)} uses filter_flip=True (a flipped kernel, a true convolution); prototxt cannot express it`,
      at,
      'Caffe correlates without flipping: pass filter_flip=False, or flip the weights when porting them',
    );
  }
  if (ext.outputSize) {
    if (outputAdjust === undefined) {
      return error(
        `${layerLabel(layer)} takes its output size from ${ext.origin}; prototxt can express it only if that is Caffe's own size`,
        at,
        'build the net first (give the input shapes with --input) so brewnet can check',
      );
    }
    if (outputAdjust.some((a) => a !== 0)) {
      const shown = outputAdjust.every((a) => a === outputAdjust[0]) ? String(outputAdjust[0]) : outputAdjust.join(', ');
      return error(
        `${layerLabel(layer)} has output adjustment ${shown} from ${ext.origin}; prototxt cannot express it`,
        at,
        "Caffe's Deconvolution always makes the smallest size; choose that size, or crop or pad after it",
      );
    }
  }
  return undefined;
}

/** Throws if any layer of the net carries an extension prototxt cannot express. */
export function assertPrototxtExpressible(net: NetParameter, adjustments?: (layer: Msg) => readonly number[] | undefined): void {
  const problems = (net.layer ?? []).map((l) => inexpressible(l, adjustments?.(l))).filter((d): d is Diagnostic => d !== undefined);
  if (problems.length) throw new DiagnosticError(problems);
}

/** The same net with its layers copied without extensions (after a check has shown they change nothing). */
export function withoutExtensions(net: NetParameter): NetParameter {
  const copy: NetParameter = { ...net, layer: (net.layer ?? []).map((l) => copyMessage(l)) };
  if (!net.layer?.length) delete copy.layer;
  const meta = metaOf(net);
  if (meta) setMeta(copy, meta);
  return copy;
}

function copyMessage<M extends Msg>(msg: M): M {
  const copy: M = { ...msg };
  const meta = metaOf(msg);
  if (meta) setMeta(copy, meta);
  return copy;
}
