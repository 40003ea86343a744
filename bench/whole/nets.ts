// The nets of the whole-net peer suite (issue 12's table): real corpus nets at batch 1, run whole on brewnet,
// OpenCV's dnn module (native, 2 threads), opencv.js (OpenCV's WebAssembly build, in Node) and, where the
// ONNX export exists, onnxruntime-node on the exported model — the same seeded weights and input for all.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WholeNet {
  id: string;
  title: string;
  /** The prototxt as published (peers read this file), or why it is absent. */
  path: string | { missing: string };
  /** The input blob and its shape at batch 1. */
  input: { name: string; shape: number[] };
  /** Slow nets get one timed forward (after the first call) instead of several. */
  slow?: boolean;
  /** The output is SSD's detection table, compared with the oracle's as a set of rows. */
  detections?: boolean;
}

function corpusFile(root: string, relative: string): string | { missing: string } {
  const corpus = join(root, '..', 'shared', 'corpus');
  if (!existsSync(corpus)) return { missing: `no corpus at ${corpus}` };
  const path = join(corpus, relative);
  return existsSync(path) ? path : { missing: `${path} absent from the corpus` };
}

export function wholeNets(root: string): WholeNet[] {
  return [
    {
      id: 'googlenet',
      title: 'GoogLeNet 224²',
      path: corpusFile(root, 'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 224, 224] },
    },
    {
      id: 'resnet50',
      title: 'ResNet-50 224²',
      path: corpusFile(root, 'resnet/prototxt/ResNet-50-deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 224, 224] },
    },
    {
      id: 'squeezenet11',
      title: 'SqueezeNet 1.1 227²',
      path: corpusFile(root, 'squeezenet/SqueezeNet_v1.1/deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 227, 227] },
    },
    {
      id: 'mobilenet',
      title: 'MobileNet v1 224²',
      path: corpusFile(root, 'mobilenet/mobilenet_deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 224, 224] },
    },
    {
      id: 'caffenet',
      title: 'CaffeNet 227²',
      path: corpusFile(root, 'bvlc-caffe/models/bvlc_reference_caffenet/deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 227, 227] },
    },
    // Fork nets (issue 14): OpenCV's dnn module runs caffe-ssd's and DenseNet's layers natively.
    {
      id: 'densenet121',
      title: 'DenseNet-121 224² (ceil_mode)',
      path: corpusFile(root, 'densenet/DenseNet_121.prototxt'),
      input: { name: 'data', shape: [1, 3, 224, 224] },
    },
    {
      id: 'mobilenetssd',
      title: 'MobileNet-SSD 300² (caffe-ssd)',
      path: corpusFile(root, 'ssd/voc/MobileNetSSD_deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 300, 300] },
      detections: true,
    },
    {
      id: 'ssd300',
      title: 'SSD300 (caffe-ssd)',
      path: corpusFile(root, 'ssd/presets/SSD300.prototxt'),
      input: { name: 'data', shape: [1, 3, 300, 300] },
      detections: true,
      slow: true,
    },
    {
      id: 'vgg19',
      title: 'VGG-19 224²',
      path: corpusFile(root, 'vgg/VGG_ILSVRC_19_layers_deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 224, 224] },
      slow: true,
    },
    {
      id: 'fcn8s',
      title: 'FCN-8s 500²',
      path: join(root, 'examples', 'fcn8s-deploy.prototxt'),
      input: { name: 'data', shape: [1, 3, 500, 500] },
      slow: true,
    },
  ];
}
