// Human numbers for tables and pictures (the CLI's shapes table, draw's boxes): 1,792 · 842.0M · 3.1 MiB.
export function withThousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in binary units: 512 B · 3.1 MiB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units: [number, string][] = [
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 1)} ${unit}`;
  return `${n} B`;
}

/** 18,035,712,000 → 18.0G; numbers below `from` stay whole (the table keeps 4 digits, a box 3). */
export function compact(n: number, from = 1e4): string {
  if (n < from) return String(n);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 1)}${unit}`;
  return String(n);
}
