// What each parameter blob of a layer is (its role, for messages) and which filler Caffe initialises it with,
// in blobs_ order (docs/caffe-semantics.md#parameter-blobs). Layer-specific defaults are Caffe's: PReLU slopes 0.25 and Scale factors
// 1 when no filler is written; biases use bias_filler (constant 0 by FillerParameter's defaults).
//
// BatchNorm's three blobs (mean sum, variance sum, their scale factor) are set to 0, as Caffe's LayerSetUp
// does; with a zero factor Caffe normalises with mean 0 and variance 0, i.e. divides by sqrt(eps). That is
// what Caffe computes for an untrained net, so brewnet keeps it rather than inventing unit statistics.
// Parameter layers start at 0 too (Caffe allocates the blob and never fills it).
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import { locOf, type Msg } from '../schema/message.js';
import { fillerSpec, type FillerSpec } from './fillers.js';

export interface ParamBlobSpec {
  /** weights, bias, mean, variance, scale factor, scale, slopes, … */
  role: string;
  filler: FillerSpec;
}

const ZERO: Msg = { type: 'constant', value: 0 };

function fromParam(layer: Layer, role: string, field: string, fallback?: Msg): ParamBlobSpec {
  const param = layer.typeParam;
  const written = param[field] as Msg | undefined;
  const what = `layer "${layer.name}" (${layer.type}) ${written ? field : `${role} (default filler)`}`;
  return { role, filler: fillerSpec(written, what, (written && locOf(written)) ?? locOf(param, field) ?? layer.loc, fallback) };
}

function fixed(layer: Layer, role: string): ParamBlobSpec {
  return { role, filler: fillerSpec(undefined, `layer "${layer.name}" (${layer.type}) ${role}`, layer.loc, ZERO) };
}

/** One spec per entry of `layer.paramShapes`. */
export function paramBlobSpecs(layer: Layer): ParamBlobSpec[] {
  const n = layer.paramShapes.length;
  let specs: ParamBlobSpec[];
  switch (layer.type) {
    case 'Convolution':
    case 'Deconvolution':
    case 'InnerProduct':
    case 'Embed':
      specs = [fromParam(layer, 'weights', 'weight_filler'), fromParam(layer, 'bias', 'bias_filler')];
      break;
    case 'BatchNorm':
      specs = [fixed(layer, 'mean'), fixed(layer, 'variance'), fixed(layer, 'scale factor')];
      break;
    case 'Scale': {
      const bias = fromParam(layer, 'bias', 'bias_filler');
      // With a second bottom the scale is an input, and the only blob is the bias.
      specs = layer.bottoms.length > 1 ? [bias] : [fromParam(layer, 'scale', 'filler', { type: 'constant', value: 1 }), bias];
      break;
    }
    case 'Bias':
      specs = [fromParam(layer, 'bias', 'filler')];
      break;
    case 'PReLU':
      specs = [fromParam(layer, 'slopes', 'filler', { type: 'constant', value: 0.25 })];
      break;
    case 'Parameter':
      specs = [fixed(layer, 'parameter')];
      break;
    default:
      if (n === 0) return [];
      if (layer.module.paramBlobs) {
        specs = layer.module.paramBlobs(layer).map((d) =>
          d.filler
            ? fromParam(layer, d.role, d.filler, d.fallback ?? ZERO)
            : {
                role: d.role,
                filler: fillerSpec(undefined, `layer "${layer.name}" (${layer.type}) ${d.role}`, layer.loc, d.fallback ?? ZERO),
              },
        );
        break;
      }
      fail(`layer "${layer.name}" (${layer.type}): brewnet does not know how Caffe initialises this layer's parameters`, layer.loc);
  }
  return specs.slice(0, n);
}
