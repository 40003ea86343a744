// x [N, C, H, W] → [N, H, W, C]: puts the channel loop of the dense Deconvolution kernel on
// contiguous memory (docs/performance-notes.md#channel-contiguous-layout: 1.2–1.35× on
// cpu and webasm), for one pass over the input per call.
import { coordinates, kernelFunction, linear } from './kernel-source.js';
import type { ConvParams } from './conv-params.js';

export function channelsLastSource(q: ConvParams): string {
  const { cin, inH, inW } = q;
  const body = `
    ${coordinates([q.outer, inH, inW, cin], ['n', 'iy', 'ix', 'c'])}
    return x[${linear([
      ['n', cin * inH * inW],
      ['c', inH * inW],
      ['iy', inW],
      ['ix', 1],
    ])}];`;
  return kernelFunction(['x'], body);
}
