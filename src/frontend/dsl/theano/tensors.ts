// Theano's symbolic values as brewnet sees them: a TensorVariable is a blob (the top of the layer its
// op made), named after the variable it is assigned to (an explicit name=, then a module-level
// variable, then a local one); a shared variable is a parameter whose shape sets the layer's sizes.
// `x.shape` asks brewnet's shape inference for the net built so far, with the --input shapes.
import { DiagnosticError } from '../../../diagnostics/diagnostic.js';
import type { Msg } from '../../../schema/message.js';
import { buildPartialNet } from '../caffe/partial-net.js';
import { LayerFunction, LayerTop } from '../caffe/net-spec.js';
import { emitLayer, netParameter, newEmitState } from '../caffe/net-spec.js';
import { PyError, typeError } from '../errors.js';
import type { NamedOnBind } from '../interpreter.js';
import { ShapeArray } from '../numpy-module.js';
import { HostObject, PyBuiltin, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';

/** Set by theano-ops.ts: arithmetic between tensors makes layers (Eltwise, Bias, Power). */
export const tensorArithmetic: {
  apply?: (op: string, left: TheanoVariable, right: PyValue, reflected: boolean, rt: Runtime) => PyValue | undefined;
  flatten?: (v: TheanoVariable, ndim: number, rt: Runtime) => PyValue;
} = {};

const variables = new WeakMap<LayerTop, TheanoVariable>();

export class TheanoVariable extends HostObject implements NamedOnBind {
  readonly typeName = 'TensorVariable';
  /** From name= or `.name = …`. */
  name?: string;
  private moduleName?: string;
  private localName?: string;

  constructor(
    readonly top: LayerTop,
    readonly ndim: number,
    name?: string,
  ) {
    super();
    this.name = name;
    variables.set(top, this);
  }

  /** The blob name: explicit, else the first module-level variable, else the first local one. */
  get preferredName(): string | undefined {
    return this.name ?? this.moduleName ?? this.localName;
  }

  onBind(name: string, global: boolean): void {
    if (global) this.moduleName ??= name;
    else this.localName ??= name;
  }

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'name':
        return this.name ?? null;
      case 'ndim':
        return BigInt(this.ndim);
      case 'shape':
        return new PyTuple(shapeOf(this, rt).map((d) => BigInt(d)));
      case 'flatten':
        return new PyBuiltin('flatten', (args, kwargs, r) =>
          tensorArithmetic.flatten!(this, Number((args[0] ?? kwargs.get('ndim') ?? 1n) as bigint), r),
        );
      case 'dimshuffle':
        return new PyBuiltin('dimshuffle', () => {
          throw new PyError(
            'NotImplementedError',
            'dimshuffle of a tensor has no Caffe layer here',
            undefined,
            "brewnet takes dimshuffle('x', 0, 'x', 'x') of a 1-D shared bias, added to a convolution",
          );
        });
      default:
        return undefined;
    }
  }

  override setAttr(name: string, value: PyValue): boolean {
    if (name !== 'name') return false;
    if (value !== null && typeof value !== 'string') throw typeError(`a variable's name must be a str, not ${typeName(value)}`);
    this.name = value ?? undefined;
    return true;
  }

  override attrNames(): string[] {
    return ['name', 'ndim', 'shape', 'flatten'];
  }

  override binary(op: string, other: PyValue, reflected: boolean, rt: Runtime): PyValue | undefined {
    return tensorArithmetic.apply?.(op, this, other, reflected, rt);
  }

  override repr(): string {
    return this.preferredName ?? `<TensorVariable ${this.top.fn.layerType}>`;
  }
}

/** A theano.shared parameter: its value's shape is all a net definition needs. */
export class SharedVariable extends HostObject {
  readonly typeName = 'TensorSharedVariable';
  constructor(
    readonly shape: number[],
    public name?: string,
  ) {
    super();
  }

  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'name':
        return this.name ?? null;
      case 'shape':
        return new PyTuple(this.shape.map((d) => BigInt(d)));
      case 'ndim':
        return BigInt(this.shape.length);
      case 'get_value':
        return new PyBuiltin('get_value', () => new ShapeArray(this.shape, 'float32'));
      case 'set_value':
        return new PyBuiltin('set_value', () => null);
      case 'dimshuffle':
        return new PyBuiltin('dimshuffle', (args) => new BroadcastShared(this, args));
      default:
        return undefined;
    }
  }

  override setAttr(name: string, value: PyValue): boolean {
    if (name !== 'name') return false;
    this.name = typeof value === 'string' ? value : undefined;
    return true;
  }

  override repr(): string {
    return this.name ?? `<TensorSharedVariable(${this.shape.join(', ')})>`;
  }
}

/** `b.dimshuffle('x', 0, 'x', 'x')`: a per-channel bias broadcast over N, H, W. */
export class BroadcastShared extends HostObject {
  readonly typeName = 'DimShuffle';
  constructor(
    readonly shared: SharedVariable,
    readonly pattern: PyValue[],
  ) {
    super();
  }

  /** Whether this broadcasts a 1-D value along axis 1 of a 4-D tensor. */
  get isChannelBias(): boolean {
    const p = this.pattern;
    return this.shared.shape.length === 1 && p.length === 4 && p[0] === 'x' && p[1] === 0n && p[2] === 'x' && p[3] === 'x';
  }
}

/** The blob names of a graph: preferred names first come, first served; the rest automatic. */
export function graphNames(outputs: LayerTop[]): Map<LayerTop | LayerFunction, string> {
  const names = new Map<LayerTop | LayerFunction, string>();
  const taken = new Set<string>();
  const seen = new Set<LayerFunction>();
  const visit = (fn: LayerFunction) => {
    if (seen.has(fn)) return;
    seen.add(fn);
    for (const input of fn.inputs) visit(input.fn);
    for (const top of fn.tops) {
      const wanted = variables.get(top)?.preferredName;
      if (!wanted) continue;
      let name = wanted;
      for (let i = 2; taken.has(name); i++) name = `${wanted}_${i}`;
      taken.add(name);
      names.set(top, name);
    }
  };
  for (const top of outputs) visit(top.fn);
  return names;
}

/** The NetParameter of everything the outputs depend on. */
export function theanoNet(outputs: TheanoVariable[], rt: Runtime): Msg {
  const tops = outputs.map((v) => v.top);
  const state = newEmitState(rt, { names: graphNames(tops) });
  for (const top of tops) emitLayer(top.fn, state);
  return netParameter(state);
}

function shapeOf(v: TheanoVariable, rt: Runtime): number[] {
  try {
    const partial = buildPartialNet([v.top], rt, { names: graphNames([v.top]), inputShape: (name) => rt.host.inputShape(name) });
    return partial.blobOf(v.top).shape;
  } catch (e) {
    if (e instanceof DiagnosticError) {
      const d = e.diagnostics[0];
      throw new PyError('ValueError', `the shape of ${v.preferredName ?? 'this tensor'} is not known: ${d.message}`, undefined, d.hint);
    }
    throw e;
  }
}
