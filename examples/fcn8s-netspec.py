# FCN-8s for inference as a pycaffe NetSpec script: the net of examples/fcn8s-deploy.prototxt, built with
# loops and helpers, its three Crop offsets computed by crop() from the coordinate maps instead of being
# written by hand. It runs under Caffe's Python as it is, and under brewnet without Caffe:
#   brewnet shapes examples/fcn8s-netspec.py
#   brewnet shapes examples/fcn8s-netspec.py --call 'fcn8s(size=224)'
#   brewnet convert examples/fcn8s-netspec.py -o out/    (runs the main block: writes out/fcn8s-deploy.prototxt)
import caffe
from caffe import layers as L, params as P
from caffe.coord_map import crop

# VGG16's five blocks: how many 3x3 convolutions, and their channels.
VGG16 = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]


def conv_relu(n, conv, relu, bottom, nout, **kwargs):
    n[conv] = L.Convolution(bottom, num_output=nout, **kwargs)
    n[relu] = L.ReLU(n[conv], in_place=True)
    return n[relu]


def upsample(bottom, classes, factor):
    # Learnable upsampling by `factor`, initialised bilinear in FCN's training; no bias.
    return L.Deconvolution(bottom, convolution_param=dict(num_output=classes, kernel_size=2 * factor,
                                                          stride=factor, bias_term=False))


def fcn8s(size=500, classes=21):
    n = caffe.NetSpec()
    n.data = L.Input(name='input', shape=dict(dim=[1, 3, size, size]))

    # The VGG16 body. pad=100 on the first convolution lets the net take inputs of any size.
    top = n.data
    for block, (convs, channels) in enumerate(VGG16, start=1):
        for i in range(1, convs + 1):
            pad = 100 if block == 1 and i == 1 else 1
            top = conv_relu(n, f'conv{block}_{i}', f'relu{block}_{i}', top, channels, pad=pad, kernel_size=3)
        n[f'pool{block}'] = top = L.Pooling(top, pool=P.Pooling.MAX, kernel_size=2, stride=2)

    # The classifier as convolutions.
    top = conv_relu(n, 'fc6', 'relu6', top, 4096, kernel_size=7)
    top = conv_relu(n, 'fc7', 'relu7', top, 4096, kernel_size=1)
    n.score_fr = L.Convolution(top, num_output=classes, kernel_size=1)

    # Upsample 2x and fuse with pool4's scores, again with pool3's, then 8x back to the input.
    n.upscore2 = upsample(n.score_fr, classes, 2)
    n.score_pool4 = L.Convolution(n.pool4, num_output=classes, kernel_size=1)
    n.score_pool4c = crop(n.score_pool4, n.upscore2)
    n.fuse_pool4 = L.Eltwise(n.upscore2, n.score_pool4c, operation=P.Eltwise.SUM)

    n.upscore_pool4 = upsample(n.fuse_pool4, classes, 2)
    n.score_pool3 = L.Convolution(n.pool3, num_output=classes, kernel_size=1)
    n.score_pool3c = crop(n.score_pool3, n.upscore_pool4)
    n.fuse_pool3 = L.Eltwise(n.upscore_pool4, n.score_pool3c, operation=P.Eltwise.SUM)

    n.upscore8 = upsample(n.fuse_pool3, classes, 8)
    n.score = crop(n.upscore8, n.data)

    net = n.to_proto()
    net.name = 'fcn8s'
    return net


if __name__ == '__main__':
    with open('fcn8s-deploy.prototxt', 'w') as f:
        f.write(str(fcn8s()))
