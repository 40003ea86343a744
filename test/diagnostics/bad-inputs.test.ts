// Bad input, case by case: every malformed net a user can write gets one exact diagnostic (the message,
// file:line:column and, where it helps, the hint). The expected values were worked out from the input by
// hand (columns counted in the text below; Caffe's own messages from docs/caffe-semantics.md#conventions) and then checked
// against brewnet. Columns are 1-based and count UTF-16 units, as the parser does.
//
// An empty file, or one with only comments, is not an error: protobuf reads it as an empty NetParameter
// and Caffe builds an empty net from that. loadNet does the same (0 layers, no diagnostic), so those two
// rows expect no diagnostics at all.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, formatDiagnostic, loadNet, type LoadOptions } from '../../src/index.js';

interface Expected {
  severity?: 'error' | 'note';
  message: string;
  /** [line, column]; null for a diagnostic without a place in the file (command-line options). */
  at: [number, number] | null;
  hint?: string;
}

interface Case {
  title: string;
  text: string;
  options?: LoadOptions;
  /** Every diagnostic, in order; [] means the input is accepted. */
  expected: Expected[];
}

const FILE = 'bad.prototxt';

const err = (line: number, column: number, message: string, hint?: string): Expected => ({ message, at: [line, column], hint });
const unlocated = (message: string, hint?: string): Expected => ({ message, at: null, hint });

/** Line 1 of most graph cases: data is 1×3×8×8. */
const DATA = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
const input = (name: string, dims: number[]) =>
  `layer { name: "${name}" type: "Input" top: "${name}" input_param { shape { ${dims.map((d) => `dim: ${d}`).join(' ')} } } }\n`;
/** A layer over lines: `layer {` on its own line, then one field per line indented by two spaces. */
const layer = (...fields: string[]) => `layer {\n${fields.map((f) => `  ${f}\n`).join('')}}\n`;
const conv = (name: string, param: string, bottom = 'data') =>
  layer(`name: "${name}"`, 'type: "Convolution"', `bottom: "${bottom}"`, `top: "${name}"`, `convolution_param { ${param} }`);

// The big ones. A 10 MB line of valid layers: each copy of REPEATED is 60 characters.
const REPEATED = 'layer { name: "r" type: "ReLU" bottom: "data" top: "data" } ';
const COPIES = 166_667; // 60 × 166 667 = 10 000 020 characters
const HEAD = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 } } } '; // 82 characters
const TEN_MB_LINE = HEAD + REPEATED.repeat(COPIES);
const TEN_MB_COLUMN = HEAD.length + REPEATED.length * COPIES + 1; // the first column after the repeated part

// The first bytes of a .caffemodel (field 1 `name`, length 5, "lenet", field 2 …) with NULs and high bytes,
// read as latin1 the way a careless caller might hand it over.
const CAFFEMODEL = Buffer.from([0x0a, 0x05, 0x6c, 0x65, 0x6e, 0x65, 0x74, 0x12, 0x00, 0x00, 0x8f, 0xff, 0x1a, 0x03, 0x00]).toString(
  'latin1',
);

const cases: Case[] = [
  // ---- Syntax (the scanner and parser) ----
  {
    title: 'missing closing brace',
    text: 'layer {\n  name: "a"\n  type: "Input"\n',
    // The end of the text is line 4, column 1.
    expected: [err(4, 1, 'expected "}", found end of file', 'the "{" at line 1:7 is never closed')],
  },
  {
    title: 'stray closing brace',
    text: 'name: "x"\n}\n',
    expected: [err(2, 1, 'unexpected "}"; expected a field name')],
  },
  {
    title: 'field with a colon but no value',
    text: 'layer {\n  name:\n}\n',
    expected: [err(3, 1, 'expected a value after ":", found "}"')],
  },
  {
    title: '":" without a value at the end of the file',
    text: 'name:',
    expected: [err(1, 6, 'expected a value after ":", found end of file')],
  },
  {
    title: 'field name without ":" or "{"',
    text: 'layer {\n  name\n}\n',
    expected: [err(3, 1, 'expected ":" or "{" after the field name, found "}"')],
  },
  {
    title: 'unterminated string',
    text: 'layer {\n  name: "conv1\n}\n',
    expected: [err(2, 9, 'unterminated string (missing closing quote on this line)')],
  },
  {
    title: 'bad escape in a string',
    text: 'name: "a\\qb"\n',
    // `"` is column 7, `a` 8, the backslash 9.
    expected: [err(1, 9, 'invalid escape sequence \\q', 'write a backslash itself as \\\\')],
  },
  {
    title: '$ template placeholder',
    text: 'layer {\n  convolution_param { num_output: $NUM }\n}\n',
    expected: [err(2, 35, 'unexpected character "$"', 'this looks like a template placeholder; substitute it before use')],
  },
  {
    title: 'number junk 1.2.3',
    text: 'layer {\n  loss_weight: 1.2.3\n}\n',
    expected: [err(2, 16, 'malformed number "1.2.3"')],
  },
  {
    title: 'number run into a name: 3x3',
    text: 'layer {\n  convolution_param { kernel_size: 3x3 }\n}\n',
    expected: [err(2, 36, 'malformed number "3x3"')],
  },
  {
    title: '"=" instead of ":"',
    text: 'layer {\n  name = "x"\n}\n',
    expected: [err(2, 8, 'unexpected character "="', 'fields are written name: value (or name { … } for a message)')],
  },
  {
    title: 'byte order mark',
    text: '\uFEFFname: "x"\n',
    expected: [err(1, 1, 'unexpected character U+FEFF (byte order mark)', 'save the file as UTF-8 without a byte order mark')],
  },
  {
    title: 'JSON instead of prototxt',
    text: '{\n  "name": "x"\n}\n',
    expected: [
      err(1, 1, 'unexpected "{"; expected a field name', 'this looks like JSON; prototxt is written as name: value and name { … }'),
    ],
  },
  {
    title: 'list without its "]"',
    text: 'layer {\n  bottom: ["a", "b"\n}\n',
    expected: [err(3, 1, 'expected "]", found "}"')],
  },
  // After well-formed fields, the full parser starts where the fast one stopped: positions must still
  // be those of the whole file (same line as that start, and later lines).
  {
    title: 'error on a later line of a field that starts mid-line',
    text: 'name: "n" layer {\n  name: "a"\n  type "ReLU"\n}\n',
    expected: [err(3, 8, 'expected ":" or "{" after the field name, found the string "ReLU"')],
  },
  {
    title: 'bad escape on the line where the unreadable field starts',
    text: 'name: "n" layer { name: "a\\qb" }\n',
    // `layer` is column 11 and the backslash 16 characters after it: 27.
    expected: [err(1, 27, 'invalid escape sequence \\q', 'write a backslash itself as \\\\')],
  },
  {
    title: 'unclosed brace after a well-formed field',
    text: 'name: "n"\nlayer {\n  name: "a"\n',
    expected: [err(4, 1, 'expected "}", found end of file', 'the "{" at line 2:7 is never closed')],
  },
  {
    title: 'absurdly deep nesting (no stack overflow)',
    text: 'a {'.repeat(101) + '\n',
    // The 101st "{" is at offset 3·100 + 2.
    expected: [err(1, 303, 'messages are nested more than 100 levels deep')],
  },

  // ---- Typing against caffe.proto ----
  {
    title: 'unknown field with did-you-mean (kernal_size)',
    text: layer('name: "c"', 'type: "Convolution"', 'convolution_param {', '  num_output: 4', '  kernal_size: 3', '}'),
    expected: [err(6, 5, 'unknown field "kernal_size" in ConvolutionParameter', 'did you mean "kernel_size"?')],
  },
  {
    title: 'unknown nested field',
    text: layer('name: "d"', 'type: "Input"', 'input_param { shape { dims: 1 } }'),
    expected: [err(4, 25, 'unknown field "dims" in BlobShape', 'did you mean "dim"?')],
  },
  {
    title: 'swapped letters are one typo (nmae)',
    text: 'nmae: "lenet"\n',
    expected: [err(1, 1, 'unknown field "nmae" in NetParameter', 'did you mean "name"?')],
  },
  {
    title: 'parameter written outside its *_param block',
    text: layer('name: "c"', 'type: "Convolution"', 'kernel_size: 3'),
    expected: [
      err(
        4,
        3,
        'unknown field "kernel_size" in LayerParameter',
        '"kernel_size" is a field of convolution_param or pooling_param; write it inside that block, e.g. convolution_param { kernel_size: … }',
      ),
    ],
  },
  {
    title: "a fork's *_param on a BVLC layer",
    // A field of no dialect (interp_param is typed by the pspnet dialect now).
    text: layer('name: "r"', 'type: "ReLU"', 'merge_crop_param { axis: 2 }'),
    expected: [
      err(
        4,
        3,
        'unknown field "merge_crop_param" in LayerParameter',
        "merge_crop_param is not in BVLC Caffe's caffe.proto, nor in any fork's dialect brewnet knows (ssd, opencv, fasterrcnn, pspnet, segnet, enet, shufflenet, unet)",
      ),
    ],
  },
  {
    title: 'string for an integer',
    text: 'layer {\n  convolution_param { num_output: "64" }\n}\n',
    expected: [err(2, 35, 'field "num_output" (uint32) expects an integer, found the string "64"')],
  },
  {
    title: 'float for an integer',
    text: 'layer {\n  convolution_param { num_output: 6.5 }\n}\n',
    expected: [err(2, 35, 'field "num_output" (uint32) expects an integer, found "6.5"')],
  },
  {
    title: 'leading 0 with 8 or 9',
    text: 'layer {\n  convolution_param { num_output: 08 }\n}\n',
    expected: [err(2, 35, 'field "num_output" (uint32) expects an integer, found "08"', 'a leading 0 makes an octal number')],
  },
  {
    title: 'message for a scalar',
    text: 'layer {\n  name { x: 1 }\n}\n',
    expected: [err(2, 8, 'field "name" is a string, not a message')],
  },
  {
    title: 'scalar for a message',
    text: 'layer {\n  convolution_param: 3\n}\n',
    expected: [
      err(2, 22, 'field "convolution_param" is a message (ConvolutionParameter); expected "{", found "3"', 'write convolution_param { … }'),
    ],
  },
  {
    title: 'bad enum name with suggestion (pool: MAXX)',
    text: 'layer {\n  pooling_param { pool: MAXX }\n}\n',
    expected: [err(2, 25, 'unknown value "MAXX" for enum field "pool" (PoolMethod)', 'did you mean "MAX"?')],
  },
  {
    title: 'enum name in quotes',
    text: 'layer {\n  pooling_param { pool: "AVE" }\n}\n',
    expected: [err(2, 25, 'field "pool" (enum PoolMethod) expects a PoolMethod name, found the string "AVE"', 'write AVE without quotes')],
  },
  {
    title: 'bool that is neither true nor false',
    text: 'force_backward: yes\n',
    expected: [err(1, 17, 'field "force_backward" (bool) expects true or false, found "yes"')],
  },
  {
    title: 'int32 out of range',
    text: 'layer {\n  convolution_param { axis: 2147483648 }\n}\n',
    expected: [err(2, 29, 'integer 2147483648 is out of range for field "axis" (int32: -2147483648 to 2147483647)')],
  },
  {
    title: 'uint32 negative',
    text: 'layer {\n  convolution_param { num_output: -1 }\n}\n',
    expected: [err(2, 35, 'integer -1 is out of range for field "num_output" (uint32: 0 to 4294967295)')],
  },
  {
    title: 'hex overflow',
    text: 'layer {\n  convolution_param { num_output: 0x100000000 }\n}\n',
    expected: [err(2, 35, 'integer 0x100000000 is out of range for field "num_output" (uint32: 0 to 4294967295)')],
  },
  {
    title: 'int64 beyond its range',
    text: layer('name: "data"', 'type: "Input"', 'top: "data"', 'input_param { shape { dim: 9223372036854775808 } }'),
    expected: [
      err(5, 30, 'integer 9223372036854775808 is out of range for field "dim" (int64: -9223372036854775808 to 9223372036854775807)'),
    ],
  },
  {
    title: 'non-repeated field given twice',
    text: 'layer {\n  name: "a"\n  name: "b"\n}\n',
    expected: [err(3, 3, 'non-repeated field "name" is specified more than once', 'first given at line 2:3')],
  },
  {
    title: 'list on a non-repeated field',
    text: 'layer {\n  name: ["a", "b"]\n}\n',
    expected: [err(2, 3, 'field "name" is not repeated, so it cannot take a list [ … ]')],
  },
  {
    title: 'missing required field (ClipParameter.max is the only kind in caffe.proto)',
    text: 'layer {\n  clip_param { min: 0 }\n}\n',
    expected: [err(2, 3, 'missing required field "max" in ClipParameter')],
  },

  // ---- Upgrades, filtering, layer types ----
  {
    title: 'include and exclude both',
    text: layer('name: "a"', 'type: "ReLU"', 'include { phase: TRAIN }', 'exclude { phase: TEST }'),
    expected: [err(5, 3, 'layer "a": Specify either include rules or exclude rules; not both.')],
  },
  {
    title: 'V0 file with an unknown V0 type',
    text: 'layers {\n  layer {\n    name: "x"\n    type: "bogus"\n  }\n}\n',
    expected: [
      err(
        4,
        5,
        'Unknown layer name: bogus',
        'V0 layer types: accuracy, bnll, concat, conv, data, dropout, euclidean_loss, flatten, hdf5_data, hdf5_output, im2col, images, infogain_loss, innerproduct, lrn, multinomial_logistic_loss, pool, relu, sigmoid, softmax, softmax_loss, split, tanh, window_data',
      ),
    ],
  },
  {
    title: 'mixing layer and layers',
    text: 'layer {\n  name: "a"\n  type: "Input"\n}\nlayers {\n  name: "b"\n  type: RELU\n}\n',
    expected: [
      err(
        5,
        1,
        "Refusing to upgrade inconsistent NetParameter input; the definition includes both 'layer' and 'layers' fields",
        'use `layer { type: "…" }` (V2) for every layer, or `layers { type: ENUM }` (V1) for every layer',
      ),
    ],
  },
  {
    title: 'unknown V1 type enum',
    text: 'layers {\n  name: "x"\n  type: RELUU\n}\n',
    expected: [err(3, 9, 'unknown value "RELUU" for enum field "type" (LayerType)', 'did you mean "RELU"?')],
  },
  {
    title: 'unsupported layer type',
    text: layer('name: "loss"', 'type: "PSROIPooling"'),
    expected: [
      err(3, 3, 'unsupported layer type "PSROIPooling" (layer "loss")', 'PSROIPooling comes from the R-FCN fork (daijifeng001/caffe-rfcn)'),
    ],
  },
  {
    title: 'several unsupported types: all listed, then a note',
    text:
      layer('name: "a"', 'type: "PSROIPooling"') +
      layer('name: "b"', 'type: "DepthwiseConvolution"') +
      layer('name: "c"', 'type: "PSROIPooling"'),
    expected: [
      err(3, 3, 'unsupported layer type "PSROIPooling" (layer "a")', 'PSROIPooling comes from the R-FCN fork (daijifeng001/caffe-rfcn)'),
      err(
        7,
        3,
        'unsupported layer type "DepthwiseConvolution" (layer "b")',
        'DepthwiseConvolution comes from a MobileNet fork; BVLC Caffe uses Convolution with group = channels',
      ),
      // The hint is given once per type.
      err(11, 3, 'unsupported layer type "PSROIPooling" (layer "c")'),
      {
        severity: 'note',
        message: 'this net uses 2 unsupported layer type(s): PSROIPooling (2 layers), DepthwiseConvolution (1 layer)',
        at: null,
      },
    ],
  },
  {
    title: 'misspelt layer type',
    text: layer('name: "c"', 'type: "Convolutoin"'),
    expected: [err(3, 3, 'unsupported layer type "Convolutoin" (layer "c")', 'did you mean "Convolution"?')],
  },
  {
    title: 'layer with no type',
    text: layer('name: "a"'),
    expected: [err(1, 1, 'layer "a" has no type', 'add a line such as type: "Convolution"')],
  },

  // ---- Connecting blobs (Caffe's AppendBottom / AppendTop) ----
  {
    title: 'undefined bottom, with did-you-mean',
    text: DATA + layer('name: "r"', 'type: "ReLU"', 'bottom: "dat"', 'top: "r"'),
    expected: [err(5, 3, "Unknown bottom blob 'dat' (layer 'r', bottom index 0)", 'did you mean "data"?')],
  },
  {
    title: 'non-in-place top reuse',
    text: DATA + conv('c', 'num_output: 2 kernel_size: 1') + layer('name: "r"', 'type: "ReLU"', 'bottom: "c"', 'top: "data"'),
    // conv occupies lines 2–8; the ReLU's top is line 13.
    expected: [
      err(
        13,
        3,
        "Top blob 'data' produced by multiple sources.",
        '"data" is already produced by layer "data" (line 1); give this top a new name',
      ),
    ],
  },
  {
    title: 'top equal to a bottom at another index',
    text: DATA + input('b', [1, 3, 8, 8]) + layer('name: "e"', 'type: "Eltwise"', 'bottom: "data"', 'bottom: "b"', 'top: "b"'),
    expected: [
      err(
        8,
        3,
        "Top blob 'b' produced by multiple sources.",
        'in-place computation needs the same name at the same index: "b" is bottom[1] but top[0]',
      ),
    ],
  },
  {
    title: 'in place after another reader (Caffe splits the blob)',
    text:
      DATA +
      layer('name: "r1"', 'type: "ReLU"', 'bottom: "data"', 'top: "r1"') +
      layer('name: "r2"', 'type: "ReLU"', 'bottom: "data"', 'top: "data"'),
    expected: [
      err(
        12,
        3,
        "Top blob 'data' produced by multiple sources.",
        'layer "r1" (line 2) already read "data", so Caffe splits it and this layer can no longer work in place; give the top a new name',
      ),
    ],
  },
  ...['Flatten', 'Split', 'Reshape'].map((type): Case => ({
    title: `in place on ${type} (not allowed)`,
    text: DATA + layer('name: "x"', `type: "${type}"`, 'bottom: "data"', 'top: "data"'),
    expected: [
      err(6, 3, `layer "x" (${type}) does not allow in-place computation (top "data" is also its bottom)`, 'give the top a new name'),
    ],
  })),
  {
    title: 'wrong bottom count',
    text: DATA + layer('name: "c"', 'type: "Convolution"', 'top: "c"', 'convolution_param { num_output: 2 kernel_size: 1 }'),
    expected: [err(2, 1, 'layer "c": Convolution Layer takes at least 1 bottom blob(s) as input (found 0).')],
  },
  {
    title: 'Eltwise with one bottom',
    text: DATA + layer('name: "e"', 'type: "Eltwise"', 'bottom: "data"', 'top: "e"'),
    expected: [err(2, 1, 'layer "e": Eltwise Layer takes at least 2 bottom blob(s) as input (found 1).')],
  },
  {
    title: 'too many tops',
    text: DATA + layer('name: "r"', 'type: "ReLU"', 'bottom: "data"', 'top: "r"', 'top: "r2"'),
    expected: [err(2, 1, 'layer "r": ReLU Layer produces 1 top blob(s) as output (found 2).')],
  },

  // ---- Impossible shapes ----
  {
    title: 'kernel larger than the padded input',
    text: DATA + conv('c', 'num_output: 2 kernel_size: 11'),
    // trunc((8 + 0 − 11) / 1) + 1 = −2
    // Pointed at `kernel_size` (line 7: `  convolution_param { num_output: 2 kernel_size`).
    expected: [
      err(7, 37, 'layer "c" (Convolution): spatial axis 0: input 8 with pad 0 is smaller than the kernel extent 11 (output would be -2)'),
    ],
  },
  {
    title: 'Crop out of bounds',
    text: DATA + input('big', [1, 3, 10, 10]) + layer('name: "crop"', 'type: "Crop"', 'bottom: "data"', 'bottom: "big"', 'top: "crop"'),
    expected: [err(3, 1, 'layer "crop" (Crop): the crop for dimension 2 is out of bounds: offset 0 + 10 exceeds data dim 2 (8)')],
  },
  {
    title: 'Crop offset out of bounds',
    text:
      DATA +
      input('small', [1, 3, 6, 6]) +
      layer('name: "crop"', 'type: "Crop"', 'bottom: "data"', 'bottom: "small"', 'top: "crop"', 'crop_param { offset: 3 }'),
    // 3 + 6 > 8; the message points at `offset` (line 9: `  crop_param { offset`).
    expected: [err(9, 16, 'layer "crop" (Crop): the crop for dimension 2 is out of bounds: offset 3 + 6 exceeds data dim 2 (8)')],
  },
  {
    title: 'Concat of mismatched dims',
    text: DATA + input('b', [1, 3, 4, 4]) + layer('name: "cat"', 'type: "Concat"', 'bottom: "data"', 'bottom: "b"', 'top: "cat"'),
    expected: [
      err(
        3,
        1,
        'layer "cat" (Concat): all inputs must have the same shape, except at concat_axis (1): bottom[0] is 1×3×8×8, bottom[1] is 1×3×4×4',
      ),
    ],
  },
  {
    title: 'Eltwise shape mismatch',
    text: DATA + input('b', [1, 3, 4, 4]) + layer('name: "sum"', 'type: "Eltwise"', 'bottom: "data"', 'bottom: "b"', 'top: "sum"'),
    expected: [err(3, 1, 'layer "sum" (Eltwise): bottom shapes must be identical: bottom[0]: 1×3×8×8 (192), bottom[1]: 1×3×4×4 (48)')],
  },
  {
    title: 'InnerProduct on an axis the blob does not have',
    text:
      DATA + layer('name: "ip"', 'type: "InnerProduct"', 'bottom: "data"', 'top: "ip"', 'inner_product_param { num_output: 10 axis: 4 }'),
    // Pointed at `axis` (line 7: `  inner_product_param { num_output: 10 axis`).
    expected: [err(7, 40, 'layer "ip" (InnerProduct): axis 4 out of range for 4-D blob with shape 1×3×8×8 (192)')],
  },
  {
    title: 'Reshape count mismatch',
    text: DATA + layer('name: "r"', 'type: "Reshape"', 'bottom: "data"', 'top: "r"', 'reshape_param { shape { dim: 1 dim: 100 } }'),
    expected: [err(7, 19, 'layer "r" (Reshape): output count must match input count: 1×100 (100) vs. bottom 1×3×8×8 (192)')],
  },
  {
    title: 'Slice point out of range',
    text: DATA + layer('name: "s"', 'type: "Slice"', 'bottom: "data"', 'top: "s1"', 'top: "s2"', 'slice_param { slice_point: 5 }'),
    expected: [err(8, 17, 'layer "s" (Slice): slice_point 5 is beyond the end of axis 1 (size 3)')],
  },
  {
    title: 'group not dividing the channels',
    text: DATA + conv('c', 'num_output: 4 kernel_size: 1 group: 2'),
    expected: [err(7, 52, 'layer "c" (Convolution): input channels (3) must be a multiple of group (2)')],
  },
  {
    title: 'num_output 0',
    text: DATA + conv('c', 'num_output: 0 kernel_size: 1'),
    expected: [err(7, 23, 'layer "c" (Convolution): num_output must be specified and positive')],
  },
  {
    title: 'kernel_size 0',
    text: DATA + conv('c', 'num_output: 2 kernel_size: 0'),
    expected: [err(7, 37, 'layer "c" (Convolution): filter dimensions must be nonzero')],
  },
  {
    title: 'stride 0',
    text: DATA + conv('c', 'num_output: 2 kernel_size: 1 stride: 0'),
    expected: [err(7, 52, 'layer "c" (Convolution): stride dimensions must be nonzero')],
  },

  // ---- Negative and overflowing dims (Blob::Reshape's limits) ----
  {
    title: 'negative dim in input_shape',
    text: 'input: "data"\ninput_shape {\n  dim: 1\n  dim: -3\n}\n',
    expected: [err(4, 3, 'layer "input" (Input): top "data" shape would be 1×-3: dimension 1 is -3, and blob dimensions must be >= 0')],
  },
  {
    title: 'negative input_dim',
    text: 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: -8\ninput_dim: 8\n',
    expected: [err(4, 1, 'layer "input" (Input): top "data" shape would be 1×3×-8×8: dimension 2 is -8, and blob dimensions must be >= 0')],
  },
  {
    title: 'negative dim in an Input layer',
    text: layer('name: "data"', 'type: "Input"', 'top: "data"', 'input_param { shape { dim: 1 dim: -3 } }'),
    // line 5: `  input_param { shape { dim: 1 dim` — the second dim is column 32.
    expected: [err(5, 32, 'layer "data" (Input): top "data" shape would be 1×-3: dimension 1 is -3, and blob dimensions must be >= 0')],
  },
  {
    title: 'input count over INT_MAX',
    text: layer('name: "data"', 'type: "Input"', 'top: "data"', 'input_param { shape { dim: 65536 dim: 65536 } }'),
    // 65536² = 4294967296; located at the shape's first dim.
    expected: [err(5, 25, 'layer "data" (Input): top "data" shape 65536×65536 has 4294967296 elements, more than INT_MAX (2147483647)')],
  },
  {
    title: 'top count over INT_MAX',
    text: input('data', [1, 1, 32768, 32768]) + conv('c', 'num_output: 2 kernel_size: 1'),
    // 2 · 32768² = 2³¹
    expected: [err(2, 1, 'layer "c" (Convolution): top "c" shape 1×2×32768×32768 has 2147483648 elements, more than INT_MAX (2147483647)')],
  },
  {
    title: 'weight count over INT_MAX',
    text:
      input('data', [1, 65536]) +
      layer('name: "ip"', 'type: "InnerProduct"', 'bottom: "data"', 'top: "ip"', 'inner_product_param { num_output: 65536 }'),
    expected: [
      err(2, 1, 'layer "ip" (InnerProduct): parameter blob 0 shape 65536×65536 has 4294967296 elements, more than INT_MAX (2147483647)'),
    ],
  },
  {
    title: 'more than 32 axes',
    text: layer('name: "data"', 'type: "Input"', 'top: "data"', `input_param { shape { ${'dim: 1 '.repeat(33)}} }`),
    // The 33rd dim: `  input_param { shape { ` is 24 characters, each `dim: 1 ` 7, so 24 + 7·32 + 1.
    expected: [err(5, 249, 'layer "data" (Input): top "data" shape has 33 axes; a blob has at most 32')],
  },

  // ---- Options ----
  {
    title: '--input for an unknown blob',
    text: DATA,
    options: { inputs: { dat: [1, 3, 8, 8] } },
    expected: [unlocated('--input names "dat", which is not a top of an Input, data or Python layer', 'did you mean "data"?')],
  },
  {
    title: '--input with a negative dim',
    text: DATA,
    options: { inputs: { data: [1, -3] } },
    expected: [unlocated('--input data: dimensions must be integers from 0 to 2147483647, got [1,-3]')],
  },
  {
    title: '--input with a shape the net cannot take',
    text: DATA + conv('c', 'num_output: 2 kernel_size: 5'),
    options: { inputs: { data: [1, 3, 2, 2] } },
    expected: [
      err(7, 37, 'layer "c" (Convolution): spatial axis 0: input 2 with pad 0 is smaller than the kernel extent 5 (output would be -2)'),
    ],
  },
  {
    title: '--input with too few axes for Pooling',
    text: DATA + layer('name: "p"', 'type: "Pooling"', 'bottom: "data"', 'top: "p"', 'pooling_param { kernel_size: 2 }'),
    options: { inputs: { data: [1, 3] } },
    expected: [err(2, 1, 'layer "p" (Pooling): input must have 4 axes, corresponding to (num, channels, height, width); got 1×3')],
  },
  {
    title: 'source layer without --input',
    text: layer('name: "py"', 'type: "Python"', 'top: "data"', 'python_param { module: "m" layer: "L" }'),
    expected: [err(4, 3, 'layer "py" (Python): shape of top "data" cannot be known statically; give it with --input data=N,C,H,W')],
  },
  {
    title: 'unknown phase',
    text: DATA,
    options: { phase: 'val' as 'train' },
    expected: [unlocated('phase must be "train" or "test", not "val"')],
  },

  // ---- Parameters (after shapes) ----
  {
    title: 'loss_weight count mismatch',
    text: DATA + layer('name: "r"', 'type: "ReLU"', 'bottom: "data"', 'top: "r"', 'loss_weight: 1', 'loss_weight: 2'),
    expected: [err(7, 3, 'layer "r": loss_weight must be unspecified or specified once per top blob (1 tops, 2 loss_weight)')],
  },
  {
    title: 'too many param specs',
    text:
      DATA +
      layer(
        'name: "c"',
        'type: "Convolution"',
        'bottom: "data"',
        'top: "c"',
        'param { lr_mult: 1 }',
        'param { lr_mult: 2 }',
        'param { lr_mult: 3 }',
        'convolution_param { num_output: 2 kernel_size: 1 }',
      ),
    // Pointed at the first param too many (the third).
    expected: [err(9, 3, 'Too many params specified for layer c: 3 param entries, but a Convolution layer here has 2 parameter blob(s)')],
  },
  {
    title: 'shared param shape mismatch',
    text:
      DATA +
      layer(
        'name: "c1"',
        'type: "Convolution"',
        'bottom: "data"',
        'top: "c1"',
        'param { name: "w" }',
        'convolution_param { num_output: 2 kernel_size: 1 bias_term: false }',
      ) +
      layer(
        'name: "c2"',
        'type: "Convolution"',
        'bottom: "data"',
        'top: "c2"',
        'param { name: "w" }',
        'convolution_param { num_output: 2 kernel_size: 3 bias_term: false }',
      ),
    // c2 spans lines 10–17; its `param { name` is line 15, column 11.
    expected: [
      err(
        15,
        11,
        "Cannot share param 'w' owned by layer 'c1' with layer 'c2'; shape mismatch. Owner layer param shape is 2×3×1×1; sharing layer expects shape 2×3×3×3",
      ),
    ],
  },
  {
    title: 'shared param with another lr_mult',
    text:
      DATA +
      layer(
        'name: "c1"',
        'type: "Convolution"',
        'bottom: "data"',
        'top: "c1"',
        'param { name: "w" lr_mult: 1 }',
        'convolution_param { num_output: 2 kernel_size: 1 }',
      ) +
      layer(
        'name: "c2"',
        'type: "Convolution"',
        'bottom: "data"',
        'top: "c2"',
        'param { name: "w" lr_mult: 2 }',
        'convolution_param { num_output: 2 kernel_size: 1 }',
      ),
    expected: [err(15, 21, "Shared param 'w' has mismatched lr_mult.")],
  },

  // ---- Odd files ----
  { title: 'empty file (a legal empty net)', text: '', expected: [] },
  { title: 'only comments (a legal empty net)', text: '# nothing here\n# nor here\n', expected: [] },
  {
    title: 'binary garbage (caffemodel bytes)',
    text: CAFFEMODEL,
    expected: [
      err(
        1,
        1,
        'this file is not text (it contains NUL or non-UTF-8 bytes)',
        'a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)',
      ),
    ],
  },
  {
    title: '10 MB string without its closing quote',
    text: 'name: "' + 'a'.repeat(10_000_000),
    expected: [err(1, 7, 'unterminated string (missing closing quote on this line)')],
  },
  {
    title: '10 MB line of valid layers, then an unknown field',
    text: TEN_MB_LINE + 'layer { name: "x" type: "ReLU" bottom: "data" top: "data" kernal: 1 }',
    // `kernal` is 58 characters into the last layer.
    expected: [err(1, TEN_MB_COLUMN + 58, 'unknown field "kernal" in LayerParameter')],
  },
  {
    title: '10 MB line of valid layers, then a stray "}"',
    text: TEN_MB_LINE + 'layer { name: "x" }}',
    expected: [err(1, TEN_MB_COLUMN + 19, 'unexpected "}"; expected a field name')],
  },
  {
    title: '10 MB of "}" (too long to be a path: read as text)',
    text: '}'.repeat(10_000_000),
    expected: [err(1, 1, 'unexpected "}"; expected a field name')],
  },
];

function diagnosticsOf(text: string, options: LoadOptions = {}) {
  try {
    loadNet(text, { file: FILE, ...options });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e; // a crash is a failure, not a diagnostic
    return e.diagnostics;
  }
  return [];
}

describe('bad input: one exact diagnostic per malformed net', () => {
  it('has a table of at least 45 cases with distinct titles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(cases.map((c) => c.title)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const actual = diagnosticsOf(c.text, c.options).map((d) => ({
      severity: d.severity,
      message: d.message,
      at: d.location ? [d.location.line, d.location.column] : null,
      hint: d.hint,
      file: d.location?.file,
    }));
    const expected = c.expected.map((e) => ({
      severity: e.severity ?? 'error',
      message: e.message,
      at: e.at,
      hint: e.hint,
      file: e.at ? FILE : undefined,
    }));
    expect(actual).toEqual(expected);
  });

  it('accepts the empty file as an empty net', () => {
    const net = loadNet('', { file: FILE });
    expect(net.layers).toEqual([]);
    expect(net.outputs).toEqual([]);
  });

  it('formats a diagnostic as file:line:col: error: cause, with the hint on its own line', () => {
    const [d] = diagnosticsOf('layer {\n  pooling_param { pool: MAXX }\n}\n');
    expect(formatDiagnostic(d)).toBe(
      'bad.prototxt:2:25: error: unknown value "MAXX" for enum field "pool" (PoolMethod)\n  hint: did you mean "MAX"?',
    );
  });

  it('reports every typing error of a file, not only the first', () => {
    const all = diagnosticsOf(layer('nmae: "a"', 'kernal_size: 3', 'typ: "ReLU"'));
    expect(all.map((d) => [d.location?.line, d.location?.column, d.message, d.hint])).toEqual([
      [2, 3, 'unknown field "nmae" in LayerParameter', 'did you mean "name"?'],
      [
        3,
        3,
        'unknown field "kernal_size" in LayerParameter',
        'did you mean "kernel_size"? "kernel_size" is a field of convolution_param or pooling_param; write it inside that block, e.g. convolution_param { kernel_size: … }',
      ],
      [4, 3, 'unknown field "typ" in LayerParameter', 'did you mean "type"?'],
    ]);
  });
});
