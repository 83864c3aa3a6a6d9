// How a sighting scores for a description, from the similarities of its crops: one declared choice
// (DESCRIPTION_POOLING), measured on the dev split of the real-footage devset (docs/search-quality.md).
//
// Why not simply the best crop: a sighting's crop similarities are noisy draws, and the best of n draws
// grows with n. A long sighting in a crowded clip (hundreds of crops, each a little different) then owns a
// high maximum by chance and outranks a short sighting (a still: one crop) of the person described.

/**
 * - `max`: the best crop (a person seen from behind in one frame and from the front in the next matches
 *   on the view that shows the described detail); the reference of "more like this" and of the ANN tests.
 * - `topMean`: the mean of the k best crops (a sighting of fewer crops: the mean of all of them), so one
 *   lucky crop is not enough.
 * - `meanVector`: the similarity to the sighting's mean embedding, re-normalised to unit length.
 * - `shrunkMax`: the best crop less the chance inflation of a maximum over n crops,
 *   `beta · std · sqrt(2 ln n)` (std: the spread of this sighting's crop similarities).
 */
export type SightingPooling =
  | { kind: 'max' }
  | { kind: 'topMean'; k: number }
  | { kind: 'meanVector' }
  | { kind: 'shrunkMax'; beta: number };

export const MAX_POOLING: SightingPooling = { kind: 'max' };

/** The description search's choice (search/search.ts), fitted on the dev split only. */
export const DESCRIPTION_POOLING: SightingPooling = { kind: 'max' };

export function poolingName(p: SightingPooling): string {
  switch (p.kind) {
    case 'max': return 'max';
    case 'topMean': return `top-${p.k} mean`;
    case 'meanVector': return 'mean vector';
    case 'shrunkMax': return `max shrunk (beta ${p.beta})`;
  }
}

/**
 * One sighting's score from its crops: `rows` are the crops' row numbers in `vectors` (the unit crop
 * embeddings; those that pass the search's filter), `sims` their similarities to the unit query `q`.
 */
export function poolSighting(
  p: SightingPooling, rows: readonly number[], sims: readonly number[],
  vectors: Float32Array, dim: number, q: Float32Array,
): number {
  const n = sims.length;
  if (n === 0) return -Infinity;
  let best = -Infinity;
  for (const s of sims) if (s > best) best = s;
  if (n === 1 || p.kind === 'max') return best;
  switch (p.kind) {
    case 'topMean': {
      const k = Math.max(1, Math.min(p.k, n));
      const top = [...sims].sort((a, b) => b - a);
      let s = 0;
      for (let i = 0; i < k; i++) s += top[i];
      return s / k;
    }
    case 'meanVector': {
      // q · Σv / |Σv|: the dot products are already known, only the length of the sum is needed.
      const sum = new Float64Array(dim);
      let dot = 0;
      for (const r of rows) {
        const o = r * dim;
        for (let d = 0; d < dim; d++) sum[d] += vectors[o + d];
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) { norm += sum[d] * sum[d]; dot += sum[d] * q[d]; }
      return norm > 0 ? dot / Math.sqrt(norm) : best;
    }
    case 'shrunkMax': {
      let mean = 0;
      for (const s of sims) mean += s;
      mean /= n;
      let v = 0;
      for (const s of sims) v += (s - mean) ** 2;
      const std = Math.sqrt(v / n);
      return best - p.beta * std * Math.sqrt(2 * Math.log(n));
    }
  }
}
