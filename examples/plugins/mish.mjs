// A brewnet layer plug-in: Mish (x · tanh(softplus(x))), found in Caffe ports of YOLOv4 and not in any
// Caffe. Load it with `--plugin examples/plugins/mish.mjs` on any command, or `registerLayer(mish)` from
// code. A plug-in is one object: its type, its parameter message (proto2 text, the LayerParameter field
// that holds it and that field's number), blob counts, shape rule, and a reference forward. With no
// gpu.js lowering it runs on the host; `lower(layer)` may add kernels (see src/layers/compute/).
//
//   layer { name: "act" type: "Mish" bottom: "conv" top: "act" mish_param { beta: 1 } }

/** @type {import('brewnet').LayerPlugin} */
const mish = {
  type: 'Mish',
  param: {
    proto: 'message MishParameter { optional float beta = 1 [default = 1]; }',
    field: 'mish_param',
    id: 91001,
    message: 'MishParameter',
  },
  bottoms: 1,
  tops: 1,
  inPlace: true,
  // Element-wise: every top unit sits where its bottom unit sits (coordinate maps pass through).
  passThrough: true,
  infer(ctx) {
    const beta = Number(ctx.param.beta ?? 1);
    if (!(beta > 0)) ctx.fail(`beta must be positive (got ${beta})`, { msg: ctx.param, field: 'beta' });
    const n = ctx.bottoms[0].reduce((a, d) => a * d, 1);
    return { tops: [[...ctx.bottoms[0]]], params: [], macs: n };
  },
  // softplus_β(x) = log(1 + exp(βx)) / β, linear above βx = 20 as PyTorch's softplus is.
  forward(layer, [x]) {
    const beta = Number(layer.typeParam.beta ?? 1);
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = x.data[i];
      const sp = beta * v > 20 ? v : Math.log1p(Math.exp(beta * v)) / beta;
      out[i] = v * Math.tanh(sp);
    }
    return [{ shape: [...x.shape], data: out }];
  },
};

export default mish;
