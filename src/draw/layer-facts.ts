// The key parameters of a layer in a few short words, for its box in `brewnet draw`: the window
// (kernel/stride/pad/dilation, as shape inference resolved them: kernel_h/kernel_w and defaults included),
// num_output and group, the pooling method, the Eltwise operation, … For types without a rule here, the
// scalar fields the file sets on the type's *_param, as written.
import type { Layer } from '../ir/layer.js';
import type { Msg, Scalar } from '../schema/message.js';

export function layerFacts(layer: Layer): string[] {
  const p = layer.typeParam;
  const op = layer.spatial;
  const out: string[] = [];
  const window = op && (op.kind === 'window' || op.kind === 'transpose') ? op : undefined;
  const windowWords = () => {
    if (!window) return [];
    const words = [window.kernel.join('×')];
    if (window.stride.some((s) => s !== 1)) words.push(`stride ${axes(window.stride)}`);
    if (window.pad.some((s) => s !== 0)) words.push(`pad ${axes(window.pad)}`);
    if (window.dilation.some((s) => s !== 1)) words.push(`dilation ${axes(window.dilation)}`);
    return words;
  };
  switch (layer.type) {
    case 'Convolution':
    case 'Deconvolution': {
      const head = [`${p.num_output ?? '?'} out`, ...windowWords()];
      out.push(head.join(', '));
      const extra: string[] = [];
      if (typeof p.group === 'number' && p.group !== 1) extra.push(`group ${p.group}`);
      if (p.bias_term === false) extra.push('no bias');
      if (extra.length) out.push(extra.join(', '));
      return out;
    }
    case 'ConvolutionDepthwise':
      // The forks' depthwise convolution: one filter per channel, whatever num_output says.
      return [['depthwise', ...windowWords()].join(', '), ...(p.bias_term === false ? ['no bias'] : [])];
    case 'Pooling': {
      const method = String(p.pool ?? 'MAX');
      if (p.global_pooling === true) return [`${method} global`];
      out.push([method, ...windowWords()].join(', '));
      if (p.round_mode === 'FLOOR') out.push('round floor');
      return out;
    }
    case 'InnerProduct':
      return [`${p.num_output ?? '?'} out${p.bias_term === false ? ', no bias' : ''}`];
    case 'Eltwise': {
      const coeff = Array.isArray(p.coeff) && p.coeff.length ? ` (coeff ${p.coeff.join(', ')})` : '';
      return [`${String(p.operation ?? 'SUM')}${coeff}`];
    }
    case 'Concat':
      return [`axis ${p.axis ?? p.concat_dim ?? 1}`];
    case 'Crop':
      return []; // offsets are drawn with their check (net-graph.ts)
    case 'LRN':
      return [
        `size ${p.local_size ?? 5}, α ${p.alpha ?? 1}, β ${p.beta ?? 0.75}${p.norm_region === 'WITHIN_CHANNEL' ? ', within channel' : ''}`,
      ];
    case 'ReLU':
      return typeof p.negative_slope === 'number' && p.negative_slope !== 0 ? [`slope ${p.negative_slope}`] : [];
    case 'Dropout':
      return [`ratio ${p.dropout_ratio ?? 0.5}`];
    case 'Input':
      return [];
    case 'Python':
      return [`${p.module ?? '?'}.${p.layer ?? '?'}`];
    default:
      return genericFacts(p);
  }
}

/** `2` when every axis agrees, else `2×1`. */
function axes(values: number[]): string {
  return values.every((v) => v === values[0]) ? String(values[0]) : values.join('×');
}

const MAX_GENERIC = 3;

function genericFacts(p: Msg): string[] {
  const words: string[] = [];
  for (const [field, value] of Object.entries(p)) {
    if (value === undefined || words.length >= MAX_GENERIC) continue;
    if (isScalar(value)) words.push(`${field} ${short(value)}`);
    else if (Array.isArray(value) && value.length <= 4 && value.every(isScalar)) words.push(`${field} ${value.map(short).join(', ')}`);
  }
  return words.length ? [words.join(', ')] : [];
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function short(v: Scalar): string {
  const s = String(v);
  return s.length > 24 ? s.slice(0, 23) + '…' : s;
}
