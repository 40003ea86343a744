// ONNX's structural rules that can be checked without ONNX's own checker, on a model as protobufjs decodes
// it (or as the exporter is about to write it): ir_version and the default opset present, node and value
// names unique, every value produced once, every node input defined before the node (graph inputs,
// initializers, earlier outputs), graph outputs defined, initializer data the size its dims and type say,
// and initializer dims matching any value_info or input of the same name. Returns the problems as text.
import type { OnnxGraph } from './onnx-graph.js';

interface Dim {
  dimValue?: number | string;
  dimParam?: string;
}
interface ValueInfoLike {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: Dim[] } } };
}
interface TensorLike {
  name?: string;
  dims?: (number | string)[];
  dataType?: number;
  rawData?: Uint8Array;
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
  /** Before writing: the size of the data to come. */
  byteLength?: number;
}
export interface ModelLike {
  irVersion?: number | string;
  opsetImport?: { domain?: string; version?: number | string }[];
  graph?: {
    name?: string;
    node?: { name?: string; opType?: string; input?: string[]; output?: string[] }[];
    initializer?: TensorLike[];
    input?: ValueInfoLike[];
    output?: ValueInfoLike[];
    valueInfo?: ValueInfoLike[];
  };
}

const ELEMENT_SIZE: Record<number, number> = { 1: 4, 6: 4, 7: 8, 9: 1, 11: 8 };

/** The model the exporter is about to write, in the shape the checker reads (data sizes, not data). */
export function graphModel(graph: OnnxGraph, irVersion: number, opset: number): ModelLike {
  return {
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'net',
      node: graph.nodes,
      initializer: graph.initializers,
      input: graph.inputs,
      output: graph.outputs,
      valueInfo: graph.valueInfo,
    },
  };
}

export function checkOnnxModel(model: ModelLike): string[] {
  const problems: string[] = [];
  if (!(Number(model.irVersion) >= 3)) problems.push(`ir_version is missing or too old (${String(model.irVersion)})`);
  const main = (model.opsetImport ?? []).find((o) => !o.domain);
  if (!main || !(Number(main.version) >= 1)) problems.push('no opset_import for the default ONNX domain');
  const graph = model.graph;
  if (!graph) return [...problems, 'the model has no graph'];

  const defined = new Set<string>();
  const define = (name: string | undefined, what: string) => {
    if (!name) problems.push(`${what} has no name`);
    else if (defined.has(name)) problems.push(`value "${name}" is defined twice (${what})`);
    else defined.add(name);
  };
  const shapes = new Map<string, ValueInfoLike>();
  for (const v of [...(graph.input ?? []), ...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const t = v.type?.tensorType;
    if (!t || !t.elemType) problems.push(`value_info "${v.name}" has no tensor element type`);
    for (const d of t?.shape?.dim ?? []) {
      if (d.dimValue !== undefined && Number(d.dimValue) < 0) problems.push(`value_info "${v.name}" has a negative dimension`);
    }
    if (v.name) shapes.set(v.name, v);
  }
  for (const v of graph.input ?? []) define(v.name, 'graph input');
  for (const t of graph.initializer ?? []) {
    define(t.name, 'initializer');
    const size = ELEMENT_SIZE[Number(t.dataType)];
    if (!size) {
      problems.push(`initializer "${t.name}" has data_type ${String(t.dataType)}, not one brewnet writes`);
      continue;
    }
    const dims = (t.dims ?? []).map(Number);
    if (dims.some((d) => !Number.isInteger(d) || d < 0)) problems.push(`initializer "${t.name}" has bad dims ${dims.join('×')}`);
    const expected = dims.reduce((n, d) => n * d, 1) * size;
    const external = Number(t.dataLocation ?? 0) === 1;
    let actual: number | undefined;
    if (external) {
      const entries = new Map((t.externalData ?? []).map((e) => [e.key, e.value]));
      if (!entries.get('location')) problems.push(`initializer "${t.name}" is external but names no location`);
      actual = entries.has('length') ? Number(entries.get('length')) : undefined;
    } else actual = t.rawData ? t.rawData.length : t.byteLength;
    if (actual !== expected)
      problems.push(
        `initializer "${t.name}" holds ${String(actual)} bytes; dims ${dims.join('×')} of type ${String(t.dataType)} need ${expected}`,
      );
    const info = t.name ? shapes.get(t.name) : undefined;
    if (info) {
      const infoDims = (info.type?.tensorType?.shape?.dim ?? []).map((d) => Number(d.dimValue));
      if (infoDims.join(',') !== dims.join(',') || info.type?.tensorType?.elemType !== t.dataType) {
        problems.push(`initializer "${t.name}" (${dims.join('×')}) does not match its value_info (${infoDims.join('×')})`);
      }
    }
  }
  const nodeNames = new Set<string>();
  (graph.node ?? []).forEach((n, i) => {
    const label = `node ${i} (${n.opType ?? '?'} "${n.name ?? ''}")`;
    if (!n.opType) problems.push(`${label} has no op_type`);
    if (n.name) {
      if (nodeNames.has(n.name)) problems.push(`${label}: node name used twice`);
      nodeNames.add(n.name);
    }
    for (const input of n.input ?? []) {
      // An empty name is an optional input left out.
      if (input && !defined.has(input)) problems.push(`${label} reads "${input}" before anything defines it`);
    }
    for (const output of n.output ?? []) if (output) define(output, label);
  });
  for (const o of graph.output ?? []) if (o.name && !defined.has(o.name)) problems.push(`graph output "${o.name}" is never produced`);
  for (const v of graph.valueInfo ?? [])
    if (v.name && !defined.has(v.name)) problems.push(`value_info "${v.name}" names no value of the graph`);
  return problems;
}
