// NetParameter → a readable pycaffe NetSpec script that rebuilds it exactly (prototxt → py). Each layer
// becomes `n.<top> = L.<Type>(<bottoms>, <keywords>)` in file order, with the type's own parameters as
// bare keywords where pycaffe routes them back there (FCN's style) and the rest as LayerParameter
// keywords; in-place layers use in_place=True. What NetSpec cannot say directly is still said in
// pycaffe's own terms: a layer whose tops cannot be NetSpec names (a blob written twice, as the TRAIN and
// TEST data layers of one file do) is written with ntop=0 and explicit bottom=/top= lists; a layer name
// other than its first top is name='…'; empty sub-messages and net-level fields are set on the returned
// NetParameter. The script runs under Caffe's Python as well as under brewnet.
import type protobuf from 'protobufjs';
import { fail } from '../diagnostics/diagnostic.js';
import { KEYWORDS } from '../../grammar/python-tokens.js';
import { paramFieldOfType, routeKeyword } from '../schema/pycaffe-params.js';
import { floatRepr, strRepr } from '../schema/python-repr.js';
import { activeDialect, FLOAT_TYPES, fieldsInNumberOrder, messageType } from '../schema/caffe-schema.js';
import type { Msg, Scalar } from '../schema/message.js';
import { dialectDeclaration } from '../schema/dialects.js';
import { shortestFloatPython } from './float-format.js';
import type { LayerParameter, NetParameter } from '../schema/caffe-messages.generated.js';

export interface NetSpecScriptOptions {
  /** The file the script's main block writes (default "net.prototxt"). */
  output?: string;
  /** Where the net came from, for the header comment. */
  source?: string;
  /** The schema the net speaks (default: the active one, that of the net last read); a fork's is declared in the header. */
  dialect?: string;
}

const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(KEYWORDS);
/** Real attributes of a NetSpec object: a top by one of these names must be written n['…']. */
const NETSPEC_ATTRIBUTES = new Set(['to_proto', 'tops', 'keys', 'vals', 'update']);

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name) && !name.startsWith('__');
}

function isMessageField(field: protobuf.Field): boolean {
  return Boolean(field.resolvedType && 'fieldsArray' in field.resolvedType);
}

/** The Python literal of one scalar of `field`. */
function scalarLiteral(field: protobuf.Field, value: Scalar, imports: Set<string>): string {
  const resolved = field.resolvedType;
  if (resolved) {
    const en = resolved as protobuf.Enum;
    const name = typeof value === 'number' ? en.valuesById[value] : String(value);
    const parent = en.parent?.name ?? '';
    if (en.name === 'Phase') return `caffe.${name}`;
    if (parent.endsWith('Parameter') && parent !== 'Parameter') return `P.${parent.replace(/Parameter$/, '')}.${name}`;
    imports.add('caffe_pb2');
    return parent && parent !== 'caffe' ? `caffe_pb2.${parent}.${name}` : `caffe_pb2.${name}`;
  }
  if (field.type === 'string' || field.type === 'bytes') return strRepr(String(value));
  if (field.type === 'bool') return value ? 'True' : 'False';
  const n = Number(value);
  if (FLOAT_TYPES.has(field.type)) {
    if (Number.isNaN(n)) return "float('nan')";
    if (!Number.isFinite(n)) return n > 0 ? "float('inf')" : "-float('inf')";
    if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
    // The shortest decimal that the field's binary32 (or binary64) storage reads back exactly.
    return floatRepr(field.type === 'float' ? shortestFloatPython(n) : n);
  }
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

/** `field=value` content for a field's value: scalars, lists, dict(…) for messages. */
function valueLiteral(field: protobuf.Field, value: unknown, imports: Set<string>, asList = false): string {
  if (field.repeated) {
    const items = value as (Scalar | Msg)[];
    if (isMessageField(field)) {
      const dicts = items.map((m) => dictLiteral(field.resolvedType as protobuf.Type, m as Msg, imports));
      // One message is written bare (shape=dict(…)); pycaffe wraps it. `param` keeps FCN's list style.
      return dicts.length === 1 && !asList && field.name !== 'param' ? dicts[0] : `[${dicts.join(', ')}]`;
    }
    const literals = items.map((v) => scalarLiteral(field, v as Scalar, imports));
    return literals.length === 1 && !asList ? literals[0] : `[${literals.join(', ')}]`;
  }
  if (isMessageField(field)) return dictLiteral(field.resolvedType as protobuf.Type, value as Msg, imports);
  return scalarLiteral(field, value as Scalar, imports);
}

function presentFields(type: protobuf.Type, msg: Msg): protobuf.Field[] {
  return fieldsInNumberOrder(type).filter((f) => {
    const v = msg[f.name];
    return v !== undefined && !(Array.isArray(v) && v.length === 0);
  });
}

function dictLiteral(type: protobuf.Type, msg: Msg, imports: Set<string>): string {
  // Inside a list, every item is a dict; repeated fields inside a dict keep their list form only when
  // they hold several values (pycaffe wraps a single one itself).
  return `dict(${presentFields(type, msg)
    .map((f) => `${f.name}=${valueLiteral(f, msg[f.name], imports)}`)
    .join(', ')})`;
}

/** Statements that make present-but-empty sub-messages present (dict() sets nothing in pycaffe). */
function emptyMessagePaths(type: protobuf.Type, msg: Msg, path: string, out: string[]): void {
  for (const f of presentFields(type, msg)) {
    if (!isMessageField(f)) continue;
    const sub = f.resolvedType as protobuf.Type;
    if (f.repeated) (msg[f.name] as Msg[]).forEach((m, i) => emptyMessagePaths(sub, m, `${path}.${f.name}[${i}]`, out));
    else if (presentFields(sub, msg[f.name] as Msg).length === 0) out.push(`${path}.${f.name}.SetInParent()`);
    else emptyMessagePaths(sub, msg[f.name] as Msg, `${path}.${f.name}`, out);
  }
}

/** Statements setting a message's fields one by one on an object (net-level fields). */
function fieldStatements(type: protobuf.Type, msg: Msg, path: string, imports: Set<string>, out: string[]): void {
  for (const f of presentFields(type, msg)) {
    const value = msg[f.name];
    const target = `${path}.${f.name}`;
    if (!isMessageField(f)) {
      out.push(
        f.repeated
          ? `${target}.extend(${valueLiteral(f, value, imports, true)})`
          : `${target} = ${scalarLiteral(f, value as Scalar, imports)}`,
      );
    } else if (f.repeated) {
      const sub = f.resolvedType as protobuf.Type;
      (value as Msg[]).forEach((m, i) => {
        out.push(`${target}.add()`);
        fieldStatements(sub, m, `${target}[${i}]`, imports, out);
      });
    } else {
      const sub = f.resolvedType as protobuf.Type;
      if (presentFields(sub, value as Msg).length === 0) out.push(`${target}.SetInParent()`);
      else fieldStatements(sub, value as Msg, target, imports, out);
    }
  }
}

/** `head(args…)`, wrapped at top-level commas past ~100 columns with an 8-space continuation. */
function call(head: string, args: string[]): string {
  const oneLine = `${head}(${args.join(', ')})`;
  if (oneLine.length <= 100) return oneLine;
  const lines: string[] = [];
  let line = `${head}(`;
  args.forEach((arg, i) => {
    const piece = arg + (i < args.length - 1 ? ',' : ')');
    if (line.length + piece.length + 1 > 100 && !line.endsWith('(')) {
      lines.push(line);
      line = '        ' + piece;
    } else line += (line.endsWith('(') ? '' : ' ') + piece;
  });
  lines.push(line);
  return lines.join('\n');
}

class Writer {
  readonly lines: string[] = [];
  readonly post: string[] = [];
  readonly imports = new Set<string>();
  /** For each blob name, the expression of a Top whose blob is that name (the latest producer). */
  private readonly topOf = new Map<string, string>();
  private readonly keys = new Set<string>();

  private ref(key: string): string {
    return isIdentifier(key) && !NETSPEC_ATTRIBUTES.has(key) ? `n.${key}` : `n[${strRepr(key)}]`;
  }

  /** A fresh NetSpec key near `wanted`. */
  private freshKey(wanted: string): string {
    const base = wanted || 'layer';
    let key = base;
    // The search for a free suffix resumes where it last stopped for this base (100,000 layers named
    // alike would otherwise cost 100,000² probes).
    let i = this.nextSuffix.get(base) ?? 2;
    for (; this.keys.has(key); i++) key = `${base}_${i}`;
    this.nextSuffix.set(base, i);
    this.keys.add(key);
    return key;
  }

  /** Per key base: the first suffix freshKey has not yet tried. */
  private readonly nextSuffix = new Map<string, number>();

  layer(layer: LayerParameter, index: number): void {
    const type = String(layer.type ?? '');
    const bottoms = layer.bottom ?? [];
    const tops = layer.top ?? [];
    const name = layer.name;
    const bottomExprs = bottoms.map((b) => this.topOf.get(b));
    const bottomsAsTops = bottomExprs.every((e) => e !== undefined);
    const inPlace = bottomsAsTops && tops.length > 0 && tops.length === bottoms.length && tops.every((t, i) => t === bottoms[i]);
    // Non-in-place tops become NetSpec names: each must be a name no earlier top took.
    const topsAsNames = !inPlace && tops.length > 0 && tops.every((t, i) => !this.keys.has(t) && tops.indexOf(t) === i && t !== '');
    const args: string[] = [];
    const keywords: string[] = [];
    let targets: string[];
    let firstName: string;

    if (bottomsAsTops) args.push(...(bottomExprs as string[]));
    else keywords.push(`bottom=${valueLiteral(messageType('LayerParameter').fields.bottom, bottoms, this.imports, true)}`);

    if (inPlace) {
      // The Function's tops are named by NetSpec keys of their own; the layer takes the first one's name.
      const base = name ?? type.toLowerCase();
      targets = tops.map((_, i) => this.freshKey(i === 0 ? base : `${base}_${i}`));
      keywords.push('in_place=True');
      if (tops.length > 1) keywords.push(`ntop=${tops.length}`);
      firstName = targets[0];
    } else if (topsAsNames) {
      for (const t of tops) this.keys.add(t);
      targets = [...tops];
      if (tops.length > 1) keywords.push(`ntop=${tops.length}`);
      firstName = tops[0];
    } else {
      // No tops, or tops NetSpec cannot name: a top-less Function, named by its key.
      targets = [this.freshKey(name ?? type.toLowerCase())];
      keywords.push('ntop=0');
      if (tops.length) keywords.push(`top=${valueLiteral(messageType('LayerParameter').fields.top, tops, this.imports, true)}`);
      firstName = targets[0];
    }
    if (name !== undefined && name !== firstName) keywords.push(`name=${strRepr(name)}`);
    if (name === undefined) this.post.push(`net.layer[${index}].ClearField('name')`);

    keywords.push(...this.parameterKeywords(layer, type, index));
    const head = `L.${type}`;
    const callee = isIdentifier(type) ? head : `getattr(L, ${strRepr(type)})`;
    const lhs = targets.map((k) => this.ref(k)).join(', ');
    this.lines.push(call(`${lhs} = ${callee}`, [...args, ...keywords]));

    // Later layers reach these blobs through these Tops (a top-less Function gives none).
    if (inPlace || topsAsNames) tops.forEach((t, i) => this.topOf.set(t, this.ref(targets[i])));
  }

  /** Keywords for every other field: the type's own parameters bare where they route back. */
  private parameterKeywords(layer: Msg, type: string, index: number): string[] {
    const layerType = messageType('LayerParameter');
    const own = paramFieldOfType().get(type);
    const keywords: string[] = [];
    const handled = new Set(['name', 'type', 'bottom', 'top']);
    const path = `net.layer[${index}]`;
    if (own && layer[own] !== undefined) {
      handled.add(own);
      const paramType = layerType.fields[own].resolvedType as protobuf.Type;
      const param = layer[own] as Msg;
      const fields = presentFields(paramType, param);
      const bare =
        fields.length > 0 &&
        fields.every((f) => {
          const route = routeKeyword(type, f.name);
          return route.to === 'typeParam' && route.field === f;
        });
      if (bare) for (const f of fields) keywords.push(`${f.name}=${valueLiteral(f, param[f.name], this.imports)}`);
      else if (fields.length) keywords.push(`${own}=${dictLiteral(paramType, param, this.imports)}`);
      if (fields.length === 0) this.post.push(`${path}.${own}.SetInParent()`);
      else emptyMessagePaths(paramType, param, `${path}.${own}`, this.post);
    }
    for (const f of presentFields(layerType, layer)) {
      if (handled.has(f.name)) continue;
      const value = layer[f.name];
      const route = routeKeyword(type, f.name);
      if (route.to === 'layer') {
        const sub = f.resolvedType as protobuf.Type;
        if (isMessageField(f) && !f.repeated && presentFields(sub, value as Msg).length === 0) {
          this.post.push(`${path}.${f.name}.SetInParent()`);
          continue;
        }
        keywords.push(`${f.name}=${valueLiteral(f, value, this.imports)}`);
        if (isMessageField(f)) {
          if (f.repeated) (value as Msg[]).forEach((m, i) => emptyMessagePaths(sub, m, `${path}.${f.name}[${i}]`, this.post));
          else emptyMessagePaths(sub, value as Msg, `${path}.${f.name}`, this.post);
        }
      } else {
        // A LayerParameter field the type's own message shadows: set it on the result instead.
        fieldStatements(layerType, { [f.name]: value }, path, this.imports, this.post);
      }
    }
    return keywords;
  }
}

/** The NetSpec script that rebuilds `net` exactly. */
export function printNetSpec(net: NetParameter, options: NetSpecScriptOptions = {}): string {
  if (net.layers?.length) {
    fail('this net has V1 "layers", which NetSpec cannot write', undefined, 'convert the upgraded net (leave out --no-upgrade)');
  }
  const writer = new Writer();
  (net.layer ?? []).forEach((layer, i) => writer.layer(layer, i));
  const rest: Msg = { ...net };
  delete rest.layer;
  const netStatements: string[] = [];
  fieldStatements(messageType('NetParameter'), rest, 'net', writer.imports, netStatements);
  const output = options.output ?? 'net.prototxt';
  const body = ['n = caffe.NetSpec()', ...writer.lines, '', 'net = n.to_proto()', ...netStatements, ...writer.post, 'return net'];
  const header = [
    `# NetSpec script${net.name !== undefined ? ` for ${strRepr(String(net.name))}` : ''}, written by brewnet${options.source ? ` from ${options.source}` : ''}.`,
    `# Run with Caffe's Python, or with brewnet (brewnet convert <this file> -o DIR): it writes ${output}.`,
    ...forkLines(options.dialect ?? activeDialect()),
    'import caffe',
    'from caffe import layers as L, params as P',
    ...(writer.imports.has('caffe_pb2') ? ['from caffe.proto import caffe_pb2'] : []),
    '',
    '',
    'def make_net():',
    ...body.map((l) => (l ? '    ' + l.replace(/\n/g, '\n    ') : '')),
    '',
    '',
    "if __name__ == '__main__':",
    `    with open(${strRepr(output)}, 'w') as f:`,
    '        f.write(str(make_net()))',
  ];
  return header.join('\n') + '\n';
}

/** A fork's net needs that fork's Caffe (its caffe_pb2 has the fork's parameters): said, and declared for brewnet. */
function forkLines(dialect: string): string[] {
  if (dialect === 'bvlc') return [];
  return [`# Its layers need the ${dialect} fork of Caffe (its caffe_pb2); brewnet reads the next line.`, dialectDeclaration(dialect)];
}
