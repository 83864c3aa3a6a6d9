// Approximate sighting search for large cases: an int8 copy of the crop matrix is scanned in full
// (WebAssembly SIMD, a quarter of float32's bytes), the best few hundred crops by that estimate are
// shortlisted, and every crop of their sightings is re-scored exactly in float32. A full scan rather
// than a partitioned index (IVF): its cost is fixed, and recall does not depend on how the
// embeddings cluster (random-like data defeats coarse partitions).
//
// Quantisation is per dimension (step_k = peak_k / 127), so x·q ≈ Σ int8_k · (step_k · q_k): the
// steps fold into the int16 query and every row's estimate is a plain int32 — the shortlist pass
// is one integer compare per crop.
import { Int8Matrix } from './annKernel';

/** Which rows may count (filters) — the caller's predicate, or undefined for all. */
export type RowFilter = ((row: number) => boolean) | undefined;

export interface ShortlistOptions {
  /** Crops shortlisted by estimate (default: max(512, 32 × k)). */
  shortlist?: number;
}

export interface ScoredSighting { sighting: number; score: number }

// Query lanes are int16; keep Σ |row·q| inside int32 for any dimension: 127 · Q · dim < 2^31.
const queryRange = (dim: number): number => Math.min(32767, Math.floor((2 ** 31 - 1) / (dim * 127)));

export class QuantizedIndex {
  private constructor(
    private readonly matrix: Int8Matrix,
    /** Per-dimension dequantisation step: float ≈ int8 × step. */
    private readonly step: Float32Array,
  ) {}

  get size(): number { return this.matrix.rows; }

  static build(vectors: Float32Array, dim: number, rows = vectors.length / dim): QuantizedIndex {
    const peak = new Float32Array(dim);
    for (let r = 0, o = 0; r < rows; r++, o += dim) {
      for (let k = 0; k < dim; k++) {
        const a = Math.abs(vectors[o + k]);
        if (a > peak[k]) peak[k] = a;
      }
    }
    const step = peak.map((p) => (p > 0 ? p / 127 : 1));
    const inv = step.map((s) => 1 / s);
    const matrix = new Int8Matrix(rows, dim);
    for (let r = 0, o = 0; r < rows; r++, o += dim) {
      const dst = matrix.row(r);
      for (let k = 0; k < dim; k++) dst[k] = Math.round(vectors[o + k] * inv[k]);
    }
    return new QuantizedIndex(matrix, step);
  }

  /** int32 estimates of every row's dot product with q: float ≈ dots[r] × scale. */
  private dots(q: Float32Array): { dots: Int32Array; scale: number } {
    const dim = this.matrix.dim;
    const w = new Float32Array(dim);
    let peak = 0;
    for (let k = 0; k < dim; k++) {
      w[k] = q[k] * this.step[k];
      peak = Math.max(peak, Math.abs(w[k]));
    }
    const s = peak > 0 ? queryRange(dim) / peak : 0;
    const qi = new Int16Array(dim);
    for (let k = 0; k < dim; k++) qi[k] = Math.round(w[k] * s);
    return { dots: this.matrix.scan(qi), scale: s > 0 ? 1 / s : 0 };
  }

  /** Estimated dot product of every row with q. */
  estimate(q: Float32Array): Float32Array {
    const { dots, scale } = this.dots(q);
    return Float32Array.from(dots, (d) => d * scale);
  }

  /**
   * Best k sightings by their best crop. Rows must be grouped by sighting (as VectorIndex holds them).
   * Shortlists crops by estimate, then re-scores every passing crop of their sightings exactly.
   */
  topSightings(
    q: Float32Array, k: number, vectors: Float32Array, sightingOf: Int32Array,
    pass: RowFilter, exclude: number | undefined, opts: ShortlistOptions = {},
  ): ScoredSighting[] {
    const dim = this.matrix.dim;
    const n = this.size;
    const want = Math.max(opts.shortlist ?? Math.max(512, 32 * k), k);
    const { dots } = this.dots(q);
    const heap = new RowHeap(want);
    let threshold = -Infinity;
    for (let r = 0; r < n; r++) {
      const d = dots[r];
      if (d <= threshold) continue; // the common case: one compare per crop
      if (sightingOf[r] === exclude || (pass && !pass(r))) continue;
      heap.offer(d, r);
      if (heap.length === want) threshold = heap.key[0];
    }
    const seen = new Set<number>();
    const out: ScoredSighting[] = [];
    for (let i = 0; i < heap.length; i++) {
      const s = sightingOf[heap.row[i]];
      if (seen.has(s)) continue;
      seen.add(s);
      let start = heap.row[i], end = start + 1;
      while (start > 0 && sightingOf[start - 1] === s) start--;
      while (end < n && sightingOf[end] === s) end++;
      let best = -Infinity;
      for (let r = start; r < end; r++) {
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
      out.push({ sighting: s, score: best });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, k);
  }
}

/** Fixed-capacity min-heap of rows keyed by estimated score: keeps the best `cap`. */
class RowHeap {
  length = 0;
  readonly key: Float64Array;
  readonly row: Int32Array;

  constructor(private readonly cap: number) {
    this.key = new Float64Array(cap);
    this.row = new Int32Array(cap);
  }

  offer(key: number, row: number): void {
    let i: number;
    if (this.length < this.cap) {
      i = this.length++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.key[p] <= key) break;
        this.key[i] = this.key[p]; this.row[i] = this.row[p];
        i = p;
      }
    } else {
      if (key <= this.key[0]) return;
      i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i, mk = key;
        if (l < this.length && this.key[l] < mk) { m = l; mk = this.key[l]; }
        if (r < this.length && this.key[r] < mk) { m = r; mk = this.key[r]; }
        if (m === i) break;
        this.key[i] = this.key[m]; this.row[i] = this.row[m];
        i = m;
      }
    }
    this.key[i] = key; this.row[i] = row;
  }
}
