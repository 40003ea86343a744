// The repository stands alone: code and tests cite the notes in docs/ by file and section
// (`docs/caffe-semantics.md#crop`), never files outside the repository. Every cited section must exist,
// so renaming a heading without updating its citations fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = `${dir}/${entry}`;
    if (entry === 'fixtures' && dir === 'test') continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path));
    else if (/\.(ts|mts|mjs|py)$/.test(entry)) out.push(path);
  }
  return out;
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(doc: string): Set<string> {
  const text = readFileSync(join(root, doc), 'utf8');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

/** `docs/x.md#a, #b` → [['docs/x.md', 'a'], ['docs/x.md', 'b']]. */
export function citations(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of text.matchAll(/(docs\/[\w-]+\.md)((?:#[\w-]+)(?:, #[\w-]+)*)/g)) {
    for (const a of m[2].matchAll(/#([\w-]+)/g)) out.push([m[1], a[1]]);
  }
  return out;
}

describe('citations', () => {
  // This file's own examples are not citations. bench/ (the benchmark harness, with its own history of
  // measurements) is not checked.
  const sources = [...files('src'), ...files('grammar'), ...files('test')].filter((f) => f !== 'test/architecture/citations.test.ts');

  it('finds the anchors of headings and the sections a comment cites', () => {
    expect(anchorOf('LRN, BatchNorm, Scale and Bias')).toBe('lrn-batchnorm-scale-and-bias');
    expect(citations('see docs/caffe-semantics.md#crop, #pooling; and docs/performance-notes.md#software-gl')).toEqual([
      ['docs/caffe-semantics.md', 'crop'],
      ['docs/caffe-semantics.md', 'pooling'],
      ['docs/performance-notes.md', 'software-gl'],
    ]);
  });

  it('every cited docs section exists', () => {
    const known = new Map<string, Set<string>>();
    const missing: string[] = [];
    for (const file of sources) {
      for (const [doc, anchor] of citations(readFileSync(join(root, file), 'utf8'))) {
        if (!known.has(doc)) known.set(doc, anchors(doc));
        if (!known.get(doc)!.has(anchor)) missing.push(`${file}: ${doc}#${anchor}`);
      }
    }
    expect(missing).toEqual([]);
    expect(known.size).toBeGreaterThan(0);
  });

  it('cites nothing outside the repository', () => {
    // Spelled in pieces so this file does not match itself.
    const notes = ['REFERENCE', 'PEERS', 'PERF-BASELINE'];
    const outside = new RegExp(`(${notes.join('|')}) §|shared/(${notes.join('|')})\\.md`);
    expect(sources.filter((f) => outside.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });
});
