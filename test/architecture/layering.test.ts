// The architecture, as data: brewnet's folders are the stages of one pipeline, and a file may import only
// from its own layer or a lower one. This test builds the import graph from the sources itself (every
// `import … from`, `export … from`, `import type`, and `import('…')` of a relative path — type-only imports
// count too: a type names what a file depends on as much as a value does) and fails on any import that goes
// up the list below, and on any import cycle between files. Cycles are looked for among the imports that
// exist at run time: imports of types only are erased by the compiler, so they fix no load order, and
// types that name each other (Layer's bottoms are Blobs, a Blob's producer is a Layer) are one graph's
// description, not a tangle. Read LAYERS to see where code belongs; a new folder needs an entry here first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Bottom → top. A path belongs to the entry with the longest matching prefix. */
export const LAYERS: { name: string; paths: string[]; why: string }[] = [
  {
    name: 'platform',
    paths: ['src/platform/'],
    why: 'Node-vs-browser specifics (files, workers, timers) behind one interface, so everything above runs in both',
  },
  { name: 'diagnostics', paths: ['src/diagnostics/'], why: 'located errors and hints: every layer reports through them' },
  { name: 'schema', paths: ['src/schema/'], why: "caffe.proto reflected: messages, field metadata, pycaffe's keyword routing" },
  {
    name: 'grammar',
    paths: ['grammar/'],
    why: 'lexers and parsers for the protobuf text format and the Python subset; produce syntax, know no schema',
  },
  { name: 'ir', paths: ['src/ir/'], why: 'the graph (Net, Layer, Blob), the LayerModule contract, Tensor and the kernel-plan data types' },
  {
    name: 'layers',
    paths: ['src/layers/'],
    why: 'one home per layer type: shape rule, reference forward, gpu.js lowering, native kernel spec',
  },
  {
    name: 'frontend',
    paths: ['src/frontend/prototxt/', 'src/frontend/net-state.ts'],
    why: 'text → typed NetParameter against the schema; phase/level/stage filtering',
  },
  { name: 'upgrade', paths: ['src/upgrade/'], why: "Caffe's UpgradeNetAsNeeded: V0/V1 nets and input headers to today's form" },
  { name: 'passes', paths: ['src/passes/'], why: 'NetParameter → IR: layer types, blob connections, shape inference, buildNet' },
  { name: 'analysis', paths: ['src/analysis/'], why: 'questions about a built net: coordinate maps, crops, receptive fields, valid sizes' },
  { name: 'printer', paths: ['src/printer/'], why: 'messages and nets back to text: prototxt, protobuf JSON, NetSpec scripts' },
  {
    name: 'dsl',
    paths: ['src/frontend/dsl/'],
    why: "the sandbox for net scripts: NetSpec's crop() needs analysis, to_proto and repr need passes and printer",
  },
  { name: 'draw', paths: ['src/draw/'], why: 'pictures of a built (and analysed) net' },
  { name: 'weights', paths: ['src/weights/'], why: '.caffemodel reading and seeded fillers, matched to a built net' },
  { name: 'runtime', paths: ['src/runtime/'], why: 'execution plan, fusion rules, executors (gpu.js, reference), WebAssembly generators' },
  { name: 'codegen', paths: ['src/codegen/'], why: 'the ES module `brewnet compile` writes, from a plan' },
  { name: 'export', paths: ['src/export/'], why: 'other formats written from a built net and its weights (ONNX)' },
  { name: 'api', paths: ['src/api/'], why: 'the library entry points: load a net from a path, text or script' },
  { name: 'cli', paths: ['src/cli/'], why: 'the brewnet command: options, tables, exit codes' },
  { name: 'index', paths: ['src/index.ts'], why: "the package's public surface" },
  { name: 'web', paths: ['web/'], why: 'the static page (npm run web): a user of the public API, like the CLI' },
];

const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = `${dir}/${entry}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|mts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative import specifiers of one file, from its syntax (not its text, so comments and strings do not count). */
export function importsOf(text: string, file = 'x.ts'): { spec: string; typeOnly: boolean }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      out.push({
        spec: node.moduleSpecifier.text,
        typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)),
      });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      out.push({ spec: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.filter((i) => i.spec.startsWith('.') || i.spec.startsWith('#'));
}

/** Where a package.json "imports" specifier (`#platform`) points in the sources: its first target, as a source path. */
function resolveSubpath(spec: string): string | undefined {
  const imports = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: Record<string, unknown> }).imports ?? {};
  const targets = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targets) : [];
  const entry = Object.entries(imports).find(([key]) => key === spec || (key.endsWith('*') && spec.startsWith(key.slice(0, -1))));
  if (!entry) return undefined;
  const rest = entry[0].endsWith('*') ? spec.slice(entry[0].length - 1) : '';
  return targets(entry[1])
    .map((t) =>
      t
        .replace('*', rest)
        .replace(/^\.\//, '')
        .replace(/^dist\//, '')
        .replace(/\.js$/, '.ts'),
    )
    .find((t) => t.startsWith('src/') || t.startsWith('grammar/'));
}

/** The layer index of a repository path, or -1 if no entry claims it. */
export function layerOf(path: string, layers = LAYERS): number {
  let best = -1;
  let bestLength = -1;
  layers.forEach((layer, i) => {
    for (const p of layer.paths) {
      if ((path === p || (p.endsWith('/') && path.startsWith(p))) && p.length > bestLength) [best, bestLength] = [i, p.length];
    }
  });
  return best;
}

export type Graph = Map<string, string[]>;

/** All imports (for the layer order), and those that exist at run time (for cycles). */
function importGraphs(): { all: Graph; runtime: Graph } {
  const all: Graph = new Map();
  const runtime: Graph = new Map();
  for (const file of [...sources('src'), ...sources('grammar'), ...sources('web')]) {
    const imports = importsOf(readFileSync(join(root, file), 'utf8'), file);
    const target = (spec: string) =>
      spec.startsWith('#') ? (resolveSubpath(spec) ?? spec) : relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts');
    all.set(file, [...new Set(imports.map((i) => target(i.spec)))]);
    runtime.set(file, [...new Set(imports.filter((i) => !i.typeOnly).map((i) => target(i.spec)))]);
  }
  return { all, runtime };
}

/** Imports that go up the list: "from (layer) → to (layer)". */
export function backwardImports(graph: Graph, layers = LAYERS): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from, layers);
    for (const to of targets) {
      const b = layerOf(to, layers);
      if (b > a) out.push(`${from} (${layers[a]?.name}) → ${to} (${layers[b]?.name})`);
    }
  }
  return out;
}

/** Every strongly connected set of more than one file (Tarjan), each as a sorted list. */
export function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

describe('layering', () => {
  const { all: graph, runtime } = importGraphs();

  it('reads the import graph (sanity: the sources are found and import each other)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/main.ts')?.length).toBeGreaterThan(3);
  });

  it('places every source file in a layer', () => {
    expect([...graph.keys()].filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('imports only go down the pipeline', () => {
    expect(backwardImports(graph)).toEqual([]);
  });

  it('has no import cycles (run-time imports)', () => {
    expect(cycles(runtime)).toEqual([]);
  });

  it('catches a backward import and a cycle (the checks can fail)', () => {
    const bad: Graph = new Map([
      ['src/ir/net.ts', ['src/printer/prototxt-printer.ts']],
      ['src/printer/prototxt-printer.ts', ['src/ir/net.ts']],
    ]);
    expect(backwardImports(bad)).toEqual(['src/ir/net.ts (ir) → src/printer/prototxt-printer.ts (printer)']);
    expect(cycles(bad)).toEqual([['src/ir/net.ts', 'src/printer/prototxt-printer.ts']]);
    const text =
      "import type { A } from './a.js';\n// import { B } from './b.js';\nimport { type E, f } from './e.js';\nexport * from '../c.js';\nconst d = await import('./d.js');";
    expect(importsOf(text)).toEqual([
      { spec: './a.js', typeOnly: true },
      { spec: './e.js', typeOnly: false },
      { spec: '../c.js', typeOnly: false },
      { spec: './d.js', typeOnly: false },
    ]);
  });
});
