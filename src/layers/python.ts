// Python layers (docs/caffe-semantics.md#inputs-and-data): user code reshapes the tops at run time, with no blob-count limits, so
// every top shape must come from --input. Python layers that well-known nets ship get a diagnostic naming
// them and the shape their tops have (py-faster-rcnn's ProposalLayer: a data-dependent number of regions).
// A few are known well enough to run: ENet's spatial dropout is the identity at TEST.
import type { ForwardLayer, LayerModule, ShapeContext } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { atLeast } from '../ir/layer-module.js';
import { topName } from './blob-checks.js';
import { sourceTop } from './source-shape.js';
import type { PythonParameter } from '../schema/caffe-messages.generated.js';

interface KnownPythonLayer {
  /** What the layer is and why its top shapes cannot be planned, ending before "so …". */
  why: string;
  /** The hint's shape for each top, as py-faster-rcnn's TEST configuration sizes it. */
  hints: string[];
}

// py-faster-rcnn (lib/rpn/proposal_layer.py): anchors decoded by the RPN's deltas, clipped, boxes under
// min_size dropped, then NMS: the number of regions left (at most cfg.TEST.RPN_POST_NMS_TOP_N = 300) is
// known only from the data. Caffe reshapes `rois` (R×5) and `scores` (R×1) each forward; OpenCV's Proposal
// layer plans 300 rows and zero-fills the rows NMS did not keep, which downstream layers then pool as
// regions at the origin — so brewnet asks for the count rather than guessing one.
const KNOWN: Record<string, KnownPythonLayer> = {
  'rpn.proposal_layer.ProposalLayer': {
    why:
      "py-faster-rcnn's ProposalLayer (rpn.proposal_layer) keeps a data-dependent number of regions after NMS " +
      '(at most post_nms_topN, 300 at TEST)',
    hints: ['300,5', '300,1'],
  },
};

function knownTop(ctx: ShapeContext, index: number, known: KnownPythonLayer): readonly number[] {
  const given = ctx.userShape(index);
  if (given) return [...given];
  const name = topName(ctx, index);
  const hint = known.hints[index] ?? 'N,C,H,W';
  return ctx.fail(
    `${known.why}, so the shape of top "${name}" cannot be known statically; give it with --input ${name}=${hint} and feed the regions at run time`,
    { msg: ctx.layer, field: 'top', index },
  );
}

/**
 * Python layers whose code brewnet knows and runs: ENet's `spatial_dropout.SpatialDropoutLayer` (TimoSaemann's
 * ENet) zeroes whole channels with probability p in TRAIN and passes its bottom through at TEST, which its
 * deploy net says in param_str ({'phase': 'TEST', 'p': '0.01'}). Keyed by module.layer; true where the
 * layer's parameters make it the identity.
 */
const IDENTITY_AT_TEST: Record<string, (p: PythonParameter) => boolean> = {
  'spatial_dropout.SpatialDropoutLayer': (p) => !/['"]phase['"]\s*:\s*['"]TRAIN['"]/.test(String(p.param_str ?? '')),
};

function identityAtTest(p: PythonParameter, bottoms: number, tops: number): boolean {
  const rule = IDENTITY_AT_TEST[`${String(p.module ?? '')}.${String(p.layer ?? '')}`];
  return rule !== undefined && bottoms === 1 && tops === 1 && rule(p);
}

const identityLayer = (layer: ForwardLayer) => identityAtTest(layer.typeParam, layer.bottoms.length, layer.tops.length);

export const python: LayerModule<PythonParameter> = {
  type: 'Python',
  paramField: 'python_param',
  bottoms: atLeast(0),
  tops: atLeast(0),
  inPlace: false,
  source: true,
  knownCode: identityLayer,
  forward: (layer: ForwardLayer, [x]: Tensor[]): Tensor[] => {
    if (!identityLayer(layer)) throw new Error(`internal: Python layer "${layer.name}" has no forward brewnet knows`);
    return [{ shape: [...x.shape], data: Float32Array.from(x.data) }];
  },
  infer(ctx) {
    if (identityAtTest(ctx.param, ctx.bottoms.length, ctx.topCount)) return { tops: [[...ctx.bottoms[0]]], params: [], macs: 0 };
    const known = KNOWN[`${String(ctx.param.module ?? '')}.${String(ctx.param.layer ?? '')}`];
    const top = (i: number) => (known ? knownTop(ctx, i, known) : sourceTop(ctx, i));
    return { tops: Array.from({ length: ctx.topCount }, (_, i) => [...top(i)]), params: [], macs: 0 };
  },
};
