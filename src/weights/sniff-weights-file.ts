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

/**
 * Whether `bytes` is whole protobuf wire data: varint and length-delimited fields only, each length
 * ending inside the data, and the last one ending exactly at its end. A .caffemodel of a net without
 * parameter blobs is only `name` (tag 0x0a, then its length): printable text when the length is 10.
 */
function isWireData(bytes: Uint8Array): boolean {
  let at = 0;
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.length) return undefined;
      const b = bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return undefined;
  };
  while (at < bytes.length) {
    const tag = varint();
    if (tag === undefined || tag >>> 3 === 0) return false;
    const wire = tag & 7;
    if (wire === 0) {
      if (varint() === undefined) return false;
    } else if (wire === 2) {
      const n = varint();
      if (n === undefined || at + n > bytes.length) return false;
      at += n;
    } else return false;
  }
  return at === bytes.length;
}

/** Why the file is not a .caffemodel, with a hint, or undefined when it may be one. */
export function sniffWeightsFile(head: Uint8Array, file: string): { message: string; hint: string } | undefined {
  if (isHdf5(head)) {
    return {
      message: `${file} is an HDF5 weights file (.caffemodel.h5), which brewnet does not read`,
      hint: "load it in pycaffe and save it as a binary .caffemodel: caffe.Net(prototxt, weights, caffe.TEST).save('out.caffemodel')",
    };
  }
  // A head shorter than SNIFF_BYTES is the whole file: well-formed wire data then wins over text.
  if (isText(head) && !(head.length < SNIFF_BYTES && head[0] === 0x0a && isWireData(head))) {
    return {
      message: `${file} is a text file, not a binary .caffemodel`,
      hint: 'weights are the binary .caffemodel file Caffe writes; a .prototxt describes the net, not its weights',
    };
  }
  return undefined;
}
