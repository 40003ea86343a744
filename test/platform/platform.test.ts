// The platform module's two halves export the same names, the baked schema is current with
// proto/caffe.proto, and the library bundles for a browser with no node:* module in it (esbuild
// --platform=browser, no shims, no externals).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/platform/browser.js';
import * as node from '../../src/platform/node.js';
import { repoRoot } from '../helpers/corpus.js';

describe('platform module', () => {
  it('node.ts and browser.ts export the same names with the same kinds of value', () => {
    const kinds = (m: object) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]));
    expect(kinds(browser)).toEqual(kinds(node));
    // Type-level: the browser half fits wherever the node half is used.
    const asNode: typeof node = browser;
    expect(asNode).toBeDefined();
  });

  it('in a page, file reads refuse with the reason instead of crashing', () => {
    expect(browser.pathKind('/etc/passwd')).toBe('missing');
    expect(browser.openFile('/etc/passwd')).toEqual({ error: expect.stringContaining('no file system') });
    expect(() => browser.readTextFile('net.prototxt')).toThrow(/pass the text or the bytes/);
  });
});

describe('baked caffe.proto', () => {
  it('src/schema/caffe-proto.generated.ts is what tools/generate-caffe-schema.mjs makes from proto/caffe.proto', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'tools', 'generate-caffe-schema.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('src/schema/caffe-messages.generated.ts is what tools/generate-caffe-types.mjs makes from proto/caffe.proto', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'tools', 'generate-caffe-types.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('browser bundle', () => {
  it("import { loadNet, compile } from 'brewnet' bundles with esbuild --platform=browser, without a node:* module", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-bundle-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    writeFileSync(join(dir, 'entry.js'), "import { loadNet, compile } from 'brewnet';\nglobalThis.brewnet = { loadNet, compile };\n");
    const result = await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      outfile: join(dir, 'out.js'),
      nodePaths: [join(repoRoot, 'node_modules')],
      // The sources (the package's "brewnet-source" condition), so the test needs no build of dist/.
      conditions: ['brewnet-source'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    expect(inputs.some((i) => i.endsWith('src/platform/browser.ts'))).toBe(true);
    expect(inputs.some((i) => i.endsWith('src/platform/node.ts'))).toBe(false);
    expect(inputs.some((i) => i.endsWith('proto/caffe.proto'))).toBe(false);
  });
});
