// Deterministic generator of large ResNet-50-style prototxt files for the parse-speed benchmark.
//
// The net is one stem (conv1/bn/scale/relu/pool1), then ResNet-50's body (stages of 3, 4, 6 and 3
// bottleneck units, each a 1×1 → 3×3 → 1×1 conv chain with BatchNorm+Scale+ReLU, an Eltwise sum with
// the shortcut, and a projection shortcut on the first unit of a stage) repeated with fresh names until
// the file reaches the requested size, then the head (global pool, fc1000, softmax). Every conv has
// stride 1 and "same" padding, so the spatial size never collapses and the chain is valid for any
// number of repetitions: shape inference runs through all of it. The text is written the way the BVLC
// ResNet-50 deploy file is (tabs, a blank line between layers), so the bytes per layer are realistic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Input blob shape given in the file's `input_shape` header. */
export const INPUT_SHAPE = [1, 3, 56, 56] as const;
const CLASSES = 1000;
// ResNet-50: units per stage and the bottleneck width of each stage (outputs are 4× wider).
const STAGES: { units: number; width: number }[] = [
  { units: 3, width: 64 },
  { units: 4, width: 128 },
  { units: 6, width: 256 },
  { units: 3, width: 512 },
];

function layer(name: string, type: string, bottoms: string[], top: string, param = ''): string {
  const b = bottoms.map((x) => `\tbottom: "${x}"\n`).join('');
  return `layer {\n${b}\ttop: "${top}"\n\tname: "${name}"\n\ttype: "${type}"\n${param}}\n\n`;
}

function conv(name: string, bottom: string, numOutput: number, kernel: number, biasTerm: boolean): string {
  const pad = (kernel - 1) / 2;
  const bias = biasTerm ? '' : '\t\tbias_term: false\n';
  const param = `\tconvolution_param {\n\t\tnum_output: ${numOutput}\n\t\tkernel_size: ${kernel}\n\t\tpad: ${pad}\n\t\tstride: 1\n${bias}\t}\n`;
  return layer(name, 'Convolution', [bottom], name, param);
}

/** conv + BatchNorm + Scale (+ ReLU), in place after the conv, as ResNet-50 names them. */
function convBnScale(convName: string, suffix: string, bottom: string, numOutput: number, kernel: number, relu: boolean): string {
  let s = conv(convName, bottom, numOutput, kernel, false);
  s += layer(`bn${suffix}`, 'BatchNorm', [convName], convName, '\tbatch_norm_param {\n\t\tuse_global_stats: true\n\t}\n');
  s += layer(`scale${suffix}`, 'Scale', [convName], convName, '\tscale_param {\n\t\tbias_term: true\n\t}\n');
  if (relu) s += layer(`${convName}_relu`, 'ReLU', [convName], convName);
  return s;
}

/** One repetition of ResNet-50's body; `prefix` makes every name fresh. Returns the text and its output blob. */
function body(prefix: string, input: string): { text: string; output: string } {
  let text = '';
  let bottom = input;
  STAGES.forEach(({ units, width }, stage) => {
    for (let u = 0; u < units; u++) {
      const id = `${prefix}${stage + 2}${String.fromCharCode(97 + u)}`; // e.g. r3_2a
      const res = `res${id}`;
      let shortcut = bottom;
      if (u === 0) {
        text += convBnScale(`${res}_branch1`, `${id}_branch1`, bottom, width * 4, 1, false);
        shortcut = `${res}_branch1`;
      }
      text += convBnScale(`${res}_branch2a`, `${id}_branch2a`, bottom, width, 1, true);
      text += convBnScale(`${res}_branch2b`, `${id}_branch2b`, `${res}_branch2a`, width, 3, true);
      text += convBnScale(`${res}_branch2c`, `${id}_branch2c`, `${res}_branch2b`, width * 4, 1, false);
      text += layer(res, 'Eltwise', [shortcut, `${res}_branch2c`], res);
      text += layer(`${res}_relu`, 'ReLU', [res], res);
      bottom = res;
    }
  });
  return { text, output: bottom };
}

export interface GeneratedNet {
  text: string;
  layers: number;
  repetitions: number;
}

/** A net of at least `bytes` bytes (it stops after the first repetition that reaches the size). */
export function generateResNet(bytes: number): GeneratedNet {
  const parts: string[] = [];
  let size = 0;
  let layers = 0;
  const push = (s: string) => {
    parts.push(s);
    size += s.length; // ASCII only, so characters are bytes
    layers += s.split('layer {').length - 1;
  };
  const dims = INPUT_SHAPE.map((d) => `dim: ${d}`).join(' ');
  push(`name: "ResNet-50-generated"\ninput: "data"\ninput_shape { ${dims} }\n\n`);
  push(convBnScale('conv1', '_conv1', 'data', 64, 7, true));
  push(
    layer('pool1', 'Pooling', ['conv1'], 'pool1', '\tpooling_param {\n\t\tkernel_size: 3\n\t\tstride: 1\n\t\tpad: 1\n\t\tpool: MAX\n\t}\n'),
  );
  const head = (bottom: string) =>
    layer('pool5', 'Pooling', [bottom], 'pool5', '\tpooling_param {\n\t\tpool: AVE\n\t\tglobal_pooling: true\n\t}\n') +
    layer('fc1000', 'InnerProduct', ['pool5'], 'fc1000', `\tinner_product_param {\n\t\tnum_output: ${CLASSES}\n\t}\n`) +
    layer('prob', 'Softmax', ['fc1000'], 'prob');
  let bottom = 'pool1';
  let repetitions = 0;
  do {
    const b = body(`r${repetitions}_`, bottom);
    push(b.text);
    bottom = b.output;
    repetitions++;
  } while (size + head(bottom).length < bytes);
  push(head(bottom));
  return { text: parts.join(''), layers, repetitions };
}

/** Writes the net of `megabytes` MB (10^6 bytes) to `path`; returns what it wrote. */
export function writeResNet(path: string, megabytes: number): GeneratedNet & { bytes: number } {
  const net = generateResNet(megabytes * 1e6);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, net.text, 'latin1');
  return { ...net, bytes: net.text.length };
}
