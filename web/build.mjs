#!/usr/bin/env node
// `npm run web`: builds the page into web/dist/ — index.html, style.css and one script (app.js, an IIFE so
// the page also works opened from disk, where browsers refuse module scripts). esbuild bundles web/app.ts
// for the browser: package.json's "browser" condition picks src/platform/browser.ts, gpu.js's browser
// build comes in, and the example nets are bundled as text. No CDN, nothing fetched at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(web, 'dist');

export async function buildPage(outDir = out, { minify = true } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(web, 'app.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // brewnet-source: the package's own conditions point at src/ (the page is built from the sources).
    conditions: ['brewnet-source'],
    loader: { '.prototxt': 'text', '.py': 'text' },
    minify,
    // gpu.js's kernel class names tell WebGL2 from WebGL (src/runtime/backends.ts: kernelBackend).
    keepNames: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
    // grammar/chevrotain.ts picks chevrotain's single-file build with a top-level await, which an IIFE cannot
    // hold: the page takes the static re-export instead (the same values).
    plugins: [
      {
        name: 'chevrotain-static',
        setup(b) {
          b.onResolve({ filter: /\/chevrotain\.js$/ }, (args) =>
            args.importer.includes(`${join('grammar', '')}`) ? { path: join(web, '..', 'grammar', 'chevrotain-static.ts') } : undefined,
          );
        },
      },
    ],
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(web, f), join(outDir, f));
  return outDir;
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await buildPage();
  console.log(`built ${dir} (open ${join(dir, 'index.html')}, or serve the folder)`);
}
