// Writes an ONNX model to a file, streaming: initializer by initializer (never the whole model in memory),
// into ONNX external data beside it when the parameters pass protobuf's 2 GB limit. Node only (it writes
// files); exportOnnx in export-onnx.ts gives the bytes anywhere, a browser included.
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fail } from '../../diagnostics/diagnostic.js';
import type { Net } from '../../ir/net.js';
import { build, EXTERNAL_DATA_ABOVE, meta, totalBytes, type ExportOnnxOptions, type OnnxFileResult } from './export-onnx.js';
import { writeModel } from './write-model.js';

/** A small buffer in front of writeSync, so the many small framing pieces do not each cost a system call. */
function fileSink(fd: number): { write(chunk: Uint8Array): void; flush(): void } {
  const buffer = new Uint8Array(1 << 20);
  let used = 0;
  const flush = () => {
    let off = 0;
    while (off < used) off += writeSync(fd, buffer, off, used - off);
    used = 0;
  };
  return {
    write(chunk) {
      if (chunk.length >= buffer.length) {
        flush();
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
        return;
      }
      if (used + chunk.length > buffer.length) flush();
      buffer.set(chunk, used);
      used += chunk.length;
    },
    flush,
  };
}

/** Streams the model to `file` (and `<file>.data` when the parameters pass externalDataAbove). */
export function writeOnnxFile(net: Net, file: string, options: ExportOnnxOptions = {}): OnnxFileResult {
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    fail(`cannot write ${file}: the folder ${folder} does not exist`, undefined, `create it first (mkdir -p ${folder})`);
  const { graph, opset } = build(net, options);
  const initializerBytes = totalBytes(graph);
  const external = initializerBytes > (options.externalDataAbove ?? EXTERNAL_DATA_ABOVE);
  const dataFile = `${file}.data`;
  // Written beside the targets first and renamed at the end: a failure leaves no half-written model.
  const partial = `${file}.partial-${process.pid}`;
  const partialData = `${dataFile}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  const dataFd = external ? openSync(partialData, 'w') : undefined;
  try {
    const sink = fileSink(fd);
    const dataSink = dataFd === undefined ? undefined : fileSink(dataFd);
    writeModel(graph, meta(net, opset), sink.write, dataSink && { location: basename(dataFile), write: dataSink.write });
    sink.flush();
    dataSink?.flush();
  } catch (e) {
    closeSync(fd);
    if (dataFd !== undefined) closeSync(dataFd);
    rmSync(partial, { force: true });
    rmSync(partialData, { force: true });
    throw e;
  }
  closeSync(fd);
  if (dataFd !== undefined) closeSync(dataFd);
  renameSync(partial, file);
  if (external) renameSync(partialData, dataFile);
  return {
    file,
    bytes: statSync(file).size,
    externalData: external ? { file: dataFile, bytes: statSync(dataFile).size } : undefined,
    initializerBytes,
    nodes: graph.nodes.length,
    opset,
  };
}
