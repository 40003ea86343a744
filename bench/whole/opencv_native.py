# OpenCV's dnn module (native, a real Caffe reader and runtime) on one net, for the whole-net suite:
#   /usr/bin/python3 bench/whole/opencv_native.py <prototxt> <dir> <threads>
# Reads <dir>/weights.caffemodel and <dir>/input.npy, times forward passes as the brewnet child does (first
# call alone, then more while they are quick), writes the output and prints one BENCH-RESULT line.
import json, resource, statistics, sys, time
import cv2
import numpy as np

prototxt, folder, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
cv2.setNumThreads(threads)
t0 = time.perf_counter()
net = cv2.dnn.readNetFromCaffe(prototxt, folder + '/weights.caffemodel')
net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
x = np.load(folder + '/input.npy').astype(np.float32)
setup = (time.perf_counter() - t0) * 1000

def forward():
    net.setInput(x)
    return net.forward()

t = time.perf_counter(); y = forward(); first = (time.perf_counter() - t) * 1000
times = []
if first < 60000:
    # The same policy as wholeNetPolicy in bench/whole/result.ts: the second call's time picks the passes.
    t = time.perf_counter(); y = forward(); second = (time.perf_counter() - t) * 1000
    if second < 10000:
        warmup, lo, hi, budget = (1, 5, 20, 2000) if second < 1000 else (0, 2, 2, 0)
        for _ in range(warmup): forward()
        spent = 0
        while len(times) < hi and (len(times) < lo or spent < budget):
            t = time.perf_counter(); y = forward(); d = (time.perf_counter() - t) * 1000
            times.append(d); spent += d
    else:
        times.append(second)
out = folder + '/out-opencv-native.npy'
np.save(out, y.astype(np.float32))
print('\nBENCH-RESULT ' + json.dumps({
    'ms': statistics.median(times) if times else first, 'firstMs': first, 'runs': len(times), 'setupMs': setup,
    'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 'output': out,
    'detail': 'OpenCV %s, %d threads' % (cv2.__version__, cv2.getNumThreads())}))
