// `--input name=N,C,H,W` (repeatable; `x` also separates dims) → name → shape.
import { fail } from '../diagnostics/diagnostic.js';

export function parseInputOption(value: string, previous: Map<string, number[]> = new Map()): Map<string, number[]> {
  const match = /^([^=\s]+)=(.*)$/.exec(value.trim());
  if (!match) fail(`--input "${value}": expected name=dims, e.g. --input data=1,3,500,500`);
  const [, name, dimText] = match;
  const parts = dimText.split(/[,x×]/).map((p) => p.trim());
  const dims = parts.map(Number);
  if (dimText.trim() === '' || parts.some((p) => !/^\d+$/.test(p)) || dims.some((d) => d > 2 ** 31 - 1)) {
    fail(
      `--input ${name}: "${dimText}" is not a list of non-negative integers (each at most 2147483647)`,
      undefined,
      `e.g. --input ${name}=1,3,500,500`,
    );
  }
  if (previous.has(name)) fail(`--input ${name} is given twice`);
  return new Map([...previous, [name, dims]]);
}
