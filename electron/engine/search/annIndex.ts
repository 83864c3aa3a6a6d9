// Approximate sighting search for large cases: an int8 copy of the crop matrix is scanned in full
// (WebAssembly SIMD, a quarter of float32's bytes), the best few hundred sightings by that estimate
// are shortlisted, and only their crops are re-scored exactly in float32. A full scan rather than a
// partitioned index (IVF) because crop embeddings of one model crowd a small region of the sphere
// and random-like data defeats coarse partitions: the scan's cost is fixed and its recall high.
import { Int8Matrix } from './annKernel';

/** Which rows may count (filters) — the caller's predicate, or undefined for all. */
export type RowFilter = ((row: number) => boolean) | undefined;

export interface ShortlistOptions {
  /** Sightings re-scored exactly (default: max(256, 8 × k)). */
  shortlist?: number;
}

export interface ScoredSighting { sighting: number; score: number }

// Query lanes are int16; keep Σ |row·q| inside int32 for any dimension: 127 · Q · dim < 2^31.
const queryRange = (dim: number): number => Math.min(32767, Math.floor((2 ** 31 - 1) / (dim * 127)));

export class QuantizedIndex {
  private constructor(
    private readonly matrix: Int8Matrix,
    /** Per-row dequantisation factor: float ≈ int8 × rowScale. */
    private readonly rowScale: Float32Array,
  ) {}

  /** Reused buffer of estimated scores (one search at a time per index). */
  private scratch = new Float32Array(0);

  get size(): number { return this.matrix.rows; }

  /** Quantises each row symmetrically to int8 with its own scale (unit vectors differ in peak). */
  static build(vectors: Float32Array, dim: number, rows = vectors.length / dim): QuantizedIndex {
    const matrix = new Int8Matrix(rows, dim);
    const rowScale = new Float32Array(rows);
    for (let r = 0, o = 0; r < rows; r++, o += dim) {
      let peak = 0;
      for (let k = 0; k < dim; k++) peak = Math.max(peak, Math.abs(vectors[o + k]));
      const s = peak > 0 ? 127 / peak : 0;
      const dst = matrix.row(r);
      for (let k = 0; k < dim; k++) dst[k] = Math.round(vectors[o + k] * s);
      rowScale[r] = peak / 127;
    }
    return new QuantizedIndex(matrix, rowScale);
  }

  /** Estimated dot product of every row with q (the view is reused by the next call). */
  estimate(q: Float32Array): Float32Array {
    const dim = this.matrix.dim;
    let peak = 0;
    for (let k = 0; k < dim; k++) peak = Math.max(peak, Math.abs(q[k]));
    const s = peak > 0 ? queryRange(dim) / peak : 0;
    const qi = new Int16Array(dim);
    for (let k = 0; k < dim; k++) qi[k] = Math.round(q[k] * s);
    const dots = this.matrix.scan(qi);
    const out = this.scratch.length === dots.length ? this.scratch : (this.scratch = new Float32Array(dots.length));
    const inv = s > 0 ? 1 / s : 0;
    const { rowScale } = this;
    for (let r = 0; r < dots.length; r++) out[r] = dots[r] * rowScale[r] * inv;
    return out;
  }

  /**
   * Best k sightings by their best crop. Rows must be grouped by sighting (as VectorIndex holds them).
   * Shortlists sightings by estimated score, then re-scores every passing crop of those exactly.
   */
  topSightings(
    q: Float32Array, k: number, vectors: Float32Array, sightingOf: Int32Array,
    pass: RowFilter, exclude: number | undefined, opts: ShortlistOptions = {},
  ): ScoredSighting[] {
    const dim = this.matrix.dim;
    const n = this.size;
    const want = Math.max(opts.shortlist ?? Math.max(256, 8 * k), k);
    const est = this.estimate(q);
    const heap = new SightingHeap(want);
    let start = 0;
    while (start < n) {
      const s = sightingOf[start];
      let end = start + 1;
      let best = -Infinity;
      if (pass) {
        for (let r = start; r < n && sightingOf[r] === s; r++, end = r) if (est[r] > best && pass(r)) best = est[r];
      } else {
        best = est[start];
        for (; end < n && sightingOf[end] === s; end++) if (est[end] > best) best = est[end];
      }
      if (s !== exclude && best > -Infinity) heap.offer(best, start, end);
      start = end;
    }
    const out: ScoredSighting[] = [];
    for (let i = 0; i < heap.length; i++) {
      let best = -Infinity;
      for (let r = heap.start[i]; r < heap.end[i]; r++) {
        if (pass && !pass(r)) continue;
        const o = r * dim;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, d = 0;
        for (; d + 3 < dim; d += 4) {
          s0 += vectors[o + d] * q[d]; s1 += vectors[o + d + 1] * q[d + 1];
          s2 += vectors[o + d + 2] * q[d + 2]; s3 += vectors[o + d + 3] * q[d + 3];
        }
        for (; d < dim; d++) s0 += vectors[o + d] * q[d];
        best = Math.max(best, s0 + s1 + s2 + s3);
      }
      out.push({ sighting: sightingOf[heap.start[i]], score: best });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, k);
  }
}

/** Fixed-capacity min-heap of sighting row ranges keyed by estimated score: keeps the best `cap`. */
class SightingHeap {
  length = 0;
  readonly key: Float32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;

  constructor(private readonly cap: number) {
    this.key = new Float32Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
  }

  offer(key: number, start: number, end: number): void {
    if (this.length < this.cap) {
      let i = this.length++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.key[p] <= key) break;
        this.move(p, i);
        i = p;
      }
      this.put(i, key, start, end);
      return;
    }
    if (key <= this.key[0]) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i, mk = key;
      if (l < this.length && this.key[l] < mk) { m = l; mk = this.key[l]; }
      if (r < this.length && this.key[r] < mk) { m = r; mk = this.key[r]; }
      if (m === i) break;
      this.move(m, i);
      i = m;
    }
    this.put(i, key, start, end);
  }

  private move(from: number, to: number): void {
    this.key[to] = this.key[from]; this.start[to] = this.start[from]; this.end[to] = this.end[from];
  }

  private put(i: number, key: number, start: number, end: number): void {
    this.key[i] = key; this.start[i] = start; this.end[i] = end;
  }
}
