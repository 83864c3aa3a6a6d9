// An ensemble of IVT models ranks as one (issue #10/#11, pre-registered in docs/search-quality.md): each
// model's similarities are standardised over its own shortlist exactly as one model's are (fusion.ts
// `standardise`), the standings are averaged with the ensemble's declared weights (its manifest.json,
// vision/manifest.ts IvtModel), and that average takes the single model's place in the fused score
// (evidence, its weight and the confidence labels unchanged: `fuseStandardised`). The product's
// Searcher (search.ts) and the devset bench (test/bench/real-devset.ts --ensemble) both rank with it.
import { type Check, fuseStandardised, type FusionWeights, type Scored, type SightingEvidence, standardise, type Standardisation } from './fusion';

export interface ModelSimilarities {
  /** One model's shortlist for the query (sighting ids in one case's numbering). */
  similarities: readonly { sighting: number; score: number }[];
}

/**
 * Each sighting's combined standing: Σ wₘ zₘ / Σ wₘ, and its similarity Σ wₘ sₘ / Σ wₘ (what a hit shows;
 * it does not rank). A sighting missing from one model's shortlist (only when a shortlist is cut short of
 * the case) takes that model's lowest z and lowest similarity there: it did not make the cut.
 */
export function ensembleStanding(
  models: readonly ModelSimilarities[],
  standardisation: Standardisation,
  videoOf: (sighting: number) => number | undefined,
  weights: readonly number[],
): { similarities: { sighting: number; score: number }[]; zs: number[] } {
  if (models.length !== weights.length) throw new Error(`ensemble: ${models.length} models but ${weights.length} weights`);
  const of = models.map((m) => {
    const zs = standardise(m.similarities, standardisation, videoOf);
    return {
      z: new Map(m.similarities.map((s, i) => [s.sighting, zs[i]])), zFloor: zs.length ? Math.min(...zs) : 0,
      score: new Map(m.similarities.map((s) => [s.sighting, s.score])), scoreFloor: m.similarities.length ? Math.min(...m.similarities.map((s) => s.score)) : 0,
    };
  });
  const ids = new Set<number>();
  for (const m of models) for (const s of m.similarities) ids.add(s.sighting);
  const total = weights.reduce((a, w) => a + w, 0);
  const mean = (value: (m: (typeof of)[number], sighting: number) => number, sighting: number): number =>
    of.reduce((a, m, i) => a + weights[i] * value(m, sighting), 0) / total;
  const similarities = [...ids].map((sighting) => ({ sighting, score: mean((m, s) => m.score.get(s) ?? m.scoreFloor, sighting) }));
  const zs = similarities.map((s) => mean((m, id) => m.z.get(id) ?? m.zFloor, s.sighting));
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
  weights: readonly number[],
): Scored[] {
  const { similarities, zs } = ensembleStanding(models, standardisation, videoOf, weights);
  return fuseStandardised(similarities, zs, evidenceOf, checks, fusion);
}
