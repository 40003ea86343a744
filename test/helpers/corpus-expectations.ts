// What each shared-corpus net should do under brewnet: load (with the options it needs and some shapes
// known from the architecture's published description), or fail with a located diagnostic. Shared by the
// corpus tests.
import type { LoadOptions } from '../../src/index.js';

export interface Loads {
  options?: LoadOptions;
  /** Shapes of some blobs, from the architecture's published description. */
  shapes?: Record<string, number[]>;
}
export interface Fails {
  message: string | RegExp;
  line: number;
  column: number;
}

const loads = (options?: LoadOptions, shapes?: Record<string, number[]>): Loads => ({ options, shapes });
const fails = (message: string | RegExp, line: number, column: number): Fails => ({ message, line, column });
const pythonData = (inputs: Record<string, number[]>): LoadOptions => ({ phase: 'train', inputs });

export const expected: Record<string, Loads | Fails> = {
  'bvlc-caffe/models/bvlc_alexnet/deploy.prototxt': loads({}, { pool5: [10, 256, 6, 6], prob: [10, 1000] }),
  'bvlc-caffe/models/bvlc_alexnet/train_val.prototxt': loads({ inputs: { data: [50, 3, 227, 227] } }, { fc8: [50, 1000], loss: [] }),
  'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt': loads({}, { 'pool5/7x7_s1': [10, 1024, 1, 1], prob: [10, 1000] }),
  'bvlc-caffe/models/bvlc_reference_caffenet/deploy.prototxt': loads({}, { pool5: [10, 256, 6, 6], prob: [10, 1000] }),
  'bvlc-caffe/models/bvlc_reference_caffenet/train_val.prototxt': loads(
    { phase: 'train', inputs: { data: [256, 3, 227, 227] } },
    { fc8: [256, 1000] },
  ),
  'bvlc-caffe/models/finetune_flickr_style/deploy.prototxt': loads({}, { fc8_flickr: [10, 20] }),
  'bvlc-caffe/examples/mnist/lenet.prototxt': loads({}, { conv1: [64, 20, 24, 24], pool2: [64, 50, 4, 4], prob: [64, 10] }),
  'bvlc-caffe/examples/mnist/lenet_train_test.prototxt': loads({ inputs: { data: [100, 1, 28, 28] } }, { ip2: [100, 10] }),
  // TEST without a stage keeps no data layer: Caffe fails too; the stages select one.
  'bvlc-caffe/examples/mnist/mnist_autoencoder.prototxt': loads(
    { stages: ['test-on-test'], inputs: { data: [100, 1, 28, 28] } },
    { decode1: [100, 784] },
  ),
  'bvlc-caffe/examples/cifar10/cifar10_quick.prototxt': loads({}, { pool3: [1, 64, 4, 4], prob: [1, 10] }),
  'bvlc-caffe/examples/cifar10/cifar10_quick_train_test.prototxt': loads({ inputs: { data: [100, 3, 32, 32] } }, { ip2: [100, 10] }),
  'bvlc-caffe/examples/cifar10/cifar10_full_sigmoid_train_test_bn.prototxt': loads(
    { inputs: { data: [1000, 3, 32, 32] } },
    { pool3: [1000, 64, 4, 4] },
  ),
  'bvlc-caffe/examples/siamese/mnist_siamese.prototxt': loads({}, { feat: [10000, 2] }),
  'bvlc-caffe/examples/siamese/mnist_siamese_train_test.prototxt': loads(
    { inputs: { pair_data: [100, 2, 28, 28] } },
    { feat: [100, 2], feat_p: [100, 2] },
  ),
  'bvlc-caffe/examples/net_surgery/bvlc_caffenet_full_conv.prototxt': loads({}, { 'fc8-conv': [1, 1000, 8, 8] }),
  'bvlc-caffe/examples/net_surgery/conv.prototxt': loads({}, { conv: [1, 3, 96, 96] }),
  'bvlc-caffe/examples/pycaffe/linreg.prototxt': loads({ inputs: { loss: [] } }),
  'bvlc-caffe/examples/finetune_pascal_detection/pascal_finetune_trainval_test.prototxt': loads(
    { inputs: { data: [128, 3, 227, 227] } },
    { fc8_pascal: [128, 21] },
  ),
  'bvlc-caffe-v1/models/bvlc_googlenet/deploy.prototxt': loads({}, { 'pool5/7x7_s1': [10, 1024, 1, 1], prob: [10, 1000] }),
  'bvlc-caffe-v1/models/bvlc_reference_caffenet/train_val.prototxt': loads(
    { inputs: { data: [50, 3, 227, 227] } },
    { pool5: [50, 256, 6, 6] },
  ),
  'bvlc-caffe-v1/examples/mnist/lenet_train_test.prototxt': loads({ inputs: { data: [100, 1, 28, 28] } }, { pool2: [100, 50, 4, 4] }),
  'bvlc-caffe-v1/examples/siamese/mnist_siamese_train_test.prototxt': loads(
    { inputs: { pair_data: [100, 2, 28, 28] } },
    { feat: [100, 2] },
  ),
  'bvlc-caffe-v0/examples/lenet/lenet.prototxt': loads({}, { conv1: [64, 20, 24, 24], pool2: [64, 50, 4, 4], prob: [64, 10] }),
  // FCN nets read data with Python layers; §5.3 of the reference gives the trace at 500².
  'fcn/voc-fcn32s/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    pool5: [1, 512, 22, 22],
    upscore: [1, 21, 544, 544],
    score: [1, 21, 500, 500],
  }),
  'fcn/voc-fcn32s/val.prototxt': loads(
    { inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } },
    { score_fr: [1, 21, 16, 16], score: [1, 21, 500, 500] },
  ),
  'fcn/voc-fcn16s/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    score_pool4c: [1, 21, 34, 34],
    upscore16: [1, 21, 560, 560],
    score: [1, 21, 500, 500],
  }),
  'fcn/voc-fcn16s/val.prototxt': loads({ inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } }, { score: [1, 21, 500, 500] }),
  'fcn/voc-fcn8s/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    upscore_pool4: [1, 21, 70, 70],
    upscore8: [1, 21, 568, 568],
  }),
  'fcn/voc-fcn8s/val.prototxt': loads({ inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } }, { score: [1, 21, 500, 500] }),
  'fcn/voc-fcn8s/deploy.prototxt': loads({}, { score: [1, 21, 500, 500] }),
  'fcn/voc-fcn8s-atonce/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    upscore8: [1, 21, 568, 568],
  }),
  'fcn/voc-fcn8s-atonce/val.prototxt': loads({ inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } }, { score: [1, 21, 500, 500] }),
  'fcn/voc-fcn-alexnet/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    conv1: [1, 96, 173, 173],
    pool1: [1, 96, 86, 86],
    pool2: [1, 256, 43, 43],
    pool5: [1, 256, 21, 21],
    upscore: [1, 21, 543, 543],
  }),
  'fcn/voc-fcn-alexnet/val.prototxt': loads({ inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } }, { score: [1, 21, 500, 500] }),
  'fcn/nyud-fcn32s-color/trainval.prototxt': loads(pythonData({ data: [1, 3, 425, 560], label: [1, 1, 425, 560] }), {
    score: [1, 40, 425, 560],
  }),
  'fcn/nyud-fcn32s-color/test.prototxt': loads(
    { inputs: { data: [1, 3, 425, 560], label: [1, 1, 425, 560] } },
    { score: [1, 40, 425, 560] },
  ),
  'fcn/siftflow-fcn32s/trainval.prototxt': loads(pythonData({ data: [1, 3, 256, 256], sem: [1, 1, 256, 256], geo: [1, 1, 256, 256] }), {
    score_sem: [1, 33, 256, 256],
    score_geo: [1, 3, 256, 256],
  }),
  'fcn/siftflow-fcn32s/test.prototxt': loads({ inputs: { data: [1, 3, 256, 256], sem: [1, 1, 256, 256], geo: [1, 1, 256, 256] } }),
  'fcn/pascalcontext-fcn32s/train.prototxt': loads(pythonData({ data: [1, 3, 500, 500], label: [1, 1, 500, 500] }), {
    score: [1, 60, 500, 500],
  }),
  'fcn/pascalcontext-fcn32s/val.prototxt': loads({ inputs: { data: [1, 3, 500, 500], label: [1, 1, 500, 500] } }),
  'resnet/prototxt/ResNet-50-deploy.prototxt': loads(
    {},
    { res2c: [1, 256, 56, 56], res5c: [1, 2048, 7, 7], pool5: [1, 2048, 1, 1], prob: [1, 1000] },
  ),
  'vgg/VGG_ILSVRC_19_layers_deploy.prototxt': loads({}, { pool5: [10, 512, 7, 7], prob: [10, 1000] }),
  // v1.0's conv10 is a 1×1 convolution with pad 1 (a known quirk of the published file): 13 → 15.
  'squeezenet/SqueezeNet_v1.0/deploy.prototxt': loads({}, { pool8: [10, 512, 13, 13], conv10: [10, 1000, 15, 15], prob: [10, 1000, 1, 1] }),
  'squeezenet/SqueezeNet_v1.1/deploy.prototxt': loads({}, { conv10: [10, 1000, 14, 14], prob: [10, 1000, 1, 1] }),
  'squeezenet/SqueezeNet_v1.1/train_val.prototxt': loads({ inputs: { data: [25, 3, 227, 227] } }, { pool10: [25, 1000, 1, 1] }),
  'mobilenet/mobilenet_deploy.prototxt': loads({}, { 'conv6/sep': [1, 1024, 7, 7], prob: [1, 1000, 1, 1] }),
  'mobilenet/mobilenet_v2_deploy.prototxt': loads({}, { prob: [1, 1000, 1, 1] }),
  // A fork's `ceil_mode` (not a *_param, so it is a plain unknown field).
  'densenet/DenseNet_121.prototxt': loads({}, {}), // OpenCV's dialect: ceil_mode
  // HED's deploy net crops with no offsets: it loads (the analysis pass flags the crops).
  'hed/examples/hed/deploy.prototxt': loads({}, { 'sigmoid-fuse': [1, 1, 500, 500] }),
  // The forks' data readers (src/layers/forks/data-readers.ts): image and label map shapes given as inputs.
  'hed/examples/hed/train_val.prototxt': loads(
    { phase: 'train', inputs: { data: [1, 3, 320, 480], label: [1, 1, 320, 480] } },
    { 'upscore-dsn5': [1, 1, 320, 480], fuse_loss: [] },
  ),
  // U-Net (naibaf7/caffe): MergeCrop joins each upsampled map with the centre crop of its encoder map; 572² in, 388² out.
  'unet/net_u_2out/neuraltissue_net.prototxt': loads(
    {},
    { mergecrop1: [1, 1024, 56, 56], mergecrop4: [1, 128, 392, 392], prob: [1, 2, 388, 388] },
  ),
  'segnet/Models/segnet_inference.prototxt': loads(
    { inputs: { data: [1, 3, 360, 480], label: [1, 1, 360, 480] } },
    { pool5: [1, 512, 12, 15], prob: [1, 11, 360, 480] },
  ),
  'segnet/Models/segnet_basic_train.prototxt': loads(
    { phase: 'train', inputs: { data: [4, 3, 360, 480], label: [4, 1, 360, 480] } },
    { loss: [], per_class_accuracy: [11] },
  ),
  // Its 27 Python layers are spatial dropout at TEST: the identity (src/layers/python.ts).
  'enet/prototxts/enet_deploy.prototxt': loads({}, { drop1_0_3: [1, 64, 128, 256], deconv6_0_0: [1, 19, 512, 1024] }),
  'openpose/models/pose/body_25/pose_deploy.prototxt': loads({}),
  'openpose/models/pose/coco/pose_deploy_linevec.prototxt': loads({}),
  'ssd/presets/SSD300.prototxt': loads({}, {}), // the ssd dialect
  'ssd/voc/MobileNetSSD_deploy.prototxt': loads({}, {}), // the ssd dialect
  // Templates: a syntax error at the `${…}` placeholder.
  'deeplab/voc12/config/vgg128_noup/test.prototxt': fails('unexpected character "$"', 400, 17),
  'deeplab/voc2012/config/deeplab_largeFOV/test.prototxt': fails('unexpected character "$"', 381, 17),
  'flownet/models/FlowNet2/FlowNet2_deploy.prototxt.template': fails('unexpected character "$"', 6, 8),
  'pspnet/evaluation/prototxt/pspnet50_ADE20K_473.prototxt': loads({}, {}), // the pspnet dialect
  // Read in the fasterrcnn dialect; its SmoothL1Loss layers are supported, and it stops at its first Python
  // data layer (RoIDataLayer), whose tops can only be given (test/layers/smooth-l1-loss.test.ts).
  'faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt': fails(
    'layer "input-data" (Python): shape of top "data" cannot be known statically; give it with --input data=N,C,H,W',
    5,
    3,
  ),
  // py-faster-rcnn's Python ProposalLayer runs as the Proposal layer: its regions (a number only the data tells,
  // at most 300 at TEST) are planned at the bound, and ROIPooling pools each region of conv5_3 to 7×7.
  'faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/test.prototxt': loads(
    {},
    { conv5_3: [1, 512, 14, 14], rois: [300, 5], pool5: [300, 512, 7, 7], cls_prob: [300, 21], bbox_pred: [300, 84] },
  ),
  // ZF at 224: conv1 s2 p3 → 112, pool1 (ceil) → 57, conv2 s2 p2 → 29, pool2 (ceil) → 15.
  'faster-rcnn/models/pascal_voc/ZF/faster_rcnn_alt_opt/rpn_test.pt': loads(
    {},
    { rpn_cls_prob_reshape: [1, 18, 15, 15], rois: [300, 5], scores: [300, 1] },
  ),
  'super-resolution/FSRCNN/FSRCNN_mat.prototxt': loads({}),
  'super-resolution/Train/VDSR_net_deploy.prototxt': loads({}),
};
