# How much OpenCV's dnn module itself gains from a second thread on this machine: the yardstick for the
# whole-net suite's "threads ≥ 1.6× one thread" target. Run after `npm run bench -- --only whole` (it reuses
# the seeded weights and inputs that suite wrote to bench/out/whole/<net>/), from the repository root:
#   /usr/bin/python3 bench/whole/opencv_threads.py [net ids…]   (default: resnet50 googlenet)
# Prints per net the median ms of 15 passes with 1 and 2 threads, twice each, and the best-to-best ratio.
import os, sys, time
import cv2
import numpy as np

CORPUS = os.path.join('..', 'shared', 'corpus')
PROTOTXT = {
    'resnet50': 'resnet/prototxt/ResNet-50-deploy.prototxt',
    'googlenet': 'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt',
    'squeezenet11': 'squeezenet/SqueezeNet_v1.1/deploy.prototxt',
    'caffenet': 'bvlc-caffe/models/bvlc_reference_caffenet/deploy.prototxt',
}
for net_id in sys.argv[1:] or ['resnet50', 'googlenet']:
    folder = os.path.join('bench', 'out', 'whole', net_id)
    x = np.load(os.path.join(folder, 'input.npy'))
    medians = {1: [], 2: []}
    for threads in (1, 2, 1, 2):
        cv2.setNumThreads(threads)
        net = cv2.dnn.readNetFromCaffe(os.path.join(CORPUS, PROTOTXT[net_id]), os.path.join(folder, 'weights.caffemodel'))
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        for _ in range(2):
            net.setInput(x)
            net.forward()
        times = []
        for _ in range(15):
            t = time.perf_counter()
            net.setInput(x)
            net.forward()
            times.append((time.perf_counter() - t) * 1000)
        medians[threads].append(sorted(times)[7])
    print(f'{net_id}: 1 thread {medians[1]} ms, 2 threads {medians[2]} ms, speed-up {min(medians[1]) / min(medians[2]):.2f}x (load {os.getloadavg()[0]:.2f})')
