// An ensemble of IVT models ranks as one (issue #10/#11, pre-registered in docs/search-quality.md): each
// model's similarities are standardised over its own shortlist exactly as one model's are (fusion.ts
// `standardise`), the standings are averaged with the ensemble's declared weights (its manifest.json,
// vision/manifest.ts IvtModel), and that average takes the single model's place in the fused score
// (evidence, its weight and the confidence labels unchanged: `fuseStandardised`). The product's
// Searcher (search.ts) and the devset bench (test/bench/real-devset.ts --ensemble) both rank with it.
import { type Check, fuseStandardised, meanStd, type FusionWeights, type Scored, type SightingEvidence, standardise, type Standardisation } from './fusion';

/**
 * How the averaged standing is scaled. 'none': the weighted mean of the members' z as it is (pre-registered);
 * its spread is below one model's (two standings that disagree average towards 0), so it passes the
 * confidence labels' z thresholds less often and weighs less against the evidence than one model's z does.
 * 'members': divided by its own spread and multiplied by the members' (weighted) mean spread, so it has one
 * model's scale: chosen on the dev split (same ranks there, a strong hit on the described person for 5 of 33
 * descriptions against 3, as 1.2.0 alone; docs/search-quality.md, "Phase 6").
 */
export type EnsembleScale = 'none' | 'members';
export const ENSEMBLE_SCALE: EnsembleScale = 'members';

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
  scale: EnsembleScale = ENSEMBLE_SCALE,
): { similarities: { sighting: number; score: number }[]; zs: number[] } {
  if (models.length !== weights.length) throw new Error(`ensemble: ${models.length} models but ${weights.length} weights`);
  const of = models.map((m) => {
    const zs = standardise(m.similarities, standardisation, videoOf);
    return {
      spread: meanStd(zs).std,
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
  if (scale === 'members' && zs.length > 1) {
    const own = meanStd(zs).std;
    const target = of.reduce((a, m, i) => a + weights[i] * m.spread, 0) / total;
    if (own > 0) for (let i = 0; i < zs.length; i++) zs[i] *= target / own;
  }
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
  scale: EnsembleScale = ENSEMBLE_SCALE,
): Scored[] {
  const { similarities, zs } = ensembleStanding(models, standardisation, videoOf, weights, scale);
  return fuseStandardised(similarities, zs, evidenceOf, checks, fusion);
}
