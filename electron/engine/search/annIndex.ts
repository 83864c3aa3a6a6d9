// Approximate sighting search for large cases: an int8 copy of the crop matrix is scanned in full
// (WebAssembly SIMD, a quarter of float32's bytes), the sightings whose best crop estimates highest
// are shortlisted, and every crop of those is re-scored exactly in float32. A full scan rather
// than a partitioned index (IVF): its cost is fixed, and recall does not depend on how the
// embeddings cluster (random-like data defeats coarse partitions).
//
// Quantisation is per dimension (step_k = peak_k / 127), so x·q ≈ Σ int8_k · (step_k · q_k): the
// steps fold into the int16 query and every row's estimate is a plain int32 — the shortlist pass
// is integer compares only.
import { Int8Matrix } from './annKernel';
import { MAX_POOLING, poolSighting, type SightingPooling } from './sightingScore';

/** Which rows may count (filters) — the caller's predicate, or undefined for all. */
export type RowFilter = ((row: number) => boolean) | undefined;

export interface ShortlistOptions {
  /** Sightings shortlisted by estimate and re-scored exactly (default: max(64, 4 × k)). */
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
    const dst = matrix.allRows();
    for (let r = 0, o = 0, d = 0; r < rows; r++, o += dim, d += matrix.stride) {
      for (let k = 0; k < dim; k++) dst[d + k] = Math.round(vectors[o + k] * inv[k]);
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

  /** Row ranges of the sightings (rows are grouped by sighting), computed once per sightingOf array. */
  private groupsOf(sightingOf: Int32Array): Int32Array {
    if (this.groups && this.groupsFor === sightingOf) return this.groups;
    const starts: number[] = [];
    for (let r = 0; r < sightingOf.length; r++) if (r === 0 || sightingOf[r] !== sightingOf[r - 1]) starts.push(r);
    starts.push(sightingOf.length);
    this.groupsFor = sightingOf;
    this.groups = Int32Array.from(starts);
    return this.groups;
  }

  private groups: Int32Array | null = null;
  private groupsFor: Int32Array | null = null;

  /**
   * Best k sightings by their crops pooled as `pooling` says (search/sightingScore.ts; by default the best
   * crop). Rows must be grouped by sighting (as VectorIndex holds them). Shortlists sightings (not crops: a
   * long track has hundreds of near-identical crops that would crowd other sightings out) by their best
   * estimated crop, then re-scores their passing crops exactly and pools them.
   */
  topSightings(
    q: Float32Array, k: number, vectors: Float32Array, sightingOf: Int32Array,
    pass: RowFilter, exclude: number | undefined, opts: ShortlistOptions = {}, pooling: SightingPooling = MAX_POOLING,
  ): ScoredSighting[] {
    const dim = this.matrix.dim;
    const want = Math.max(opts.shortlist ?? Math.max(64, 4 * k), k);
    const groups = this.groupsOf(sightingOf);
    const { dots } = this.dots(q);
    const heap = new TopHeap(want);
    let threshold = -Infinity;
    for (let g = 0, end = groups.length - 1; g < end; g++) {
      const s0 = groups[g], s1 = groups[g + 1];
      let best = dots[s0];
      for (let r = s0 + 1; r < s1; r++) if (dots[r] > best) best = dots[r];
      if (best <= threshold) continue; // the common case: a few int compares per sighting
      if (sightingOf[s0] === exclude) continue;
      if (pass) {
        best = -Infinity;
        for (let r = s0; r < s1; r++) if (dots[r] > best && pass(r)) best = dots[r];
        if (best <= threshold) continue;
      }
      heap.offer(best, g);
      if (heap.length === want) threshold = heap.key[0];
    }
    const out: ScoredSighting[] = [];
    for (let i = 0; i < heap.length; i++) {
      const g = heap.id[i];
      const rows: number[] = [], sims: number[] = [];
      for (let r = groups[g]; r < groups[g + 1]; r++) {
        if (pass && !pass(r)) continue;
        const o = r * dim;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, d = 0;
        for (; d + 3 < dim; d += 4) {
          s0 += vectors[o + d] * q[d]; s1 += vectors[o + d + 1] * q[d + 1];
          s2 += vectors[o + d + 2] * q[d + 2]; s3 += vectors[o + d + 3] * q[d + 3];
        }
        for (; d < dim; d++) s0 += vectors[o + d] * q[d];
        rows.push(r);
        sims.push(s0 + s1 + s2 + s3);
      }
      out.push({ sighting: sightingOf[groups[g]], score: poolSighting(pooling, rows, sims, vectors, dim, q) });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, k);
  }
}

/** Fixed-capacity min-heap of (estimated score, id) — here sighting groups: keeps the best `cap`. */
class TopHeap {
  length = 0;
  readonly key: Float64Array;
  readonly id: Int32Array;

  constructor(private readonly cap: number) {
    this.key = new Float64Array(cap);
    this.id = new Int32Array(cap);
  }

  offer(key: number, id: number): void {
    let i: number;
    if (this.length < this.cap) {
      i = this.length++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.key[p] <= key) break;
        this.key[i] = this.key[p]; this.id[i] = this.id[p];
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
        this.key[i] = this.key[m]; this.id[i] = this.id[m];
        i = m;
      }
    }
    this.key[i] = key; this.id[i] = id;
  }
}
