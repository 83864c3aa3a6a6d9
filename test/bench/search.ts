// Search latency at scale: N random unit vectors of the model's dimension (the hardest data for an
// approximate index), grouped 1–4 crops per sighting as the tracker stores them; random unit queries.
// Exact and approximate modes time the same queries; recall@10 of approximate is against exact.
import { ANN_MIN_ROWS, SearchMode, VectorIndex } from '../../electron/engine/search/vectorIndex';

export interface ModeFigures { p50Ms: number; p95Ms: number; queries: number; recall10?: number; buildMs?: number }
export interface SearchFigures { rows: number; sightings: number; dim: number; exact: ModeFigures; ann: ModeFigures; auto: SearchMode }

/** xorshift32: fast, seeded, good enough for benchmark data. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export function randomUnits(n: number, dim: number, rand: () => number): Float32Array {
  const v = new Float32Array(n * dim);
  for (let r = 0, o = 0; r < n; r++, o += dim) {
    let ss = 0;
    for (let k = 0; k < dim; k++) {
      const x = rand() + rand() + rand() - 1.5; // roughly Gaussian: directions uniform enough
      v[o + k] = x;
      ss += x * x;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let k = 0; k < dim; k++) v[o + k] *= inv;
  }
  return v;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export function benchSearch(rows: number, dim: number, queries: { exact: number; ann: number }, k = 10): SearchFigures {
  const rand = rng(rows);
  const vectors = randomUnits(rows, dim, rand);
  const sightingOf = new Int32Array(rows), videoOf = new Int32Array(rows), timeOf = new Float32Array(rows);
  let s = 0;
  for (let r = 0; r < rows; r++) {
    if (r === 0 || rand() < 0.4) s++;
    sightingOf[r] = s; videoOf[r] = 1 + (s % 50); timeOf[r] = (r % 36000) / 2;
  }
  const index = VectorIndex.fromArrays('bench', dim, vectors, sightingOf, videoOf, timeOf);
  const qs = Array.from({ length: Math.max(queries.exact, queries.ann) }, () => randomUnits(1, dim, rand));

  const time = (mode: SearchMode, n: number): { ms: number[]; results: number[][] } => {
    const ms: number[] = [], results: number[][] = [];
    index.nearestSightings(qs[0], k, {}, undefined, mode); // warm-up (JIT)
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = index.nearestSightings(qs[i], k, {}, undefined, mode);
      ms.push(performance.now() - t);
      results.push(r.map((x) => x.sighting));
    }
    return { ms, results };
  };

  const tb = performance.now();
  index.prepareApproximate();
  const buildMs = performance.now() - tb;
  const exact = time('exact', queries.exact);
  const ann = time('ann', queries.ann);
  let recall = 0;
  for (let i = 0; i < queries.exact; i++) {
    const truth = new Set(exact.results[i]);
    recall += ann.results[i].filter((x) => truth.has(x)).length / truth.size;
  }
  return {
    rows, sightings: s, dim,
    exact: { p50Ms: round(percentile(exact.ms, 50)), p95Ms: round(percentile(exact.ms, 95)), queries: queries.exact },
    ann: { p50Ms: round(percentile(ann.ms, 50)), p95Ms: round(percentile(ann.ms, 95)), queries: queries.ann, recall10: round(recall / queries.exact, 3), buildMs: Math.round(buildMs) },
    auto: rows >= ANN_MIN_ROWS ? 'ann' : 'exact',
  };
}
