// The hot loop of approximate search: int8 row · int16 query dot products over the whole matrix,
// in WebAssembly SIMD (pmovsxbw + pmaddwd on x64, the same idea on arm64). Plain JS has no SIMD and
// reads 4× the bytes from float32; this kernel scans 1M × 256 int8 rows in tens of milliseconds.
//
// The module is a few hundred bytes, assembled here rather than shipped as a binary so the source
// is reviewable; the unit tests compare it with a plain JS dot product.

// Node's types do not declare the WebAssembly global (it is part of lib.dom); what we use of it:
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
};

type WasmMemory = InstanceType<typeof WebAssembly.Memory>;

const PAGE = 65536;

/** Rows are padded to a multiple of this many int8 lanes (the kernel consumes 16 per step). */
export const LANES = 16;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

// Opcodes used (WebAssembly core + fixed-width SIMD).
const GET = 0x20, SET = 0x21, TEE = 0x22, I32_CONST = 0x41, I32_ADD = 0x6a, I32_SHL = 0x74, I32_EQZ = 0x45, I32_LT_U = 0x49;
const BLOCK = 0x02, LOOP = 0x03, BR_IF = 0x0d, END = 0x0b, VOID = 0x40, I32_STORE = 0x36;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00], V128_LOAD8X8_S = [SIMD, 0x01], V128_CONST = [SIMD, 0x0c];
const I32X4_EXTRACT = [SIMD, 0x1b], I32X4_ADD = [SIMD, ...uleb(0xae)], I32X4_DOT_I16X8_S = [SIMD, ...uleb(0xba)];
const memarg = (offset: number): number[] => [0, ...uleb(offset)];

// scan(q, rows, n, stride, out): out[r] = Σ_k rows[r*stride + k] * q[k], rows int8, q int16 (stride
// lanes, stride % 16 == 0, zero padded), out int32. Params 0-4; locals: 5 end, 6 k, 7 acc (v128).
const [Q, ROWS, N, STRIDE, OUT, ENDP, K, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];
const half = (byteOffset: number): number[] => [
  GET, ROWS, GET, K, I32_ADD, ...V128_LOAD8X8_S, ...memarg(byteOffset),
  GET, Q, GET, K, I32_CONST, 1, I32_SHL, I32_ADD, ...V128_LOAD, ...memarg(byteOffset * 2),
  ...I32X4_DOT_I16X8_S, ...I32X4_ADD,
];
const body: number[] = [
  GET, OUT, GET, N, I32_CONST, 2, I32_SHL, I32_ADD, SET, ENDP,
  BLOCK, VOID,
  GET, N, I32_EQZ, BR_IF, 0,
  LOOP, VOID, // rows
  ...V128_CONST, ...new Array(16).fill(0), SET, ACC,
  I32_CONST, 0, SET, K,
  LOOP, VOID, // 16 lanes per step
  GET, ACC, ...half(0), ...half(8), SET, ACC,
  GET, K, I32_CONST, 16, I32_ADD, TEE, K, GET, STRIDE, I32_LT_U, BR_IF, 0,
  END,
  GET, OUT,
  GET, ACC, ...I32X4_EXTRACT, 0,
  GET, ACC, ...I32X4_EXTRACT, 1, I32_ADD,
  GET, ACC, ...I32X4_EXTRACT, 2, I32_ADD,
  GET, ACC, ...I32X4_EXTRACT, 3, I32_ADD,
  I32_STORE, 2, 0,
  GET, ROWS, GET, STRIDE, I32_ADD, SET, ROWS,
  GET, OUT, I32_CONST, 4, I32_ADD, TEE, OUT, GET, ENDP, I32_LT_U, BR_IF, 0,
  END,
  END,
  END,
];
const locals = [2, 2, 0x7f, 1, 0x7b]; // 2 entries: 2 × i32, 1 × v128
const func = [...locals, ...body];
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
  ...section(2, [1, ...str('env'), ...str('memory'), 0x02, 0x00, 1]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...str('scan'), 0x00, 0]),
  ...section(10, [1, ...uleb(func.length), ...func]),
]);

let compiled: object | null = null;

/**
 * One int8 matrix in its own WebAssembly memory, laid out as [query int16 | scores int32 | rows int8]
 * so a scan touches nothing outside it.
 */
export class Int8Matrix {
  readonly stride: number;
  private readonly memory: WasmMemory;
  private readonly scanFn: (q: number, rows: number, n: number, stride: number, out: number) => void;
  private readonly qPtr = 0;
  private readonly outPtr: number;
  private readonly rowsPtr: number;

  constructor(readonly rows: number, readonly dim: number) {
    this.stride = Math.ceil(dim / LANES) * LANES;
    this.outPtr = this.stride * 2;
    this.rowsPtr = this.outPtr + Math.ceil((rows * 4) / LANES) * LANES;
    const bytes = this.rowsPtr + rows * this.stride;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > 65536) throw new RangeError(`int8 matrix of ${rows} × ${dim} exceeds 4 GiB`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    compiled ??= new WebAssembly.Module(MODULE);
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.scanFn = instance.exports.scan as Int8Matrix['scanFn'];
  }

  /** Row r's int8 lanes (stride long; lanes past dim stay 0). */
  row(r: number): Int8Array {
    return new Int8Array(this.memory.buffer, this.rowsPtr + r * this.stride, this.stride);
  }

  /** All rows, row r at [r × stride, r × stride + dim) (lanes past dim stay 0). */
  allRows(): Int8Array {
    return new Int8Array(this.memory.buffer, this.rowsPtr, this.rows * this.stride);
  }

  /** Dot products of every row with `q` (int16, dim long); the view is overwritten by the next scan. */
  scan(q: Int16Array): Int32Array {
    if (q.length !== this.dim) throw new RangeError(`query has ${q.length} lanes, matrix ${this.dim}`);
    const qv = new Int16Array(this.memory.buffer, this.qPtr, this.stride);
    qv.fill(0);
    qv.set(q);
    this.scanFn(this.qPtr, this.rowsPtr, this.rows, this.stride, this.outPtr);
    return new Int32Array(this.memory.buffer, this.outPtr, this.rows);
  }
}
