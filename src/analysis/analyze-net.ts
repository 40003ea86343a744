// `brewnet analyze`: every coordinate analysis of one net, gathered into one report (and its JSON form).
import type { Blob } from '../ir/blob.js';
import type { Net } from '../ir/net.js';
import { FIRST_SPATIAL_AXIS, spatialAxes, type AffineMap } from './affine.js';
import { computeCoordMaps, type BlobMaps, type MergeReport } from './coord-maps.js';
import { cropOffsets, type CropReport } from './crop-offsets.js';
import { deconvolutionSizes, type DeconvSizes } from './deconv-sizes.js';
import { paddingCoverage, runs, unitKind, type AxisCoverage, type UnitKind, type UnitRun } from './padding-coverage.js';
import { receptiveFields, type ReceptiveField } from './receptive-fields.js';
import { validInputSizes, type AxisSizes, type SizeRange } from './valid-sizes.js';

/** Units of a Crop's first bottom that the crop throws away, on one side of one axis. */
export interface CroppedBorder {
  axis: number;
  side: 'before' | 'after';
  units: [number, number];
  /** Input coordinates of the first and last cropped unit's centre. */
  centres: [number, number];
  kinds: Record<UnitKind, number>;
}

export interface AnalysisReport {
  net: Net;
  maps: BlobMaps;
  /** The blob receptive fields and padding are measured against (the net's first spatial input). */
  root?: Blob;
  crops: (CropReport & { border: CroppedBorder[] })[];
  merges: MergeReport[];
  receptiveFields: Map<Blob, ReceptiveField>;
  padding: Map<Blob, AxisCoverage[]>;
  deconvolutions: DeconvSizes[];
  validSizes?: AxisSizes[];
}

export function analyzeNet(net: Net, options: { sizes?: SizeRange } = {}): AnalysisReport {
  const { maps, merges } = computeCoordMaps(net);
  const root = primaryInput(net);
  const padding = root ? paddingCoverage(net, root) : new Map<Blob, AxisCoverage[]>();
  const crops = net.layers
    .filter((l) => l.spatial?.kind === 'crop')
    .map((layer) => {
      const report = cropOffsets(maps, layer);
      return { ...report, border: root ? croppedBorders(report, maps, root, padding) : [] };
    });
  return {
    net,
    maps,
    root,
    crops,
    merges,
    receptiveFields: root ? receptiveFields(net, maps, root) : new Map(),
    padding,
    deconvolutions: deconvolutionSizes(net),
    validSizes: options.sizes ? validInputSizes(net, options.sizes) : undefined,
  };
}

/** The first Input top with spatial axes, else the first source top with them. */
function primaryInput(net: Net): Blob | undefined {
  const candidates = net.layers.filter((l) => l.module.source).flatMap((l) => l.tops);
  const spatial = candidates.filter((b) => spatialAxes(b.shape) > 0);
  return spatial.find((b) => net.inputs.includes(b.name)) ?? spatial[0];
}

function croppedBorders(report: CropReport, maps: BlobMaps, root: Blob, padding: Map<Blob, AxisCoverage[]>): CroppedBorder[] {
  const layer = report.layer;
  const source = layer.bottoms[0];
  const map = maps.get(source)?.get(root);
  const cover = padding.get(source);
  if (!map || !cover) return [];
  const out: CroppedBorder[] = [];
  const top = layer.tops[0];
  report.offsetFile.forEach((offset, i) => {
    const axis = report.axis + i;
    const j = axis - FIRST_SPATIAL_AXIS;
    if (j < 0 || !cover[j]) return;
    const size = source.shape[axis];
    const kept = top.shape[axis];
    const sides: ['before' | 'after', number, number][] = [
      ['before', 0, offset - 1],
      ['after', offset + kept, size - 1],
    ];
    for (const [side, from, to] of sides) {
      if (from > to) continue;
      const kinds: Record<UnitKind, number> = { padding: 0, partial: 0, inside: 0 };
      for (let u = from; u <= to; u++) kinds[unitKind(cover[j], u)]++;
      out.push({ axis, side, units: [from, to], centres: [centre(map, j, from), centre(map, j, to)], kinds });
    }
  });
  return out;
}

/** Input coordinate of unit u's centre: x = (u − b)/a. */
function centre(map: AffineMap, j: number, u: number): number {
  return (u - map[j].b.toNumber()) / map[j].a.toNumber();
}

/** The JSON form `analyze --json` prints. */
export function analysisJSON(report: AnalysisReport): object {
  const { net } = report;
  const maps: Record<string, Record<string, { a: number[]; b: number[] }>> = {};
  for (const blob of net.blobs) {
    const byRoot = report.maps.get(blob);
    if (!byRoot?.size) continue;
    maps[blob.name] = Object.fromEntries(
      [...byRoot].map(([root, m]) => [root.name, { a: m.map((x) => x.a.toNumber()), b: m.map((x) => x.b.toNumber()) }]),
    );
  }
  const receptive: Record<string, { size: number[]; jump: number[]; start: number[] }> = {};
  const padding: Record<string, UnitRun[][]> = {};
  for (const blob of net.blobs) {
    const rf = report.receptiveFields.get(blob);
    if (rf) receptive[blob.name] = { size: nums(rf.size), jump: nums(rf.jump), start: nums(rf.start) };
    const cover = report.padding.get(blob);
    if (cover) padding[blob.name] = cover.map((c) => runs(c));
  }
  return {
    input: report.root?.name ?? null,
    maps,
    crops: report.crops.map((c) => ({
      layer: c.layer.name,
      axis: c.axis,
      offset_file: c.offsetFile,
      offset_computed: c.offsetComputed,
      ok: c.ok,
      ...(c.reason ? { reason: c.reason } : {}),
      cropped_border: c.border,
    })),
    merges: report.merges.map((m) => ({ layer: m.layer.name, ok: m.ok, ...(m.reason ? { reason: m.reason } : {}) })),
    receptive_fields: receptive,
    padding,
    deconvolutions: report.deconvolutions.map((d) => ({
      layer: d.layer.name,
      axis: d.axis,
      input: d.input,
      sizes: d.sizes,
      caffe: d.caffe,
    })),
    ...(report.validSizes ? { valid_sizes: report.validSizes } : {}),
  };
}

const nums = (xs: { toNumber(): number }[]) => xs.map((x) => x.toNumber());
