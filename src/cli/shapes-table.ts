// The human form of `brewnet shapes`: one row per layer (name, type, bottoms → tops with shapes,
// parameter shapes and count, MACs, the activation memory its new tops take), then totals with the
// planned peak of activation memory (src/runtime/memory-plan.ts). Columns are padded to their widest cell.
import type { Net } from '../ir/net.js';
import type { Layer } from '../ir/layer.js';
import type { Blob } from '../ir/blob.js';
import { showShape } from '../layers/blob-checks.js';
import { activationMemory } from '../runtime/memory-plan.js';
import { bytes, compact, withThousands } from './format-numbers.js';
import { visibleLength, type Style } from './style.js';

export function renderShapesTable(net: Net, style: Style): string {
  const header = ['layer', 'type', 'bottoms → tops', 'params', 'MACs', 'memory'];
  const memory = activationMemory(net);
  const rows = net.layers.map((layer, i) => [
    layer.name,
    layer.type,
    flow(layer, style),
    params(layer, style),
    layer.macs ? compact(layer.macs) : '',
    memory.layerBytes[i] ? bytes(memory.layerBytes[i]) : '',
  ]);
  const widths = header.map((h, c) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[c]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - visibleLength(cell));
        return c >= cells.length - 2 ? pad + cell : cell + pad; // MACs and memory right-aligned
      })
      .join('  ')
      .trimEnd();
  const out = [style.bold(line(header)), ...rows.map(line)];
  out.push('');
  out.push(
    `${net.layers.length} layers · ${withThousands(net.totalParams)} parameters · ${compact(net.totalMacs)} MACs (${withThousands(net.totalMacs)})`,
  );
  out.push(
    `activation memory: ${bytes(memory.peak)} planned peak (blobs reuse dead blobs' bytes; ${bytes(memory.unplanned)} without reuse)`,
  );
  out.push(`inputs: ${net.inputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`).join(', ') || '(none)'}`);
  out.push(`outputs: ${net.outputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`).join(', ') || '(none)'}`);
  return out.join('\n') + '\n';
}

function flow(layer: Layer, style: Style): string {
  const blob = (b: Blob) => `${b.name} ${style.dim(showShape(b.shape))}`;
  const inPlace = layer.tops.length > 0 && layer.tops.every((_, i) => layer.isInPlace(i));
  if (inPlace) return `${layer.tops.map(blob).join(', ')} ${style.dim('(in place)')}`;
  const bottoms = layer.bottoms.map((b) => b.name).join(', ');
  const tops = layer.tops.map(blob).join(', ');
  return bottoms ? `${bottoms} → ${tops}` : `→ ${tops}`;
}

function params(layer: Layer, style: Style): string {
  if (!layer.paramShapes.length) return '';
  const shapes = layer.paramShapes.map((s) => showShape(s)).join(' + ');
  return `${shapes} ${style.dim(`(${withThousands(layer.paramCount)})`)}`;
}
