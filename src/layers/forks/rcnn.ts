// Faster R-CNN's ROIPooling (rbgirshick/caffe-fast-rcnn, the fork py-faster-rcnn builds: roi_pooling_layer.cpp):
// max pooling of each region of interest into a fixed pooled_h × pooled_w grid. Bottoms: the feature map
// (N×C×H×W) and the ROIs (R×5, each [batch index, x1, y1, x2, y2] in image coordinates); top R×C×pooled_h×
// pooled_w. The parameters are read in the fork's numbering (roi_pooling_param = 8266711, which OpenCV's
// dialect shares). A reference forward written from the fork's Forward_cpu, run as a host step: the box
// corners are scaled by spatial_scale and rounded (half away from zero), the bins split the box with
// floor/ceil, are clipped to the map, an empty bin gives 0.
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import { bottomName, showShape } from '../blob-checks.js';
import { count } from '../shape-utils.js';

const f32 = Math.fround;
/** C's round(): halves away from zero (Math.round rounds -2.5 to -2). */
const cRound = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

function roiPoolingForward(layer: ForwardLayer, [x, rois]: Tensor[]): Tensor[] {
  const p = layer.typeParam;
  const [ph, pw] = [Number(p.pooled_h), Number(p.pooled_w)];
  const scale = f32(Number(p.spatial_scale ?? 1));
  const [n, c, h, w] = x.shape;
  const r = rois.shape[0];
  const out = new Float32Array(r * c * ph * pw);
  for (let i = 0; i < r; i++) {
    const roi = rois.data.subarray(i * 5, i * 5 + 5);
    // The fork's `int roi_batch_ind = bottom_rois[0]` truncates, then CHECKs the range.
    const item = Math.trunc(roi[0]);
    if (!(item >= 0 && item < n))
      throw new Error(`layer "${layer.name}" (ROIPooling): ROI ${i} names batch item ${item}; the feature map has ${n} (0 to ${n - 1})`);
    const startW = cRound(f32(roi[1] * scale));
    const startH = cRound(f32(roi[2] * scale));
    const endW = cRound(f32(roi[3] * scale));
    const endH = cRound(f32(roi[4] * scale));
    const binH = f32(Math.max(endH - startH + 1, 1) / ph);
    const binW = f32(Math.max(endW - startW + 1, 1) / pw);
    for (let ch = 0; ch < c; ch++) {
      const plane = (item * c + ch) * h * w;
      const o = (i * c + ch) * ph * pw;
      for (let y = 0; y < ph; y++) {
        const hs = Math.min(Math.max(Math.floor(f32(y * binH)) + startH, 0), h);
        const he = Math.min(Math.max(Math.ceil(f32((y + 1) * binH)) + startH, 0), h);
        for (let xx = 0; xx < pw; xx++) {
          const ws = Math.min(Math.max(Math.floor(f32(xx * binW)) + startW, 0), w);
          const we = Math.min(Math.max(Math.ceil(f32((xx + 1) * binW)) + startW, 0), w);
          if (he <= hs || we <= ws) {
            out[o + y * pw + xx] = 0;
            continue;
          }
          let max = -Infinity;
          for (let yy = hs; yy < he; yy++)
            for (let k = ws; k < we; k++) {
              const v = x.data[plane + yy * w + k];
              if (v > max) max = v;
            }
          out[o + y * pw + xx] = max;
        }
      }
    }
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}

export const roiPooling: LayerModule = {
  type: 'ROIPooling',
  paramField: 'roi_pooling_param',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  forward: roiPoolingForward,
  infer(ctx) {
    const p = ctx.param;
    for (const field of ['pooled_h', 'pooled_w'])
      if (!(Number(p[field] ?? 0) > 0)) ctx.fail(`${field} must be > 0 (got ${Number(p[field] ?? 0)})`, { msg: p, field });
    const [x, rois] = ctx.bottoms;
    const [xn, rn] = [bottomName(ctx, 0), bottomName(ctx, 1)];
    if (x.length !== 4) ctx.fail(`the feature map ("${xn}") must be N×C×H×W (got ${showShape(x)})`);
    if (rois.length < 1 || count(rois) !== rois[0] * 5)
      ctx.fail(`the ROIs ("${rn}", ${showShape(rois)}) must be R×5: [batch index, x1, y1, x2, y2] per region`);
    const [ph, pw] = [Number(p.pooled_h), Number(p.pooled_w)];
    const top = [rois[0], x[1], ph, pw];
    return { tops: [top], params: [], macs: 0 };
  },
};
