/**
 * TFLite model -> TF.js graph model (model.json topology + one weights shard), op by op.
 *
 * The ops the MediaPipe hand models use, and what they become (TF op names as tfjs-converter reads them):
 *
 *   DEQUANTIZE (fp16 constant)  -> folded: a float32 weight stored as float16 in the shard
 *   CONV_2D                     -> _FusedConv2D [BiasAdd(, Relu | Relu6)], filter OHWI -> HWIO
 *   DEPTHWISE_CONV_2D           -> FusedDepthwiseConv2dNative [BiasAdd(, Relu | Relu6)], [1,H,W,C*M] -> [H,W,C,M]
 *   FULLY_CONNECTED             -> (Reshape to [-1, in]) _FusedMatMul [BiasAdd(, Relu | Relu6)], weights [out,in] -> [in,out]
 *   ADD                         -> AddV2 (+ Relu | Relu6)
 *   PRELU                       -> Prelu
 *   MAX_POOL_2D                 -> MaxPool
 *   PAD, RESHAPE, MEAN          -> Pad, Reshape, Mean (their int32 operands as Const)
 *   RESIZE_BILINEAR             -> ResizeBilinear (align_corners, half_pixel_centers)
 *   CONCATENATION               -> ConcatV2 (+ activation)
 *   LOGISTIC                    -> Sigmoid
 *
 * Padding SAME / VALID mean the same in TFLite and TF (SAME puts the odd pixel at the bottom/right).
 * Anything else throws, naming the op: a model with an op we do not map must not convert silently.
 */
import { readBool, readByte, readInt, readInts, type TfliteModel, type TfliteOperator, type TfliteTensor } from './schema';

/** tfjs-converter's JSON forms of TF AttrValue. */
type Attr =
  | { type: string }
  | { s: string }
  | { i: string }
  | { f: number }
  | { b: boolean }
  | { list: { i?: string[]; s?: string[] } }
  | { shape: { dim: Array<{ size: string }> } }
  | { tensor: { dtype: string; tensorShape: { dim: Array<{ size: string }> } } };

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr: Record<string, Attr>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16'; original_dtype: 'float32' };
}

export interface ConvertedModel {
  /** model.json minus weightsManifest paths (the caller names the shard). */
  nodes: GraphNode[];
  weights: WeightSpec[];
  shard: Uint8Array;
  inputs: Array<{ name: string; shape: number[] }>;
  outputs: Array<{ name: string; shape: number[] }>;
  /** Op counts of the source model, for the provenance record. */
  sourceOps: Record<string, number>;
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
const DT = { float32: 'DT_FLOAT', int32: 'DT_INT32' } as const;
const dims = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const ints = (v: number[]) => ({ list: { i: v.map(String) } });
const T_FLOAT: Attr = { type: 'DT_FLOAT' };

/** TFLite ActivationFunctionType -> the TF op fused after it (NONE = 0, RELU = 1, RELU6 = 3). */
function activation(code: number, where: string): 'Relu' | 'Relu6' | undefined {
  if (code === 0) return undefined;
  if (code === 1) return 'Relu';
  if (code === 3) return 'Relu6';
  throw new Error(`${where}: fused activation ${code} is not supported (only NONE, RELU, RELU6)`);
}

const padding = (code: number) => b64(code === 0 ? 'SAME' : 'VALID');

/** Permutes a row-major tensor of 1-, 2- or 4-byte elements: out[perm-order] = in. */
function transpose(data: Uint8Array, shape: number[], perm: number[], elementBytes: number): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n * elementBytes);
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += idx[k] * inStrides[perm[k]];
    out.set(data.subarray(src * elementBytes, (src + 1) * elementBytes), o * elementBytes);
    for (let k = perm.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

export function convertTflite(model: TfliteModel): ConvertedModel {
  const nodes: GraphNode[] = [];
  const weights: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  const names = new Map<number, string>();
  const used = new Set<string>();
  const sourceOps: Record<string, number> = {};
  for (const op of model.operators) sourceOps[op.op] = (sourceOps[op.op] ?? 0) + 1;

  /** A TF node name from a TFLite tensor name: its first `;` part, graph-safe, unique. */
  const uniqueName = (raw: string): string => {
    const base = (raw.split(';')[0] || 'tensor').replace(/[^A-Za-z0-9_./-]/g, '_');
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };
  const nameOf = (t: number): string => {
    const n = names.get(t);
    if (n === undefined) throw new Error(`tensor ${t} (${model.tensors[t]?.name}) is used before it is produced`);
    return n;
  };

  /** Adds a constant (float16 bytes kept as float16; float32 / int32 as they are). */
  const constant = (name: string, shape: number[], data: Uint8Array, type: 'float16' | 'float32' | 'int32'): string => {
    const dtype = type === 'int32' ? 'int32' : 'float32';
    nodes.push({ name, op: 'Const', attr: { value: { tensor: { dtype: DT[dtype], tensorShape: dims(shape) } }, dtype: { type: DT[dtype] } } });
    weights.push({ name, shape, dtype, ...(type === 'float16' ? { quantization: { dtype: 'float16', original_dtype: 'float32' } } : {}) });
    chunks.push(data);
    return name;
  };

  /** The float constant behind a (possibly dequantised) tensor: its bytes and storage type. */
  const floats = new Map<number, { data: Uint8Array; type: 'float16' | 'float32'; shape: number[] }>();
  const constantTensor = (t: TfliteTensor) => {
    if (!t.data) return undefined;
    if (t.type === 'float16' || t.type === 'float32') return { data: t.data, type: t.type, shape: t.shape };
    return undefined;
  };
  const floatConst = (t: number, where: string) => {
    const c = floats.get(t) ?? constantTensor(model.tensors[t]);
    if (!c) throw new Error(`${where}: operand ${model.tensors[t].name} is not a float constant`);
    return c;
  };
  const intConst = (t: number, where: string): number[] => {
    const tensor = model.tensors[t];
    if (!tensor.data || tensor.type !== 'int32') throw new Error(`${where}: operand ${tensor.name} is not an int32 constant`);
    const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    return Array.from({ length: tensor.data.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
  };
  const int32Bytes = (v: number[]) => new Uint8Array(new Int32Array(v).buffer);
  const elementBytes = (type: 'float16' | 'float32') => (type === 'float16' ? 2 : 4);

  for (const i of model.inputs) {
    const t = model.tensors[i];
    if (t.type !== 'float32') throw new Error(`input ${t.name}: type ${t.type} is not supported`);
    const name = uniqueName(t.name);
    names.set(i, name);
    nodes.push({ name, op: 'Placeholder', attr: { dtype: T_FLOAT, shape: { shape: dims(t.shape) } } });
  }

  model.operators.forEach((op: TfliteOperator, index) => {
    const where = `operator ${index} (${op.op})`;
    const bb = model.bb;
    const o = op.optionsPos;
    const out = model.tensors[op.outputs[0]];
    if (op.op === 'DEQUANTIZE') {
      const src = model.tensors[op.inputs[0]];
      if (src.type !== 'float16' || !src.data) throw new Error(`${where}: only float16 constants are supported (got ${src.type})`);
      floats.set(op.outputs[0], { data: src.data, type: 'float16', shape: src.shape });
      return;
    }
    const name = uniqueName(out.name);
    const x = () => nameOf(op.inputs[0]);
    /** Appends the op's node, then its fused activation as a separate node if it has one. */
    const emit = (node: Omit<GraphNode, 'name'>, act?: 'Relu' | 'Relu6') => {
      if (!act) {
        nodes.push({ name, ...node });
      } else {
        const inner = uniqueName(`${name}/pre_activation`);
        nodes.push({ name: inner, ...node });
        nodes.push({ name, op: act, input: [inner], attr: { T: T_FLOAT } });
      }
      names.set(op.outputs[0], name);
    };
    const bias = (t: number) => {
      const c = floatConst(t, where);
      return constant(uniqueName(`${name}/bias`), c.shape, c.data, c.type);
    };
    const fused = (act: 'Relu' | 'Relu6' | undefined) => ({ list: { s: [b64('BiasAdd'), ...(act ? [b64(act)] : [])] } });

    switch (op.op) {
      case 'CONV_2D': {
        const act = activation(readByte(bb, o, 3), where);
        const f = floatConst(op.inputs[1], where);
        const [co, kh, kw, ci] = f.shape;
        const filter = constant(uniqueName(`${name}/filter`), [kh, kw, ci, co], transpose(f.data, f.shape, [1, 2, 3, 0], elementBytes(f.type)), f.type);
        emit({
          op: '_FusedConv2D',
          input: [x(), filter, bias(op.inputs[2])],
          attr: {
            T: T_FLOAT,
            data_format: { s: b64('NHWC') },
            padding: { s: padding(readByte(bb, o, 0)) },
            strides: ints([1, readInt(bb, o, 2), readInt(bb, o, 1), 1]),
            dilations: ints([1, readInt(bb, o, 5, 1), readInt(bb, o, 4, 1), 1]),
            fused_ops: fused(act),
            num_args: { i: '1' },
            epsilon: { f: 0 },
          },
        });
        return;
      }
      case 'DEPTHWISE_CONV_2D': {
        const act = activation(readByte(bb, o, 4), where);
        const f = floatConst(op.inputs[1], where);
        const [, kh, kw, cm] = f.shape;
        const inChannels = model.tensors[op.inputs[0]].shape[3];
        // [1, H, W, C*M] and [H, W, C, M] have the same element order
        const filter = constant(uniqueName(`${name}/filter`), [kh, kw, inChannels, cm / inChannels], f.data, f.type);
        emit({
          op: 'FusedDepthwiseConv2dNative',
          input: [x(), filter, bias(op.inputs[2])],
          attr: {
            T: T_FLOAT,
            data_format: { s: b64('NHWC') },
            padding: { s: padding(readByte(bb, o, 0)) },
            strides: ints([1, readInt(bb, o, 2), readInt(bb, o, 1), 1]),
            dilations: ints([1, readInt(bb, o, 6, 1), readInt(bb, o, 5, 1), 1]),
            fused_ops: fused(act),
            num_args: { i: '1' },
          },
        });
        return;
      }
      case 'FULLY_CONNECTED': {
        const act = activation(readByte(bb, o, 0), where);
        if (readBool(bb, o, 2)) throw new Error(`${where}: keep_num_dims is not supported`);
        const w = floatConst(op.inputs[1], where);
        const [units, depth] = w.shape;
        let input = x();
        if (model.tensors[op.inputs[0]].shape.length !== 2) {
          input = uniqueName(`${name}/flatten`);
          nodes.push({
            name: input,
            op: 'Reshape',
            input: [x(), constant(uniqueName(`${name}/flatten_shape`), [2], int32Bytes([-1, depth]), 'int32')],
            attr: { T: T_FLOAT },
          });
        }
        const matrix = constant(uniqueName(`${name}/weights`), [depth, units], transpose(w.data, w.shape, [1, 0], elementBytes(w.type)), w.type);
        emit({
          op: '_FusedMatMul',
          input: [input, matrix, bias(op.inputs[2])],
          attr: { T: T_FLOAT, transpose_a: { b: false }, transpose_b: { b: false }, fused_ops: fused(act), num_args: { i: '1' }, epsilon: { f: 0 } },
        });
        return;
      }
      case 'ADD': {
        const act = activation(readByte(bb, o, 0), where);
        emit({ op: 'AddV2', input: op.inputs.map(operand(where)), attr: { T: T_FLOAT } }, act);
        return;
      }
      case 'PRELU': {
        const a = floatConst(op.inputs[1], where);
        emit({ op: 'Prelu', input: [x(), constant(uniqueName(`${name}/alpha`), a.shape, a.data, a.type)], attr: { T: T_FLOAT } });
        return;
      }
      case 'MAX_POOL_2D': {
        const act = activation(readByte(bb, o, 5), where);
        emit(
          {
            op: 'MaxPool',
            input: [x()],
            attr: {
              T: T_FLOAT,
              data_format: { s: b64('NHWC') },
              padding: { s: padding(readByte(bb, o, 0)) },
              strides: ints([1, readInt(bb, o, 2), readInt(bb, o, 1), 1]),
              ksize: ints([1, readInt(bb, o, 4), readInt(bb, o, 3), 1]),
            },
          },
          act,
        );
        return;
      }
      case 'PAD': {
        const pads = intConst(op.inputs[1], where);
        emit({
          op: 'Pad',
          input: [x(), constant(uniqueName(`${name}/paddings`), [pads.length / 2, 2], int32Bytes(pads), 'int32')],
          attr: { T: T_FLOAT, Tpaddings: { type: 'DT_INT32' } },
        });
        return;
      }
      case 'RESHAPE': {
        const shape = op.inputs.length > 1 ? intConst(op.inputs[1], where) : readInts(bb, o, 0);
        emit({
          op: 'Reshape',
          input: [x(), constant(uniqueName(`${name}/shape`), [shape.length], int32Bytes(shape), 'int32')],
          attr: { T: T_FLOAT, Tshape: { type: 'DT_INT32' } },
        });
        return;
      }
      case 'MEAN': {
        const axes = intConst(op.inputs[1], where);
        emit({
          op: 'Mean',
          input: [x(), constant(uniqueName(`${name}/axes`), [axes.length], int32Bytes(axes), 'int32')],
          attr: { T: T_FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: readBool(bb, o, 0) } },
        });
        return;
      }
      case 'RESIZE_BILINEAR': {
        const size = intConst(op.inputs[1], where);
        emit({
          op: 'ResizeBilinear',
          input: [x(), constant(uniqueName(`${name}/size`), [2], int32Bytes(size), 'int32')],
          attr: { T: T_FLOAT, align_corners: { b: readBool(bb, o, 2) }, half_pixel_centers: { b: readBool(bb, o, 3) } },
        });
        return;
      }
      case 'CONCATENATION': {
        const act = activation(readByte(bb, o, 1), where);
        const axis = readInt(bb, o, 0);
        const inputs = op.inputs.map(operand(where));
        emit(
          {
            op: 'ConcatV2',
            input: [...inputs, constant(uniqueName(`${name}/axis`), [], int32Bytes([axis]), 'int32')],
            attr: { T: T_FLOAT, Tidx: { type: 'DT_INT32' }, N: { i: String(inputs.length) } },
          },
          act,
        );
        return;
      }
      case 'LOGISTIC':
        emit({ op: 'Sigmoid', input: [x()], attr: { T: T_FLOAT } });
        return;
      default:
        throw new Error(`${where}: TFLite op ${op.op} is not supported by this converter (tensor ${out.name})`);
    }
  });

  /** An operand that may be an activation or a float constant (e.g. a bias added with ADD). */
  function operand(where: string) {
    return (t: number): string => {
      const known = names.get(t);
      if (known) return known;
      const c = floatConst(t, where);
      const name = constant(uniqueName(`${model.tensors[t].name}/const`), c.shape, c.data, c.type);
      names.set(t, name);
      return name;
    };
  }

  const outputs = model.outputs.map((t) => {
    const tensor = model.tensors[t];
    const name = tensor.name.replace(/[^A-Za-z0-9_./-]/g, '_');
    // outputs keep their TFLite names (Identity, Identity_1, ...) so callers can ask for them
    if (nameOf(t) !== name) {
      if (used.has(name)) throw new Error(`output name ${name} is taken by another node`);
      nodes.push({ name, op: 'Identity', input: [nameOf(t)], attr: { T: T_FLOAT } });
    }
    return { name, shape: tensor.shape };
  });
  const size = chunks.reduce((n, c) => n + c.byteLength, 0);
  const shard = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    shard.set(c, offset);
    offset += c.byteLength;
  }
  return {
    nodes,
    weights,
    shard,
    inputs: model.inputs.map((t) => ({ name: nameOf(t), shape: model.tensors[t].shape })),
    outputs,
    sourceOps,
  };
}
