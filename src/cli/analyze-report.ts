// The human form of `brewnet analyze`: crops, merges, per-blob maps and receptive fields, what the
// crops cut away, deconvolution size ambiguity and valid input sizes.
import type { AnalysisReport } from '../analysis/analyze-net.js';
import { FIRST_SPATIAL_AXIS } from '../analysis/affine.js';
import { describeAxisMaps } from '../analysis/describe-map.js';
import type { Fraction } from '../analysis/fraction.js';
import { runs } from '../analysis/padding-coverage.js';
import { showShape } from '../layers/blob-checks.js';
import { visibleLength, type Style } from './style.js';

export function renderAnalysis(report: AnalysisReport, style: Style): string {
  const out: string[] = [];
  const section = (title: string) => out.push('', style.bold(title));

  section('Crops');
  if (!report.crops.length) out.push('(no Crop layers)');
  else {
    out.push(
      ...table(
        ['layer', 'crops', 'axis', 'file offset', 'computed', 'status'],
        report.crops.map((c) => [
          c.layer.name,
          `${c.layer.bottoms[0].name} → ${c.layer.bottoms[1].name}`,
          String(c.axis),
          c.offsetFile.join(', '),
          c.offsetComputed ? c.offsetComputed.join(', ') : '—',
          c.ok ? 'ok' : style.red(c.reason ?? 'mismatch'),
        ]),
        style,
      ),
    );
  }

  section('Merges');
  if (!report.merges.length) out.push('(no merges of spatial blobs)');
  for (const m of report.merges) out.push(`${m.layer.name}: ${m.ok ? 'aligned' : style.red(m.reason ?? 'misaligned')}`);

  const root = report.root;
  if (root) {
    section(`Coordinate maps and receptive fields (relative to "${root.name}", x = input pixel)`);
    const rows: string[][] = [];
    for (const blob of report.net.blobs) {
      const map = report.maps.get(blob)?.get(root);
      const rf = report.receptiveFields.get(blob);
      if (!map || !rf) continue;
      rows.push([blob.name, showShape(blob.shape), describeAxisMaps(map), perAxis(rf.size), perAxis(rf.jump), perAxis(rf.start)]);
    }
    out.push(...table(['blob', 'shape', `blob = a·x + b`, 'field size', 'jump', 'start'], rows, style));

    section(`Padding (input ${showShape(root.shape.slice(FIRST_SPATIAL_AXIS))}): units computed from zero padding alone, or partly`);
    let any = false;
    for (const blob of report.net.blobs) {
      const cover = report.padding.get(blob);
      if (!cover) continue;
      const parts = cover.map((c, j) => {
        const r = runs(c).filter((x) => x.kind !== 'inside');
        return r.length
          ? `axis ${j + FIRST_SPATIAL_AXIS}: ${r.map((x) => `${x.from}–${x.to} ${x.kind === 'padding' ? 'padding only' : 'partly padding'}`).join(', ')}`
          : '';
      });
      if (parts.every((p) => !p)) continue;
      any = true;
      out.push(`${blob.name}: ${parts.filter(Boolean).join('; ')}`);
    }
    if (!any) out.push('(every unit of every blob sees only real pixels)');

    if (report.crops.some((c) => c.border.length)) {
      section('What each Crop cuts away');
      for (const c of report.crops) {
        for (const b of c.border) {
          const verdict =
            b.kinds.padding === b.units[1] - b.units[0] + 1
              ? 'all computed from padding alone'
              : `${b.kinds.padding} from padding alone, ${b.kinds.partial} partly from real pixels, ${b.kinds.inside} entirely from real pixels`;
          out.push(
            `${c.layer.name}: ${c.layer.bottoms[0].name} axis ${b.axis} units ${b.units[0]}–${b.units[1]} (centres at x = ${fmt(b.centres[0])} … ${fmt(b.centres[1])}): ${verdict}`,
          );
        }
      }
    }
  }

  if (report.deconvolutions.length) {
    section('Deconvolution output sizes (a stride-s convolution maps s input sizes to one output size)');
    for (const d of report.deconvolutions) {
      out.push(
        `${d.layer.name} axis ${d.axis}: input ${d.input}; forward sizes ${sizeList(d.sizes)} all map to ${d.input}; Caffe produces ${d.caffe}`,
      );
    }
  }

  if (report.validSizes) {
    section('Valid input sizes');
    for (const v of report.validSizes) {
      const ranges = v.valid.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}..${r.to}`)).join(', ') || 'none';
      out.push(`axis ${v.axis} (${v.inputs.join(', ')}): ${ranges}`);
    }
  }
  return out.join('\n').replace(/^\n/, '') + '\n';
}

function sizeList(sizes: number[]): string {
  const contiguous = sizes.every((s, i) => i === 0 || s === sizes[i - 1] + 1);
  return contiguous && sizes.length > 4 ? `${sizes[0]}..${sizes[sizes.length - 1]} (${sizes.length} sizes)` : sizes.join(', ');
}

function perAxis(values: Fraction[]): string {
  const texts = values.map((v) => fmt(v.toNumber()));
  return texts.every((t) => t === texts[0]) ? texts[0] : texts.join(' × ');
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

function table(header: string[], rows: string[][], style: Style): string[] {
  const widths = header.map((h, c) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[c]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell + ' '.repeat(widths[c] - visibleLength(cell)))
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)];
}
