# A small segmentation net in the Theano style of 2015-16, before Lasagne had TransposedConv2DLayer:
# layers are classes, and the upsampling layer is the classic DeconvolutionLayer that works out its own
# output size, s*(i - 1) + k - 2p, and asks Theano for it through conv2d_grad_wrt_inputs.
#
# brewnet runs it without Theano (the input's shape comes from --input):
#   brewnet shapes examples/theano-deconv.py --input x=1,3,64,64
#   brewnet convert examples/theano-deconv.py --input x=1,3,64,64
# and build(extra=1) asks for one row and column more than Caffe's Deconvolution makes: brewnet takes it
# (a stride-4 convolution maps four sizes to the same output), but will not write it as prototxt.
import numpy as np
import theano
import theano.tensor as T
from theano.tensor.nnet import conv2d, relu
from theano.tensor.nnet.abstract_conv import conv2d_grad_wrt_inputs
from theano.tensor.signal.pool import pool_2d

floatX = theano.config.floatX
rng = np.random.RandomState(1234)


def weights(*shape):
    return theano.shared(np.asarray(rng.normal(0, 0.01, size=shape), dtype=floatX))


def zeros(n):
    return theano.shared(np.zeros((n,), dtype=floatX))


class Layer(object):
    """A layer reads one incoming tensor and makes one output tensor."""

    def __init__(self, incoming, name):
        self.input = incoming
        self.name = name

    def get_output(self):
        raise NotImplementedError


class ConvLayer(Layer):
    """A 'same' convolution with a bias, and a ReLU unless nonlinear=False."""

    def __init__(self, incoming, num_filters, filter_size, name, nonlinear=True):
        super(ConvLayer, self).__init__(incoming, name)
        channels = incoming.shape[1]
        self.W = weights(num_filters, channels, filter_size, filter_size)
        self.b = zeros(num_filters)
        self.nonlinear = nonlinear

    def get_output(self):
        # filter_flip=False: correlate, as Caffe does, so the weights port as they are.
        conved = conv2d(self.input, self.W, border_mode='half', filter_flip=False)
        conved = conved + self.b.dimshuffle('x', 0, 'x', 'x')
        conved.name = self.name
        if not self.nonlinear:
            return conved
        activated = relu(conved)
        activated.name = self.name + '_relu'
        return activated


class DeconvolutionLayer(Layer):
    """The transpose of a stride-s convolution: output size s*(i - 1) + k - 2p."""

    def __init__(self, incoming, num_filters, filter_size, stride, pad, name, extra=0):
        super(DeconvolutionLayer, self).__init__(incoming, name)
        self.num_filters = num_filters
        self.filter_size = filter_size
        self.stride = stride
        self.pad = pad
        self.extra = extra
        # The filters of the convolution this layer transposes: (its outputs = our inputs, our outputs, k, k).
        self.W = weights(incoming.shape[1], num_filters, filter_size, filter_size)
        self.b = zeros(num_filters)

    def get_output_shape_for(self, input_shape):
        batch_size, _, rows, cols = input_shape
        s, k, p = self.stride, self.filter_size, self.pad
        return (batch_size, self.num_filters,
                s * (rows - 1) + k - 2 * p + self.extra,
                s * (cols - 1) + k - 2 * p + self.extra)

    def get_output(self):
        output_shape = self.get_output_shape_for(self.input.shape)
        upsampled = conv2d_grad_wrt_inputs(self.input, self.W, input_shape=output_shape,
                                           border_mode=self.pad, subsample=(self.stride, self.stride),
                                           filter_flip=False)
        upsampled = upsampled + self.b.dimshuffle('x', 0, 'x', 'x')
        upsampled.name = self.name
        return upsampled


def build(extra=0):
    x = T.tensor4('x')
    conv1 = ConvLayer(x, 32, 3, 'conv1').get_output()
    pool1 = pool_2d(conv1, ws=(2, 2), ignore_border=True)
    conv2 = ConvLayer(pool1, 64, 3, 'conv2').get_output()
    pool2 = pool_2d(conv2, ws=(2, 2), ignore_border=True)
    score = ConvLayer(pool2, 21, 1, 'score', nonlinear=False).get_output()
    up = DeconvolutionLayer(score, 21, filter_size=8, stride=4, pad=2, name='up', extra=extra).get_output()
    return theano.function([x], up)


net = build()
