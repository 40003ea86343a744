// Caffe's forks each extend BVLC's caffe.proto their own way: new parameter messages (proto/dialects/*.proto)
// and new fields on BVLC's messages, listed here with the forks' real field numbers. A dialect is BVLC's
// schema plus one fork's additions; which one a file speaks is inferred from the field names it uses
// (or given with --dialect). Forks disagree with each other (SegNet's and PSPNet's BNParameter share a name,
// not a field), so each dialect is its own schema root, never a union.

export interface DialectField {
  /** The BVLC message the field is added to. */
  message: string;
  name: string;
  /** The fork's field number. */
  id: number;
  /** A scalar type, or a message/enum name (resolved in package caffe). */
  type: string;
  repeated?: boolean;
  /** The fork's default, for scalar fields that have one. */
  default?: number | boolean | string;
}

export interface Dialect {
  name: string;
  /** Who speaks it, for messages and the README. */
  title: string;
  /** File under proto/dialects/ with the fork's own messages. */
  proto?: string;
  fields: DialectField[];
  /** BVLC fields the fork does not have, where its own field takes the number (ceil_mode for round_mode). */
  removes?: { message: string; name: string }[];
}

const layer = (name: string, id: number, type: string): DialectField => ({ message: 'LayerParameter', name, id, type });

export const DIALECTS: readonly Dialect[] = [
  {
    name: 'ssd',
    title: 'caffe-ssd (weiliu89/caffe, branch ssd)',
    proto: 'ssd.proto',
    fields: [
      layer('detection_evaluate_param', 205, 'DetectionEvaluateParameter'),
      layer('detection_output_param', 204, 'DetectionOutputParameter'),
      layer('norm_param', 206, 'NormalizeParameter'),
      layer('permute_param', 202, 'PermuteParameter'),
      layer('prior_box_param', 203, 'PriorBoxParameter'),
    ],
  },
  {
    name: 'opencv',
    title: "OpenCV's dnn importer (opencv-caffe.proto)",
    proto: 'opencv.proto',
    fields: [
      layer('detection_output_param', 147, 'DetectionOutputParameter'),
      layer('norm_param', 149, 'NormalizeBBoxParameter'),
      layer('permute_param', 148, 'PermuteParameter'),
      layer('prior_box_param', 150, 'PriorBoxParameter'),
      layer('proposal_param', 201, 'ProposalParameter'),
      layer('roi_pooling_param', 8266711, 'ROIPoolingParameter'),
      { message: 'PoolingParameter', name: 'ceil_mode', id: 13, type: 'bool', default: true },
    ],
    removes: [{ message: 'PoolingParameter', name: 'round_mode' }],
  },
  {
    // After OpenCV's, which has ROIPooling too: a net with only ROIPooling keeps OpenCV's dialect (the same message).
    name: 'fasterrcnn',
    title: 'Faster R-CNN (rbgirshick/caffe-fast-rcnn, the fork py-faster-rcnn builds)',
    proto: 'fasterrcnn.proto',
    fields: [layer('roi_pooling_param', 8266711, 'ROIPoolingParameter'), layer('smooth_l1_loss_param', 8266712, 'SmoothL1LossParameter')],
  },
  {
    name: 'pspnet',
    title: 'PSPNet (hszhao/PSPNet)',
    proto: 'pspnet.proto',
    fields: [layer('bn_param', 152, 'BNParameter'), layer('interp_param', 143, 'InterpParameter')],
  },
  {
    name: 'segnet',
    title: 'SegNet (alexgkendall/caffe-segnet)',
    proto: 'segnet.proto',
    fields: [
      layer('bn_param', 45, 'BNParameter'),
      layer('upsample_param', 137, 'UpsampleParameter'),
      layer('dense_image_data_param', 138, 'DenseImageDataParameter'),
      { message: 'LossParameter', name: 'weight_by_label_freqs', id: 3, type: 'bool', default: false },
      { message: 'LossParameter', name: 'class_weighting', id: 4, type: 'float', repeated: true },
    ],
  },
  {
    name: 'enet',
    title: 'ENet (TimoSaemann/caffe-enet)',
    proto: 'segnet.proto',
    fields: [layer('bn_param', 45, 'BNParameter'), layer('upsample_param', 147, 'UpsampleParameter')],
  },
  {
    name: 'shufflenet',
    title: 'ShuffleNet (farmingyard/ShuffleNet)',
    proto: 'shufflenet.proto',
    fields: [layer('shuffle_channel_param', 164, 'ShuffleChannelParameter')],
  },
  {
    name: 'unet',
    title: "naibaf7/caffe (OpenCL Caffe; U-Net's MergeCrop)",
    proto: 'unet.proto',
    fields: [layer('mergecrop_param', 147, 'MergeCropParameter')],
  },
];

export const DIALECT_NAMES = ['bvlc', ...DIALECTS.map((d) => d.name)] as const;

export function dialectByName(name: string): Dialect | undefined {
  return DIALECTS.find((d) => d.name === name);
}

/** The comment line by which a net script declares its dialect (read by frontend/dsl/script-dialect.ts). */
export function dialectDeclaration(dialect: string): string {
  return `# brewnet: dialect=${dialect}`;
}
