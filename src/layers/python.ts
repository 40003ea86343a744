// Python layers (docs/caffe-semantics.md#inputs-and-data): user code reshapes the tops at run time, with no blob-count limits, so
// every top shape must come from --input. A few are known well enough to run: ENet's spatial dropout is the
// identity at TEST, and py-faster-rcnn's ProposalLayer with a param_str brewnet reads is the Proposal layer
// (src/layers/forks/proposal.ts). A ProposalLayer whose param_str says more gets a diagnostic naming it and
// the shape its tops have.
import type { ForwardLayer, LayerModule, ShapeContext } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { atLeast } from '../ir/layer-module.js';
import { bottomName, topName } from './blob-checks.js';
import { sourceTop } from './source-shape.js';
import { FASTER_RCNN_TEST, proposalForward, proposalInfer, type ProposalConfig } from './forks/proposal.js';
import type { PythonParameter } from '../schema/caffe-messages.generated.js';

interface KnownPythonLayer {
  /** What the layer is and why its top shapes cannot be planned, ending before "so …". */
  why: string;
  /** The hint's shape for each top, as py-faster-rcnn's TEST configuration sizes it. */
  hints: string[];
}

// py-faster-rcnn's ProposalLayer with a param_str brewnet does not read (fasterRcnnProposal): the number of
// regions it keeps is known only from the data and its parameters are not known either, so brewnet asks
// for the top shapes.
const KNOWN: Record<string, KnownPythonLayer> = {
  'rpn.proposal_layer.ProposalLayer': {
    why:
      "py-faster-rcnn's ProposalLayer (rpn.proposal_layer) with a param_str other than 'feat_stride' (and 'scales') " +
      'keeps a data-dependent number of regions after NMS by parameters brewnet does not read',
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

/**
 * py-faster-rcnn's `rpn.proposal_layer.ProposalLayer`: its param_str is YAML, `'feat_stride': 16` in the
 * shipped nets, optionally `'scales': [8, 16, 32]`; the rest comes from fast_rcnn/config.py (TEST: 6000 boxes
 * into NMS at 0.7, 300 out, min_size 16; TRAIN: 12000 and 2000). Undefined where param_str says anything
 * else (then the layer is any Python layer, with the diagnostic of KNOWN).
 */
export function fasterRcnnProposal(p: PythonParameter, phase: 'TRAIN' | 'TEST' = 'TEST'): ProposalConfig | undefined {
  if (`${String(p.module ?? '')}.${String(p.layer ?? '')}` !== 'rpn.proposal_layer.ProposalLayer') return undefined;
  const text = String(p.param_str ?? '')
    .trim()
    .replace(/^\{([\s\S]*)\}$/, '$1');
  const c: ProposalConfig = { ...FASTER_RCNN_TEST, ...(phase === 'TRAIN' ? { preNms: 12000, postNms: 2000 } : {}) };
  let stride = false;
  for (const m of text.matchAll(/\s*['"]?(\w+)['"]?\s*:\s*(\[[^\]]*\]|\([^)]*\)|[^,]+)\s*(,|$)/g)) {
    const [key, value] = [m[1], m[2].trim()];
    const list = value
      .replace(/^[[(]|[\])]$/g, '')
      .split(',')
      .map(Number);
    if (key === 'feat_stride' && /^\d+$/.test(value)) [c.featStride, stride] = [Number(value), true];
    else if (key === 'scales' && /^[[(]/.test(value) && list.every((v) => v > 0)) c.scales = list;
    else return undefined;
  }
  return stride ? c : undefined;
}

const proposalOf = (layer: ForwardLayer) =>
  layer.bottoms.length === 3 && layer.tops.length >= 1 && layer.tops.length <= 2 ? fasterRcnnProposal(layer.typeParam) : undefined;

export const python: LayerModule<PythonParameter> = {
  type: 'Python',
  paramField: 'python_param',
  bottoms: atLeast(0),
  tops: atLeast(0),
  inPlace: false,
  source: true,
  knownCode: (layer) => identityLayer(layer) || proposalOf(layer) !== undefined,
  variableRows: (layer) => proposalOf(layer) !== undefined,
  forward: (layer: ForwardLayer, bottoms: Tensor[]): Tensor[] => {
    const proposal = proposalOf(layer);
    if (proposal) return proposalForward(proposal, bottoms, layer.tops.length);
    if (!identityLayer(layer)) throw new Error(`internal: Python layer "${layer.name}" has no forward brewnet knows`);
    return [{ shape: [...bottoms[0].shape], data: Float32Array.from(bottoms[0].data) }];
  },
  infer(ctx) {
    if (identityAtTest(ctx.param, ctx.bottoms.length, ctx.topCount)) return { tops: [[...ctx.bottoms[0]]], params: [], macs: 0 };
    const proposal = ctx.bottoms.length === 3 && ctx.topCount <= 2 ? fasterRcnnProposal(ctx.param, ctx.phase) : undefined;
    if (proposal) {
      const tops = proposalInfer(
        proposal,
        ctx.bottoms,
        ctx.topCount,
        (m) => ctx.fail(`py-faster-rcnn's ProposalLayer: ${m}`),
        (i) => bottomName(ctx, i),
      );
      return { tops, params: [], macs: 0 };
    }
    const known = KNOWN[`${String(ctx.param.module ?? '')}.${String(ctx.param.layer ?? '')}`];
    const top = (i: number) => (known ? knownTop(ctx, i, known) : sourceTop(ctx, i));
    return { tops: Array.from({ length: ctx.topCount }, (_, i) => [...top(i)]), params: [], macs: 0 };
  },
};
