// Caffe's FilterNet / StateMeetsRule (docs/caffe-semantics.md#net-filtering), including test_net.cpp's multi-rule example.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, loadNet } from '../../src/index.js';
import { stateMeetsRule } from '../../src/frontend/net-state.js';

const base = `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 } } }\n`;
const relu = (name: string, rules: string) => `layer { name: "${name}" type: "ReLU" bottom: "data" top: "${name}" ${rules} }\n`;
const kept = (text: string, options = {}) =>
  loadNet(text, options)
    .layers.map((l) => l.name)
    .slice(1);

describe('net state filtering', () => {
  it('defaults to phase TEST, level 0, no stages', () => {
    const text = base + relu('train', 'include { phase: TRAIN }') + relu('test', 'include { phase: TEST }') + relu('always', '');
    expect(kept(text)).toEqual(['test', 'always']);
    expect(kept(text, { phase: 'train' })).toEqual(['train', 'always']);
  });

  it('matches test_net.cpp TestFilterInOutByIncludeMultiRule', () => {
    const text = base + relu('a', 'include { min_level: 2 phase: TRAIN }') + relu('b', 'include { min_level: 2 phase: TEST }');
    expect(kept(text, { phase: 'train', level: 4 })).toEqual(['a']);
    expect(kept(text, { phase: 'test', level: 4 })).toEqual(['b']);
    expect(kept(text, { phase: 'test', level: 1 })).toEqual([]);
  });

  it('ORs include rules and ANDs the conditions inside one rule', () => {
    const text = base + relu('x', 'include { stage: "s1" stage: "s2" } include { max_level: -1 }');
    expect(kept(text, { stages: ['s1'] })).toEqual([]);
    expect(kept(text, { stages: ['s1', 's2'] })).toEqual(['x']);
    expect(kept(text, { level: -1 })).toEqual(['x']);
  });

  it('drops a layer when any exclude rule is met', () => {
    const text = base + relu('x', 'exclude { not_stage: "deploy" } exclude { phase: TRAIN }');
    expect(kept(text)).toEqual([]);
    expect(kept(text, { stages: ['deploy'] })).toEqual(['x']);
    expect(kept(text, { stages: ['deploy'], phase: 'train' })).toEqual([]);
  });

  it("appends the given stages to the file's own state", () => {
    const text = `state { stage: "a" }\n` + base + relu('x', 'include { stage: "a" stage: "b" }');
    expect(kept(text)).toEqual([]);
    expect(kept(text, { stages: ['b'] })).toEqual(['x']);
  });

  it("rejects include and exclude on one layer, with Caffe's message", () => {
    const text = base + relu('x', 'include { phase: TEST }\n  exclude { phase: TRAIN }');
    try {
      loadNet(text, { file: 'net.prototxt' });
      expect.unreachable();
    } catch (e) {
      const d = (e as DiagnosticError).diagnostics[0];
      expect(d.message).toBe('layer "x": Specify either include rules or exclude rules; not both.');
      expect(d.location).toMatchObject({ line: 3, column: 3 });
    }
  });

  it('an unset rule phase matches any phase', () => {
    expect(stateMeetsRule({ phase: 'TRAIN', level: 0, stages: [] }, {})).toBe(true);
    expect(stateMeetsRule({ phase: 'TEST', level: 0, stages: [] }, { min_level: 1 })).toBe(false);
  });

  it('rejects an unknown phase name', () => {
    expect(() => loadNet(base, { phase: 'deploy' as 'train' })).toThrow('phase must be "train" or "test", not "deploy"');
  });
});
