// Nearest-neighbour search over the case's crop embeddings, held in memory as one matrix.
// Rows are grouped by sighting (loaded in sighting order), so per-sighting ranking is one pass.
// Exact search is the reference; large cases use the int8 scan + exact re-rank of search/annIndex.
import type { Db } from '../case/caseFile';
import { QuantizedIndex } from './annIndex';
import { MAX_POOLING, poolSighting, type SightingPooling } from './sightingScore';

export interface Filter {
  videoIds?: Set<number>;
  from?: number;
  to?: number;
  /** Per-video [from, to] in seconds into that video (a wall-clock range turned into each video's time); other videos are out. */
  ranges?: Map<number, [number, number]>;
}

export interface SightingScore { sighting: number; score: number }

/** 'auto': exact below ANN_MIN_ROWS crops, approximate (int8 scan + exact re-rank) from there. */
export type SearchMode = 'auto' | 'exact' | 'ann';

/** Below this many crops the exact scan is already fast enough (≈ 10 ms at 15k × 256 on one core). */
export const ANN_MIN_ROWS = 15_000;

export class VectorIndex {
  private constructor(
    readonly modelId: string,
    readonly dim: number,
    readonly vectors: Float32Array,
    readonly sightingOf: Int32Array,
    readonly videoOf: Int32Array,
    readonly timeOf: Float32Array,
    /** Marks when the index was loaded: max detection id and row count. */
    readonly version: string,
  ) {}

  get size(): number { return this.sightingOf.length; }

  /** int8 copy of the matrix, built on the first approximate search. */
  private quantized: QuantizedIndex | null = null;

  /** Builds the int8 copy now (else the first approximate search pays for it). */
  prepareApproximate(): QuantizedIndex {
    this.quantized ??= QuantizedIndex.build(this.vectors, this.dim, this.size);
    return this.quantized;
  }

  /** The engine's search: exact for small cases, int8 scan + exact re-rank for large ones. */
  nearestSightings(q: Float32Array, k: number, filter: Filter = {}, exclude?: number, mode: SearchMode = 'auto', pooling: SightingPooling = MAX_POOLING): SightingScore[] {
    const ann = mode === 'ann' || (mode === 'auto' && this.size >= ANN_MIN_ROWS);
    if (!ann) return this.topSightings(q, k, filter, exclude, pooling);
    let quantized: QuantizedIndex;
    try {
      quantized = this.prepareApproximate();
    } catch (e) {
      // Past WebAssembly's 4 GiB (e.g. > 5M crops of 768-d): slower, still correct.
      if (mode === 'auto' && e instanceof RangeError) return this.topSightings(q, k, filter, exclude, pooling);
      throw e;
    }
    const filtered = filter.videoIds !== undefined || filter.from !== undefined || filter.to !== undefined || filter.ranges !== undefined;
    return quantized.topSightings(q, k, this.vectors, this.sightingOf, filtered ? (r) => this.passes(filter, r) : undefined, exclude, {}, pooling);
  }

  private passes(filter: Filter, r: number): boolean {
    const range = filter.ranges?.get(this.videoOf[r]);
    if (filter.ranges && (!range || this.timeOf[r] < range[0] || this.timeOf[r] > range[1])) return false;
    return (!filter.videoIds || filter.videoIds.has(this.videoOf[r])) &&
      (filter.from === undefined || this.timeOf[r] >= filter.from) &&
      (filter.to === undefined || this.timeOf[r] <= filter.to);
  }

  static version(db: Db, modelId: string): string {
    const r = db.prepare('SELECT count(*) AS n, max(detection_id) AS m FROM embeddings WHERE model_id = ?').get(modelId) as { n: number; m: number | null };
    // Stitching (indexing/stitchSightings.ts) moves detections between sightings without adding any: the sighting count tells.
    const s = db.prepare('SELECT count(*) FROM sightings').pluck().get() as number;
    return `${r.n}:${r.m ?? 0}:${s}`;
  }

  static load(db: Db, modelId: string, dim: number): VectorIndex {
    const version = VectorIndex.version(db, modelId);
    const n = Number(version.split(':')[0]);
    const vectors = new Float32Array(n * dim);
    const sightingOf = new Int32Array(n), videoOf = new Int32Array(n), timeOf = new Float32Array(n);
    const rows = db.prepare(`SELECT e.sighting_id, d.video_id, d.t_s, e.vector FROM embeddings e JOIN detections d ON d.id = e.detection_id
      WHERE e.model_id = ? ORDER BY e.sighting_id, d.t_s`).raw(true).iterate(modelId) as IterableIterator<[number, number, number, Buffer]>;
    let i = 0;
    for (const [s, v, t, blob] of rows) {
      if (i >= n) break;
      if (blob.byteLength !== dim * 4) throw new Error(`embedding of sighting ${s} has ${blob.byteLength / 4} dimensions, model ${modelId} has ${dim}`);
      vectors.set(new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)), i * dim);
      sightingOf[i] = s; videoOf[i] = v; timeOf[i] = t;
      i++;
    }
    return new VectorIndex(modelId, dim, vectors, sightingOf.subarray(0, i), videoOf.subarray(0, i), timeOf.subarray(0, i), version);
  }

  /** Builds an index straight from arrays (a team case's loaded vectors, benchmarks, tests). */
  static fromArrays(modelId: string, dim: number, vectors: Float32Array, sightingOf: Int32Array, videoOf: Int32Array, timeOf: Float32Array, version = `${sightingOf.length}:arrays`): VectorIndex {
    return new VectorIndex(modelId, dim, vectors, sightingOf, videoOf, timeOf, version);
  }

  /** Dot product of every row with the query (vectors are unit length: cosine similarity). */
  scoreAll(q: Float32Array): Float32Array {
    const { dim, vectors } = this;
    const n = this.size;
    const out = new Float32Array(n);
    for (let r = 0, o = 0; r < n; r++, o += dim) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let k = 0;
      for (; k + 3 < dim; k += 4) {
        s0 += vectors[o + k] * q[k]; s1 += vectors[o + k + 1] * q[k + 1];
        s2 += vectors[o + k + 2] * q[k + 2]; s3 += vectors[o + k + 3] * q[k + 3];
      }
      for (; k < dim; k++) s0 += vectors[o + k] * q[k];
      out[r] = s0 + s1 + s2 + s3;
    }
    return out;
  }

  /**
   * Exact search: a sighting scores from its crops that pass the filter as `pooling` says
   * (search/sightingScore.ts; by default its best-matching crop).
   */
  topSightings(q: Float32Array, k: number, filter: Filter = {}, exclude?: number, pooling: SightingPooling = MAX_POOLING): SightingScore[] {
    const scores = this.scoreAll(q);
    return this.rankSightings(scores, k, filter, exclude, pooling, q);
  }

  rankSightings(scores: Float32Array, k: number, filter: Filter, exclude?: number, pooling: SightingPooling = MAX_POOLING, q?: Float32Array): SightingScore[] {
    if (pooling.kind === 'meanVector' && !q) throw new Error('mean-vector pooling needs the query vector');
    const query = q ?? new Float32Array(this.dim);
    // The best crop needs no per-sighting lists: a running maximum (the common case, as fast as before pooling was a choice).
    const isMax = pooling.kind === 'max';
    const best: SightingScore[] = [];
    const n = this.size;
    let cur = -1, curBest = -Infinity;
    let rows: number[] = [], sims: number[] = [];
    const pass = (r: number): boolean => this.passes(filter, r);
    const push = (): void => {
      if (cur < 0 || cur === exclude) return;
      if (isMax) { if (curBest > -Infinity) best.push({ sighting: cur, score: curBest }); return; }
      if (rows.length) best.push({ sighting: cur, score: poolSighting(pooling, rows, sims, this.vectors, this.dim, query) });
    };
    for (let r = 0; r < n; r++) {
      const s = this.sightingOf[r];
      if (s !== cur) { push(); cur = s; curBest = -Infinity; if (!isMax) { rows = []; sims = []; } }
      if (!pass(r)) continue;
      if (isMax) { if (scores[r] > curBest) curBest = scores[r]; } else { rows.push(r); sims.push(scores[r]); }
    }
    push();
    best.sort((a, b) => b.score - a.score);
    return best.slice(0, k);
  }

  private videoOfSightings: Map<number, number> | null = null;

  /** The video a sighting is in (a sighting never spans videos). */
  videoOfSighting(sighting: number): number | undefined {
    if (!this.videoOfSightings) {
      this.videoOfSightings = new Map();
      for (let r = 0; r < this.size; r++) this.videoOfSightings.set(this.sightingOf[r], this.videoOf[r]);
    }
    return this.videoOfSightings.get(sighting);
  }

  /** Mean appearance of a sighting (unit length): the query of "more like this". */
  sightingVector(sighting: number): Float32Array | null {
    const q = new Float32Array(this.dim);
    let found = 0;
    for (let r = 0; r < this.size; r++) {
      if (this.sightingOf[r] !== sighting) continue;
      for (let k = 0; k < this.dim; k++) q[k] += this.vectors[r * this.dim + k];
      found++;
    }
    if (!found) return null;
    let s = 0;
    for (let k = 0; k < this.dim; k++) s += q[k] * q[k];
    const inv = 1 / Math.sqrt(s || 1);
    for (let k = 0; k < this.dim; k++) q[k] *= inv;
    return q;
  }
}
