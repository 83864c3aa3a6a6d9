// The two-model ensemble of the devset bench (issue #10/#11, pre-registered in docs/search-quality.md):
// each IVT model's similarities are standardised over its own shortlist exactly as the product
// standardises one model (search/fusion.ts `standardise`), the two standings are averaged with weights
// fixed in advance, and that average takes the single model's place in the fused score (evidence,
// its weight and the confidence labels unchanged: `fuseStandardised`). A bench experiment, not product.
import { type Check, fuseStandardised, type FusionWeights, type Scored, type SightingEvidence, standardise, type Standardisation } from '../../electron/engine/search/fusion';

/** Equal weights, fixed before any result was seen (neither split may fit them: dev trained 2.0.0). */
export const ENSEMBLE_WEIGHTS: readonly number[] = [0.5, 0.5];

export interface ModelSimilarities {
  /** One model's shortlist for the query, sighting ids already in the primary case's numbering. */
  similarities: readonly { sighting: number; score: number }[];
}

/**
 * Each sighting's combined standing: Σ wₘ zₘ / Σ wₘ. A sighting missing from one model's shortlist
 * (only when a shortlist is cut short of the case) takes that model's lowest z there: it did not make the cut.
 * Its `score` is the first model that has it (the similarity a hit shows; it does not rank).
 */
export function ensembleStanding(
  models: readonly ModelSimilarities[],
  standardisation: Standardisation,
  videoOf: (sighting: number) => number | undefined,
  weights: readonly number[] = ENSEMBLE_WEIGHTS,
): { similarities: { sighting: number; score: number }[]; zs: number[] } {
  if (models.length !== weights.length) throw new Error(`ensemble: ${models.length} models but ${weights.length} weights`);
  const zOf = models.map((m) => {
    const zs = standardise(m.similarities, standardisation, videoOf);
    return { z: new Map(m.similarities.map((s, i) => [s.sighting, zs[i]])), floor: zs.length ? Math.min(...zs) : 0 };
  });
  const score = new Map<number, number>();
  for (const m of models) for (const s of m.similarities) if (!score.has(s.sighting)) score.set(s.sighting, s.score);
  const total = weights.reduce((a, w) => a + w, 0);
  const similarities = [...score].map(([sighting, s]) => ({ sighting, score: s }));
  const zs = similarities.map((s) => zOf.reduce((a, m, i) => a + weights[i] * (m.z.get(s.sighting) ?? m.floor), 0) / total);
  return { similarities, zs };
}

/** The fused ranking with the ensemble's standing in place of one model's z. */
export function ensembleRank(
  models: readonly ModelSimilarities[],
  evidenceOf: (sighting: number) => SightingEvidence | null,
  checks: readonly Check[],
  fusion: FusionWeights,
  standardisation: Standardisation,
  videoOf: (sighting: number) => number | undefined,
  weights: readonly number[] = ENSEMBLE_WEIGHTS,
): Scored[] {
  const { similarities, zs } = ensembleStanding(models, standardisation, videoOf, weights);
  return fuseStandardised(similarities, zs, evidenceOf, checks, fusion);
}

/** What makes two cases' sightings the same sighting: video (as annotated), start, end and every detection. */
export interface SightingKey { id: number; key: string }

/**
 * The second case's sighting ids in the first case's numbering, by identical keys (tracking and detection
 * do not depend on the IVT model, so indexing the same footage twice should give the same sightings).
 */
export function matchSightings(first: readonly SightingKey[], second: readonly SightingKey[]): { map: Map<number, number>; onlyFirst: number; onlySecond: number } {
  const count = (xs: readonly SightingKey[]): Map<string, number> => { const m = new Map<string, number>(); for (const x of xs) m.set(x.key, (m.get(x.key) ?? 0) + 1); return m; };
  const n1 = count(first), n2 = count(second);
  const firstOf = new Map(first.filter((x) => n1.get(x.key) === 1).map((x) => [x.key, x.id]));
  const map = new Map<number, number>();
  for (const x of second) if (n2.get(x.key) === 1 && firstOf.has(x.key)) map.set(x.id, firstOf.get(x.key)!);
  return { map, onlyFirst: first.length - map.size, onlySecond: second.length - map.size };
}
