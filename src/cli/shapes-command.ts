// `brewnet shapes <net>`: load, infer every blob's shape, print the table or one JSON object.
import { loadNet } from '../api/load-net.js';
import { activationMemory } from '../runtime/memory-plan.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { warnIfEmpty } from './report-errors.js';
import { renderShapesTable } from './shapes-table.js';
import { styleFor } from './style.js';

export interface ShapesFlags extends NetFlags {
  input?: Map<string, number[]>;
  json?: boolean;
}

export function shapesCommand(file: string, flags: ShapesFlags): void {
  const net = loadNet(file, { ...netLoadOptions(flags), inputs: flags.input });
  warnIfEmpty(net, file);
  // totals: parameters and multiply-accumulates of the whole net; memory: the planned peak of activation bytes
  // (blobs reusing dead blobs' space, in-place layers sharing theirs) and what unplanned storage would take.
  if (flags.json) {
    const { peak, unplanned } = activationMemory(net);
    process.stdout.write(
      JSON.stringify({
        ...net.toJSON(),
        totals: { params: net.totalParams, macs: net.totalMacs },
        memory: { peak_bytes: peak, unplanned_bytes: unplanned },
      }) + '\n',
    );
  } else process.stdout.write(renderShapesTable(net, styleFor(process.stdout)));
}
