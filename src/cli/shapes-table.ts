// The human form of `brewnet shapes`: one row per layer (name, type, bottoms → tops with shapes,
// parameter shapes and count, MACs, the activation memory its new tops take), then totals with the
// planned peak of activation memory (src/runtime/memory-plan.ts). Columns are padded to their widest cell.
import type { Net } from '../ir/net.js';
import type { Layer } from '../ir/layer.js';
import type { Blob } from '../ir/blob.js';
import { showShape } from '../layers/blob-checks.js';
import { activationMemory } from '../runtime/memory-plan.js';
import { variableRowBlobs } from '../runtime/variable-rows.js';
import { bytes, compact, withThousands } from '../printer/format-numbers.js';
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
  // A column is as wide as its widest cell up to MAX_COLUMN; a longer cell runs past it rather than widen
  // every row (one Concat of 5,000 bottoms would pad 5,000 rows to its width).
  const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, Math.min(MAX_COLUMN, visibleLength(r[c]))), visibleLength(h)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, widths[c] - visibleLength(cell)));
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
  out.push(
    `inputs: ${
      listed(
        net.inputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`),
        'inputs',
      ) || '(none)'
    }`,
  );
  out.push(
    `outputs: ${
      listed(
        net.outputs.map((n) => `${n} ${showShape(net.blob(n).shape)}`),
        'outputs',
      ) || '(none)'
    }`,
  );
  out.push(...variableRows(net));
  return out.join('\n') + '\n';
}

/** A line per layer whose tops have as many rows as the data gives (py-faster-rcnn's proposals): the shapes show the bound. */
function variableRows(net: Net): string[] {
  const follows = variableRowBlobs(net, false);
  return net.layers
    .filter((l) => l.module.variableRows?.(l))
    .map((l) => {
      const names = new Set(net.blobVersions.filter((b) => follows.get(b.id) === l.tops[0].id).map((b) => b.name));
      for (const t of l.tops) names.delete(t.name);
      const tops = l.tops.map((t) => t.name).join(' and ');
      const after = names.size
        ? ` and the ${withThousands(names.size)} blob(s) after ${l.tops.length > 1 ? 'them' : 'it'} (${listed([...names], 'blobs')})`
        : '';
      const verb = l.tops.length > 1 || names.size ? 'have' : 'has';
      return `rows: ${tops}${after} ${verb} as many rows as layer "${l.name}" keeps, known only at run time; the shapes show the most, ${withThousands(l.tops[0].shape[0])}`;
    });
}

/** Widest a column is padded to. */
const MAX_COLUMN = 80;
/** Most names a list shows before it says how many more there are. */
const MAX_LISTED = 8;

/** Names joined by commas; a long list shows its first ones and how many it has in all. */
function listed(names: string[], what: string): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_LISTED - 2).join(', ')}, …, ${names[names.length - 1]} (${withThousands(names.length)} ${what})`;
}

function flow(layer: Layer, style: Style): string {
  const blob = (b: Blob) => `${b.name} ${style.dim(showShape(b.shape))}`;
  const inPlace = layer.tops.length > 0 && layer.tops.every((_, i) => layer.isInPlace(i));
  if (inPlace) return `${listed(layer.tops.map(blob), 'tops')} ${style.dim('(in place)')}`;
  const bottoms = listed(
    layer.bottoms.map((b) => b.name),
    'bottoms',
  );
  const tops = listed(layer.tops.map(blob), 'tops');
  return bottoms ? `${bottoms} → ${tops}` : `→ ${tops}`;
}

function params(layer: Layer, style: Style): string {
  if (!layer.paramShapes.length) return '';
  const shapes = layer.paramShapes.map((s) => showShape(s)).join(' + ');
  return `${shapes} ${style.dim(`(${withThousands(layer.paramCount)})`)}`;
}
