// The benchmark's tables: times and speeds per tool and size, the speed ratios, and the linearity check.
import { mbPerSecond, type Timing } from './timing.js';

export interface SizeResult {
  /** Nominal size asked of the generator, MB. */
  nominal: number;
  bytes: number;
  layers: number;
  brewnet: { parse: Timing; type: Timing; full: Timing };
  protoc?: Timing;
  python?: Timing;
}

export interface Peers {
  /** protoc's fixed cost (spawn, loading caffe.proto) measured on a one-line file, ms. */
  protocStartup?: number;
}

const TOOLS: { key: string; label: string; brewnet?: true; pick: (r: SizeResult) => Timing | undefined }[] = [
  { key: 'parse', brewnet: true, label: 'brewnet scan+parse', pick: (r) => r.brewnet.parse },
  { key: 'type', brewnet: true, label: 'brewnet parse+type', pick: (r) => r.brewnet.type },
  { key: 'full', brewnet: true, label: 'brewnet full (loadNet)', pick: (r) => r.brewnet.full },
  { key: 'protoc', label: 'protoc --encode (C++)', pick: (r) => r.protoc },
  { key: 'python', label: 'Python text_format', pick: (r) => r.python },
];

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const ms = (t: number) => t.toFixed(0);
const rate = (bytes: number, t: number) => mbPerSecond(bytes, t).toFixed(1);
/** "brewnet is X× the speed of …": the peer's time over brewnet's. */
const ratio = (brewnet: number, peer: number | undefined) => (peer === undefined ? 'n/a' : `${(peer / brewnet).toFixed(2)}×`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function timesTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const tool of TOOLS) {
      const t = tool.pick(r);
      if (!t) continue;
      rows.push([mb(r.bytes), String(r.layers), tool.label, ms(t.median), ms(t.min), rate(r.bytes, t.median), String(t.runs)]);
    }
  }
  return table(['size MB', 'layers', 'tool', 'median ms', 'min ms', 'MB/s (median)', 'runs'], rows);
}

export function ratioTable(results: SizeResult[], peers: Peers): string {
  const startup = peers.protocStartup ?? 0;
  /** "median ratio (min ratio)": the fastest runs are the least disturbed by other load on the machine. */
  const both = (brewnet: Timing, peer: Timing | undefined, peerOffset = 0) =>
    peer === undefined
      ? 'n/a'
      : `${ratio(brewnet.median, Math.max(peer.median - peerOffset, 1e-3))} (${ratio(brewnet.min, Math.max(peer.min - peerOffset, 1e-3))})`;
  const rows = results.map((r) => [
    mb(r.bytes),
    both(r.brewnet.full, r.protoc),
    both(r.brewnet.full, r.protoc, startup),
    both(r.brewnet.type, r.protoc),
    both(r.brewnet.full, r.python),
    both(r.brewnet.type, r.python),
  ]);
  return table(
    [
      'size MB',
      'brewnet full vs protoc',
      'brewnet full vs protoc minus start-up',
      'brewnet parse+type vs protoc',
      'brewnet full vs Python',
      'brewnet parse+type vs Python',
    ],
    rows,
  );
}

/**
 * MB/s per tool at each size, and the spread (fastest over slowest): near 1 means linear in size.
 * `worstSpread` is brewnet's worst.
 */
export function linearityTable(results: SizeResult[]): { text: string; worstSpread: number } {
  let worstSpread = 1;
  const rows: string[][] = [];
  for (const tool of TOOLS) {
    const speeds = results.flatMap((r) => {
      const t = tool.pick(r);
      return t ? [mbPerSecond(r.bytes, t.median)] : [];
    });
    if (speeds.length === 0) continue;
    const spread = Math.max(...speeds) / Math.min(...speeds);
    if (tool.brewnet) worstSpread = Math.max(worstSpread, spread);
    rows.push([tool.label, ...speeds.map((s) => s.toFixed(1)), `${spread.toFixed(2)}×`]);
  }
  const header = ['tool', ...results.map((r) => `${mb(r.bytes)} MB`), 'spread'];
  return { text: table(header, rows), worstSpread };
}
