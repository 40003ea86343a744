// BVLC's recurrent layers (recurrent_layer.cpp, lstm_layer.cpp, rnn_layer.cpp, lstm_unit_layer.cpp). Caffe
// runs LSTM and RNN by unrolling them into a net of T steps (InnerProducts, Scale by the continuation flags,
// Eltwise sums, LSTMUnit or TanH); brewnet computes what that unrolled net computes, step by step, in one
// reference forward (a host step), with the unrolled net's parameter blobs in their order:
//   LSTM: W_xc (4H×I), b_c (4H), [W_xc_static (4H×S)], W_hc (4H×H); gates i, f, o, g in that order;
//   RNN:  W_xh (H×I), b_h (H), [W_xh_static (H×S)], W_hh (H×H), W_ho (H×H), b_o (H); o_t = tanh(W_ho h_t + b_o).
// Bottoms: x (T×N×…), cont (T×N: 0 starts a sequence), an optional static input (N×…), and with
// expose_hidden the initial states (h_0, then LSTM's c_0, each 1×N×H), whose final values are extra tops.
// Without expose_hidden the initial state is zero: Caffe carries the last state over to the next forward
// pass, so brewnet's every forward is Caffe's first after loading (or a sequence started with cont = 0).
import type { ForwardLayer, LayerModule, ShapeContext } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';
import { has } from '../schema/message.js';
import { bottomName, showShape } from './blob-checks.js';
import { count, shapesEqual } from './shape-utils.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** LSTMUnitLayer::Forward_cpu for one item: c = f·c_prev + i·g, h = o·tanh(c); f is 0 where cont is 0. */
function lstmCell(gates: ArrayLike<number>, g0: number, cPrev: ArrayLike<number>, p0: number, cont: number, hidden: number) {
  const c = new Float64Array(hidden);
  const h = new Float64Array(hidden);
  for (let d = 0; d < hidden; d++) {
    const i = sigmoid(gates[g0 + d]);
    const f = cont === 0 ? 0 : cont * sigmoid(gates[g0 + hidden + d]);
    const o = sigmoid(gates[g0 + 2 * hidden + d]);
    const g = Math.tanh(gates[g0 + 3 * hidden + d]);
    c[d] = f * cPrev[p0 + d] + i * g;
    h[d] = o * Math.tanh(c[d]);
  }
  return { c, h };
}

export const lstmUnit: LayerModule = {
  type: 'LSTMUnit',
  bottoms: exactly(3),
  tops: exactly(2),
  inPlace: false,
  infer(ctx) {
    const [cPrev, x] = ctx.bottoms;
    const n = cPrev[1];
    ctx.bottoms.forEach((b, i) => {
      const axes = i === 2 ? 2 : 3;
      if (b.length !== axes || b[0] !== 1 || b[1] !== n)
        ctx.fail(
          `bottom ${i} ("${bottomName(ctx, i)}", ${showShape(b)}) must be ${i === 2 ? '1×N' : '1×N×…'} with ${axes} axes, N = ${n} the streams of c_prev`,
          { msg: ctx.layer, field: 'bottom', index: i },
        );
    });
    if (x[2] !== 4 * cPrev[2])
      ctx.fail(`the gate input "${bottomName(ctx, 1)}" (${showShape(x)}) must hold 4 × ${cPrev[2]} values per stream (i, f, o, g)`, {
        msg: ctx.layer,
        field: 'bottom',
        index: 1,
      });
    return { tops: [[...cPrev], [...cPrev]], params: [], macs: 4 * count(cPrev) };
  },
  forward(_layer, [cPrev, x, cont]) {
    const [, n, hidden] = cPrev.shape;
    const c = new Float32Array(cPrev.data.length);
    const h = new Float32Array(cPrev.data.length);
    for (let item = 0; item < n; item++) {
      const step = lstmCell(x.data, item * 4 * hidden, cPrev.data, item * hidden, cont.data[item], hidden);
      c.set(step.c, item * hidden);
      h.set(step.h, item * hidden);
    }
    return [
      { shape: [...cPrev.shape], data: c },
      { shape: [...cPrev.shape], data: h },
    ];
  },
};

interface RecurrentKind {
  type: 'LSTM' | 'RNN';
  /** Recurrent state blobs (h_0, and LSTM's c_0). */
  states: number;
  /** Rows of the input and recurrent weights per hidden unit (4 gates, or 1). */
  gates: number;
}

/** RecurrentLayer::LayerSetUp and Reshape's checks; the tops and the unrolled net's parameter blobs. */
function recurrentShapes(ctx: ShapeContext, kind: RecurrentKind) {
  const p = ctx.param;
  const hidden = Number(p.num_output ?? 0);
  if (!(hidden > 0)) ctx.fail('num_output must be positive', has(p, 'num_output') ? { msg: p, field: 'num_output' } : undefined);
  const expose = p.expose_hidden === true;
  const exposed = expose ? kind.states : 0;
  const [x, cont] = ctx.bottoms;
  if (x.length < 2) ctx.fail(`bottom[0] must have at least 2 axes -- (#timesteps, #streams, ...); got ${showShape(x)}`);
  const [t, n] = x;
  if (cont.length !== 2 || cont[0] !== t || cont[1] !== n)
    ctx.fail(`bottom[1] ("${bottomName(ctx, 1)}") must have exactly 2 axes -- (#timesteps, #streams) = ${t}×${n}; got ${showShape(cont)}`, {
      msg: ctx.layer,
      field: 'bottom',
      index: 1,
    });
  const min = 2 + exposed;
  if (ctx.bottoms.length < min || ctx.bottoms.length > min + 1)
    ctx.fail(
      `${kind.type} takes x, cont, ${expose ? `the ${exposed} exposed initial state(s), ` : ''}and optionally a static input: ${min} or ${min + 1} bottoms, not ${ctx.bottoms.length}`,
    );
  if (ctx.topCount !== 1 + exposed)
    ctx.fail(
      `${kind.type} has ${1 + exposed} top(s) ${expose ? '(the output, then the final states)' : '(the output)'}, not ${ctx.topCount}`,
    );
  const staticInput = ctx.bottoms.length > min;
  const state = [1, n, hidden];
  if (staticInput) {
    const s = ctx.bottoms[2];
    if (s.length < 1 || s[0] !== n)
      ctx.fail(`the static input "${bottomName(ctx, 2)}" (${showShape(s)}) must have the ${n} streams on its first axis`, {
        msg: ctx.layer,
        field: 'bottom',
        index: 2,
      });
  }
  for (let i = 0; i < exposed; i++) {
    const at = 2 + (staticInput ? 1 : 0) + i;
    if (!shapesEqual(ctx.bottoms[at], state))
      ctx.fail(`bottom[${at}] ("${bottomName(ctx, at)}") shape must match hidden state input shape: ${showShape(state)}`, {
        msg: ctx.layer,
        field: 'bottom',
        index: at,
      });
  }
  const rows = kind.gates * hidden;
  const input = count(x, 2);
  const params = [[rows, input], [rows]];
  if (staticInput) params.push([rows, count(ctx.bottoms[2], 1)]);
  params.push([rows, hidden]);
  if (kind.type === 'RNN') params.push([hidden, hidden], [hidden]);
  const tops = [[t, n, hidden], ...Array.from({ length: exposed }, () => [...state])];
  const macs = t * n * rows * (input + hidden) + (kind.type === 'RNN' ? t * n * hidden * hidden : 0);
  return { tops, params, macs };
}

/** What the unrolled net computes, per stream and step, in float64. */
function recurrentForward(kind: RecurrentKind) {
  return (layer: ForwardLayer, bottoms: Tensor[], params: Float32Array[]): Tensor[] => {
    const p = layer.typeParam;
    const hidden = Number(p.num_output);
    const exposed = p.expose_hidden === true ? kind.states : 0;
    const [x, cont] = bottoms;
    const [t, n] = x.shape;
    const staticInput = bottoms.length > 2 + exposed;
    const xs = staticInput ? bottoms[2] : undefined;
    const rows = kind.gates * hidden;
    const input = countOf(x.shape, 2);
    const [wx, bx] = params;
    const ws = staticInput ? params[2] : undefined;
    const wh = params[staticInput ? 3 : 2];
    const [wo, bo] = kind.type === 'RNN' ? params.slice(staticInput ? 4 : 3) : [];
    const statics = xs ? countOf(xs.shape, 1) : 0;
    const initial = (i: number) => (exposed ? bottoms[2 + (staticInput ? 1 : 0) + i].data : new Float32Array(n * hidden));
    const out = new Float32Array(t * n * hidden);
    const finalH = new Float32Array(n * hidden);
    const finalC = new Float32Array(n * hidden);
    const pre = new Float64Array(rows);
    for (let item = 0; item < n; item++) {
      let h = Float64Array.from(initial(0).subarray(item * hidden, (item + 1) * hidden));
      let c = kind.type === 'LSTM' ? Float64Array.from(initial(1).subarray(item * hidden, (item + 1) * hidden)) : undefined;
      for (let step = 0; step < t; step++) {
        const flag = cont.data[step * n + item];
        const xOff = (step * n + item) * input;
        for (let r = 0; r < rows; r++) {
          let acc = bx[r];
          for (let k = 0; k < input; k++) acc += wx[r * input + k] * x.data[xOff + k];
          if (ws && xs) for (let k = 0; k < statics; k++) acc += ws[r * statics + k] * xs.data[item * statics + k];
          // W·h_conted, h_conted = cont·h (the Scale layer before the recurrent InnerProduct).
          for (let k = 0; k < hidden; k++) acc += wh[r * hidden + k] * flag * h[k];
          pre[r] = acc;
        }
        let emitted: Float64Array;
        if (c) {
          const cell = lstmCell(pre, 0, c, 0, flag, hidden);
          [c, h] = [cell.c, cell.h];
          emitted = h;
        } else {
          h = pre.map(Math.tanh);
          emitted = new Float64Array(hidden);
          for (let r = 0; r < hidden; r++) {
            let acc = bo[r];
            for (let k = 0; k < hidden; k++) acc += wo[r * hidden + k] * h[k];
            emitted[r] = Math.tanh(acc);
          }
        }
        out.set(emitted, (step * n + item) * hidden);
      }
      finalH.set(h, item * hidden);
      if (c) finalC.set(c, item * hidden);
    }
    const tops: Tensor[] = [{ shape: [t, n, hidden], data: out }];
    if (exposed) tops.push({ shape: [1, n, hidden], data: finalH });
    if (exposed > 1) tops.push({ shape: [1, n, hidden], data: finalC });
    return tops;
  };
}

function recurrent(kind: RecurrentKind): LayerModule {
  return {
    type: kind.type,
    paramField: 'recurrent_param',
    // Caffe's Min/MaxBottomBlobs and ExactNumTopBlobs depend on expose_hidden: the widest range here, the
    // exact count in the shape rule.
    bottoms: between(2, 3 + kind.states),
    tops: between(1, 1 + kind.states),
    inPlace: false,
    forward: recurrentForward(kind),
    paramBlobs: (layer) => {
      const staticInput = layer.paramShapes.length > (kind.type === 'RNN' ? 5 : 3);
      const w = (role: string) => ({ role, filler: 'weight_filler' });
      const b = (role: string) => ({ role, filler: 'bias_filler' });
      return kind.type === 'LSTM'
        ? [w('W_xc'), b('b_c'), ...(staticInput ? [w('W_xc_static')] : []), w('W_hc')]
        : [w('W_xh'), b('b_h'), ...(staticInput ? [w('W_xh_static')] : []), w('W_hh'), w('W_ho'), b('b_o')];
    },
    infer: (ctx) => recurrentShapes(ctx, kind),
  };
}

export const lstm = recurrent({ type: 'LSTM', states: 2, gates: 4 });
export const rnn = recurrent({ type: 'RNN', states: 1, gates: 1 });
