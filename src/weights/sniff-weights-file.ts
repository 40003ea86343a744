// Files that are plainly not a binary .caffemodel, told by their first bytes before decoding: a prototxt (or
// any text) given where the weights belong, or Caffe's other weights format, HDF5 (.caffemodel.h5). A real
// .caffemodel cannot pass for text: its first layer's tag (0xa2 0x06) is not UTF-8.

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
export const SNIFF_BYTES = 512;

function isHdf5(head: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => head[i] === b);
}

/** Valid UTF-8 (a character cut at the end allowed) without control characters other than tab and newlines. */
function isText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    try {
      const text = decoder.decode(head.subarray(0, head.length - cut));
      return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
    } catch {
      // Not UTF-8 up to here; a multi-byte character may have been cut at the end: try a byte shorter.
    }
  }
  return false;
}

/** Why the file is not a .caffemodel, with a hint, or undefined when it may be one. */
export function sniffWeightsFile(head: Uint8Array, file: string): { message: string; hint: string } | undefined {
  if (isHdf5(head)) {
    return {
      message: `${file} is an HDF5 weights file (.caffemodel.h5), which brewnet does not read`,
      hint: "load it in pycaffe and save it as a binary .caffemodel: caffe.Net(prototxt, weights, caffe.TEST).save('out.caffemodel')",
    };
  }
  if (isText(head)) {
    return {
      message: `${file} is a text file, not a binary .caffemodel`,
      hint: 'weights are the binary .caffemodel file Caffe writes; a .prototxt describes the net, not its weights',
    };
  }
  return undefined;
}
