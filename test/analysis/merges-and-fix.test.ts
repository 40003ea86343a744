// A hand-made net whose Eltwise joins misaligned blobs: diagnosed with both maps; --fix-crops writes a
// copy that parses, differs only in the crop offset, and analyses clean.
import { describe, expect, it } from 'vitest';
import { analyzeNet } from '../../src/analysis/analyze-net.js';
import { fixCrops } from '../../src/analysis/fix-crops.js';
import { load } from '../helpers/analysis.js';

// "same" keeps 32 px (pad 1 → x); "valid" loses a border (pad 0 → x − 1). The crop should be offset 1.
const misaligned = `# a skip connection
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 32 dim: 32 } } }
layer { name: "same" type: "Convolution" bottom: "data" top: "same" convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }
layer { name: "valid" type: "Convolution" bottom: "data" top: "valid" convolution_param { num_output: 4 kernel_size: 3 } }
layer {
  name: "align"   # keep this comment
  type: "Crop" bottom: "same" bottom: "valid" top: "aligned"
  crop_param { axis: 2 offset: 0 }
}
layer { name: "fuse" type: "Eltwise" bottom: "aligned" bottom: "valid" top: "fuse" }
`;

describe('merges', () => {
  it('diagnoses a misaligned Eltwise with both maps and the missing offset', () => {
    const report = analyzeNet(load(misaligned));
    expect(report.merges.map((m) => [m.layer.name, m.ok, m.reason])).toEqual([
      ['fuse', false, 'misaligned merge at "fuse": a=1, b=0 vs b=-1 — did you forget a Crop with offset 1?'],
    ]);
    expect(report.crops[0]).toMatchObject({ offsetFile: [0, 0], offsetComputed: [1, 1], ok: false });
  });

  it('says nothing about a Crop when the offsets are not integers', () => {
    const text = misaligned
      .replace('kernel_size: 3 } }\nlayer {\n', 'kernel_size: 2 } }\nlayer {\n')
      .replace(/layer \{\n  name: "align"[\s\S]*?\n\}\n/, '');
    const net = load(
      text
        .replace('bottom: "aligned" bottom: "valid"', 'bottom: "cut" bottom: "valid"')
        .replace(
          'layer { name: "fuse"',
          'layer { name: "cut" type: "Crop" bottom: "same" bottom: "valid" top: "cut" }\nlayer { name: "fuse"',
        ),
    );
    const [merge] = analyzeNet(net).merges;
    expect(merge.reason).toBe('misaligned merge at "fuse": a=1, b=0 vs b=-0.5');
  });

  it('reports aligned merges too', () => {
    const fixed = misaligned.replace('offset: 0', 'offset: 1');
    expect(analyzeNet(load(fixed)).merges.map((m) => [m.layer.name, m.ok])).toEqual([['fuse', true]]);
  });
});

describe('--fix-crops', () => {
  it('changes only the offset, keeps comments and layout, and then analyses clean', () => {
    const { text, fixed } = fixCrops(misaligned, analyzeNet(load(misaligned)).crops);
    expect(fixed.map((c) => c.layer.name)).toEqual(['align']);
    expect(text).toBe(misaligned.replace('crop_param { axis: 2 offset: 0 }', 'crop_param { axis: 2 offset: 1 }'));
    const after = analyzeNet(load(text));
    expect(after.crops.every((c) => c.ok) && after.merges.every((m) => m.ok)).toBe(true);
  });

  it('inserts an offset into an empty crop_param, and a crop_param where there is none', () => {
    const empty = misaligned.replace('crop_param { axis: 2 offset: 0 }', 'crop_param: { axis: 2 }');
    expect(fixCrops(empty, analyzeNet(load(empty)).crops).text).toContain('crop_param: { offset: 1 axis: 2 }');
    const none = misaligned.replace('  crop_param { axis: 2 offset: 0 }\n', '');
    const { text } = fixCrops(none, analyzeNet(load(none)).crops);
    expect(text).toContain('type: "Crop" crop_param { offset: 1 } bottom: "same"');
    expect(analyzeNet(load(text)).crops[0].ok).toBe(true);
  });

  it('writes per-axis offsets where the axes need different ones', () => {
    const rect = misaligned
      .replace('convolution_param { num_output: 4 kernel_size: 3 } }', 'convolution_param { num_output: 4 kernel_h: 3 kernel_w: 5 } }')
      .replace('kernel_size: 3 pad: 1', 'kernel_h: 3 kernel_w: 3 pad_h: 1 pad_w: 1');
    const report = analyzeNet(load(rect));
    expect(report.crops[0].offsetComputed).toEqual([1, 2]);
    const { text } = fixCrops(rect, report.crops);
    expect(text).toContain('crop_param { axis: 2 offset: 1 offset: 2 }');
    expect(analyzeNet(load(text)).crops[0].ok).toBe(true);
  });
});
