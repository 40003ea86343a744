// Forward passes of SoftmaxWithLoss and Accuracy (REFERENCE §2.12, §2.13), so a train_val net runs whole at
// TEST time, as pycaffe's net.forward() does. Labels are read as Caffe casts them (static_cast<int>). A label
// out of range (and not ignore_label) makes the result NaN: Caffe only checks it in debug builds.
//
// SoftmaxWithLoss: −Σ log(max(p[label], FLT_MIN)) over the positions whose label is not ignored, divided by
// the normalizer of loss_param.normalization (VALID: the counted positions; FULL: all; BATCH_SIZE: the outer
// count; NONE: 1; the legacy `normalize: false` means BATCH_SIZE), at least 1. Its second top is the softmax.
// Accuracy: a position counts when fewer than top_k classes score ≥ the true class's score (the true class
// among them); the second top is the accuracy per class.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../runtime/kernel-plan.js';
import { int, kernelFunction } from '../../runtime/kernel-source.js';
import type { Tensor } from '../../runtime/tensor.js';
import { countOf } from '../../runtime/tensor.js';
import type { Msg } from '../../schema/message.js';
import { softmaxForward, softmaxLower } from './softmax.js';

const FLT_MIN = 1.17549435e-38;

function split(layer: Layer, axisValue: unknown): { outer: number; dim: number; inner: number } {
  const shape = layer.bottoms[0].shape;
  const raw = Number(axisValue ?? 1);
  const axis = raw < 0 ? raw + shape.length : raw;
  return { outer: countOf(shape, 0, axis), dim: shape[axis], inner: countOf(shape, axis + 1) };
}

function ignoreLabel(p: Msg | undefined): number | undefined {
  return p?.ignore_label === undefined ? undefined : Number(p.ignore_label);
}

/** 'VALID' | 'FULL' | 'BATCH_SIZE' | 'NONE', with the legacy `normalize` flag. */
function normalization(layer: Layer): string {
  const p = layer.proto.loss_param as Msg | undefined;
  if (p?.normalization !== undefined) return String(p.normalization);
  if (p?.normalize !== undefined) return p.normalize === false ? 'BATCH_SIZE' : 'VALID';
  return 'VALID';
}

const toInt = (v: number) => (v >= 0 ? Math.floor(v) : Math.ceil(v));

export function softmaxWithLossForward(layer: Layer, [x, label]: Tensor[]): Tensor[] {
  const { outer, dim, inner } = split(layer, layer.typeParam.axis);
  const ignore = ignoreLabel(layer.proto.loss_param as Msg | undefined);
  const [prob] = softmaxForward(layer, [x]);
  let loss = 0;
  let counted = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const l = toInt(label.data[o * inner + i]);
      if (l === ignore) continue;
      loss -= l >= 0 && l < dim ? Math.log(Math.max(prob.data[(o * dim + l) * inner + i], FLT_MIN)) : NaN;
      counted++;
    }
  }
  const mode = normalization(layer);
  const normalizer = Math.max(1, mode === 'FULL' ? outer * inner : mode === 'VALID' ? counted : mode === 'BATCH_SIZE' ? outer : 1);
  const tops: Tensor[] = [{ shape: [], data: Float32Array.of(loss / normalizer) }];
  if (layer.tops.length > 1) tops.push(prob);
  return tops;
}

export function softmaxWithLossLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner } = split(layer, layer.typeParam.axis);
  const ignore = ignoreLabel(layer.proto.loss_param as Msg | undefined);
  const mode = normalization(layer);
  const normalizer = mode === 'FULL' ? `${int(outer * inner)}.0` : mode === 'VALID' ? 'counted' : mode === 'BATCH_SIZE' ? `${int(outer)}.0` : '1.0';
  const at = (k: string) => `x[(o * ${int(dim)} + ${k}) * ${int(inner)} + i]`;
  const body = `
    let loss = 0.0;
    let counted = 0.0;
    for (let o = 0; o < ${int(outer)}; o++) {
      for (let i = 0; i < ${int(inner)}; i++) {
        const raw = label[o * ${int(inner)} + i];
        let l = Math.floor(raw);
        if (raw < 0.0) { l = Math.ceil(raw); }
        if (${ignore === undefined ? 'true' : `l !== ${int(ignore)}.0`}) {
          counted += 1.0;
          if (l < 0.0 || l >= ${int(dim)}.0) {
            loss = loss + 0.0 / 0.0;
          } else {
            let max = -3.4028234663852886e+38;
            for (let k = 0; k < ${int(dim)}; k++) { max = Math.max(max, ${at('k')}); }
            let sum = 0.0;
            let mine = 0.0;
            for (let k = 0; k < ${int(dim)}; k++) {
              const e = Math.exp(${at('k')} - max);
              sum += e;
              if (k === l) { mine = e; }
            }
            loss -= Math.log(Math.max(mine / sum, ${FLT_MIN}));
          }
        }
      }
    }
    return loss / Math.max(1.0, ${normalizer});`;
  const kernels: LoweredLayer['kernels'] = [{ source: kernelFunction(['x', 'label'], body), args: [{ bottom: 0 }, { bottom: 1 }], size: 1, out: { top: 0 } }];
  if (layer.tops.length > 1) kernels.push({ ...softmaxLower(layer).kernels[0], size: layer.tops[1].count, out: { top: 1 } });
  return { kernels };
}

function accuracyParams(layer: Layer) {
  const p = layer.typeParam;
  return { ...split(layer, p.axis), topK: Number(p.top_k ?? 1), ignore: ignoreLabel(p) };
}

export function accuracyForward(layer: Layer, [x, label]: Tensor[]): Tensor[] {
  const { outer, dim, inner, topK, ignore } = accuracyParams(layer);
  let correct = 0;
  let counted = 0;
  const perClass = new Float64Array(dim);
  const perClassCount = new Float64Array(dim);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const l = toInt(label.data[o * inner + i]);
      if (l === ignore) continue;
      counted++;
      if (l < 0 || l >= dim) {
        correct = NaN;
        continue;
      }
      perClassCount[l]++;
      const truth = x.data[(o * dim + l) * inner + i];
      let better = -1; // the true class counts itself
      for (let k = 0; k < dim && better < topK; k++) if (x.data[(o * dim + k) * inner + i] >= truth) better++;
      if (better < topK) {
        correct++;
        perClass[l]++;
      }
    }
  }
  const tops: Tensor[] = [{ shape: [], data: Float32Array.of(counted === 0 ? 0 : correct / counted) }];
  if (layer.tops.length > 1) tops.push({ shape: [dim], data: Float32Array.from(perClass, (c, k) => (perClassCount[k] === 0 ? 0 : c / perClassCount[k])) });
  return tops;
}

export function accuracyLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner, topK, ignore } = accuracyParams(layer);
  // One thread per class for the per-class top (c = the thread); the overall accuracy uses c = -1 (all).
  const body = (perClass: boolean) => `
    let correct = 0.0;
    let counted = 0.0;
    for (let o = 0; o < ${int(outer)}; o++) {
      for (let i = 0; i < ${int(inner)}; i++) {
        const raw = label[o * ${int(inner)} + i];
        let l = Math.floor(raw);
        if (raw < 0.0) { l = Math.ceil(raw); }
        if (${ignore === undefined ? 'true' : `l !== ${int(ignore)}.0`}${perClass ? ' && l === this.thread.x' : ''}) {
          counted += 1.0;
          if (l < 0.0 || l >= ${int(dim)}.0) {
            correct = correct + 0.0 / 0.0;
          } else {
            const truth = x[(o * ${int(dim)} + l) * ${int(inner)} + i];
            let better = -1.0;
            for (let k = 0; k < ${int(dim)}; k++) {
              if (x[(o * ${int(dim)} + k) * ${int(inner)} + i] >= truth) { better += 1.0; }
            }
            if (better < ${int(topK)}.0) { correct += 1.0; }
          }
        }
      }
    }
    if (counted === 0.0) { return 0.0; }
    return correct / counted;`;
  const kernels: LoweredLayer['kernels'] = [{ source: kernelFunction(['x', 'label'], body(false)), args: [{ bottom: 0 }, { bottom: 1 }], size: 1, out: { top: 0 } }];
  if (layer.tops.length > 1) kernels.push({ source: kernelFunction(['x', 'label'], body(true)), args: [{ bottom: 0 }, { bottom: 1 }], size: dim, out: { top: 1 } });
  return { kernels };
}
