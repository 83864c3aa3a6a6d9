// Fused ranking: the IVT similarity of a sighting, standardised against this case's sightings for
// this query, plus how well the sighting's evidence (attribute probabilities, garment colours;
// vision/evidence.ts) satisfies the parsed description — soft, each check weighted by how reliable
// its attribute measured. Then an honest confidence label per hit, and "no strong match" when
// nothing both stands out and agrees with the description.
import type { AttributeName } from '../vision/attributes';
import { type BaseColour, type ColourShare, colourMatch } from '../vision/colour';
import type { CropEvidence } from '../vision/evidence';
import type { Constraints, DescribedColour, Item } from '../query/parse';
import type { AttributeFilter } from '../../common/contract';

/** A sighting's evidence: its detections' evidence aggregated (mean probabilities, colour votes). */
export interface SightingEvidence {
  p: Record<AttributeName, number>;
  upper: ColourShare[];
  lower: ColourShare[];
  /** Detections aggregated. */
  n: number;
}

function mergeColours(lists: ColourShare[][]): ColourShare[] {
  const votes = new Map<BaseColour, { w: number; light: number; dark: number }>();
  for (const list of lists) {
    for (const c of list) {
      const v = votes.get(c.name) ?? { w: 0, light: 0, dark: 0 };
      v.w += c.confidence / lists.length;
      if (c.modifier === 'light') v.light += c.confidence;
      if (c.modifier === 'dark') v.dark += c.confidence;
      votes.set(c.name, v);
    }
  }
  const out: ColourShare[] = [];
  for (const [name, v] of votes) {
    const total = v.w * lists.length;
    const modifier = v.light > total / 2 ? 'light' as const : v.dark > total / 2 ? 'dark' as const : undefined;
    out.push(modifier ? { name, confidence: v.w, modifier } : { name, confidence: v.w });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

/** One sighting's evidence from its crops' (several crops are more robust than the best one alone). */
export function aggregateEvidence(crops: readonly CropEvidence[]): SightingEvidence | null {
  if (crops.length === 0) return null;
  const p = {} as Record<AttributeName, number>;
  for (const k of Object.keys(crops[0].p) as AttributeName[]) p[k] = crops.reduce((a, c) => a + c.p[k], 0) / crops.length;
  return { p, upper: mergeColours(crops.map((c) => c.upper)), lower: mergeColours(crops.map((c) => c.lower)), n: crops.length };
}

/** One thing the description says that the evidence can check. */
export interface Check {
  /** What the investigator reads on the chip ("red top", "backpack", "woman"). */
  label: string;
  /** Weight in the fused score: the attribute's measured reliability (docs/model-card-attributes.md). */
  weight: number;
  /** 0–1: how well a sighting's evidence satisfies it. */
  satisfaction: (e: SightingEvidence) => number;
  /** Garment colour (colour.ts on regions) or attribute network probability: the benchmark's ablation turns each on alone. */
  kind?: 'colour';
}

/**
 * Reliability of each kind of evidence (0–1), from the attribute network's agreement with hand labels on
 * vtest (docs/model-card-attributes.md): hat and sleeves barely beat chance there; coat/jacket is not used.
 */
export const RELIABILITY = {
  colour: 1, gender: 0.8, backpack: 0.7, bag: 0.4, hat: 0.2, longHair: 0.5, longPants: 0.6, sleeves: 0.2,
} as const;

const colourLabel = (cs: DescribedColour[]): string => cs.map((c) => c.words || c.base).join(' and ');

function colourCheck(it: Item, garment: 'upper' | 'lower', weight: number): Check | null {
  if (it.absent || it.colours.length === 0) return null;
  const label = `${colourLabel(it.colours)} ${it.words || it.category}`;
  // Two colours said of one garment ("red and navy jacket"): each must be there, so the mean.
  return { label, weight, kind: 'colour', satisfaction: (e) => it.colours.reduce((a, c) => a + colourMatch(c, e[garment]), 0) / it.colours.length };
}

const not = (f: (e: SightingEvidence) => number) => (e: SightingEvidence): number => 1 - f(e);

/** The checks of a parsed description (empty when it says nothing the evidence can check). */
export function checksOf(c: Constraints, w: Partial<Record<keyof typeof RELIABILITY, number>> = {}): Check[] {
  const r = { ...RELIABILITY, ...w };
  const out: Check[] = [];
  if (c.gender === 'male') out.push({ label: 'man', weight: r.gender, satisfaction: (e) => e.p.isMale });
  if (c.gender === 'female') out.push({ label: 'woman', weight: r.gender, satisfaction: (e) => 1 - e.p.isMale });
  const upper = c.upper[0], lower = c.lower[0];
  if (upper) {
    const cc = colourCheck(upper, 'upper', r.colour);
    if (cc) out.push(cc);
    if (upper.sleeves === 'long') out.push({ label: 'long sleeves', weight: r.sleeves, satisfaction: (e) => e.p.longSleeves });
    if (upper.sleeves === 'short' || upper.sleeves === 'none') out.push({ label: 'short sleeves', weight: r.sleeves, satisfaction: (e) => 1 - e.p.longSleeves });
    // No coat/jacket check: coatJacket reads ≈ 0 for everyone on real crops (docs/model-card-attributes.md), so its chip would say ✗ to every coat.
    // A dress is one garment for both halves: its wearer is not in trousers (a red jacket over dark
    // trousers is not a red dress), unless the description names what is worn below it.
    if (upper.category === 'dress' && !upper.absent && !lower) out.push({ label: 'no trousers', weight: r.longPants, satisfaction: (e) => 1 - e.p.longPants });
  }
  if (lower) {
    const cc = colourCheck(lower, 'lower', r.colour);
    if (cc) out.push(cc);
    if (!lower.absent && (lower.category === 'shorts' || lower.category === 'skirt')) out.push({ label: lower.words || lower.category, weight: r.longPants, satisfaction: (e) => 1 - e.p.longPants });
    if (!lower.absent && ['trousers', 'jeans', 'leggings'].includes(lower.category) && !cc) out.push({ label: lower.words || lower.category, weight: r.longPants * 0.5, satisfaction: (e) => e.p.longPants });
  }
  for (const col of c.overall ?? []) {
    out.push({ label: `all ${col.words || col.base}`, weight: r.colour, kind: 'colour', satisfaction: (e) => (colourMatch(col, e.upper) + colourMatch(col, e.lower)) / 2 });
  }
  for (const b of c.bag) {
    const backpack = (e: SightingEvidence): number => e.p.hasBackpack;
    const anyBag = (e: SightingEvidence): number => Math.max(e.p.hasBag, e.p.hasBackpack);
    if (b.category === 'backpack') out.push(b.absent ? { label: 'no backpack', weight: r.backpack, satisfaction: not(backpack) } : { label: b.words || 'backpack', weight: r.backpack, satisfaction: backpack });
    else out.push(b.absent ? { label: `no ${b.words || 'bag'}`, weight: r.bag, satisfaction: not(anyBag) } : { label: b.words || b.category, weight: r.bag, satisfaction: (e) => e.p.hasBag });
    break; // the first bag named
  }
  const hat = c.headwear.find((h) => h.category !== 'hood');
  if (hat) out.push(hat.absent ? { label: `no ${hat.words || 'hat'}`, weight: r.hat, satisfaction: (e) => 1 - e.p.hasHat } : { label: hat.words || hat.category, weight: r.hat, satisfaction: (e) => e.p.hasHat });
  if (c.hair?.length === 'long') out.push({ label: 'long hair', weight: r.longHair, satisfaction: (e) => e.p.longHair });
  if (c.hair?.length === 'short' || c.hair?.length === 'bald') out.push({ label: `${c.hair.length === 'bald' ? 'bald' : 'short hair'}`, weight: r.longHair, satisfaction: (e) => 1 - e.p.longHair });
  return out;
}

/** The fused score's weights, fitted on the dev split (test/bench/real-devset.ts; never on split "test"). */
export interface FusionWeights {
  /** Weight of the evidence term against the standardised similarity. */
  evidence: number;
  /** Reliability of some checks other than RELIABILITY's (the benchmark's `--fit-reliability`; the product uses RELIABILITY). */
  reliability?: Partial<Record<keyof typeof RELIABILITY, number>>;
}
/**
 * `npm run bench:devset -- --fit` (R@1 + R@5 on dev). Refitted 2026-12-02 04:14 UTC with z per video
 * (STANDARDISATION): 0.5 (dev 15 / 30 / 39 %; 1.5, the weight fitted earlier with z over the shortlist, gives
 * 12 / 30 / 36 % now). docs/search-quality.md has the grid.
 */
export const FUSION_WEIGHTS: FusionWeights = { evidence: 0.5 };

/**
 * Against what a sighting's similarity is standardised: every sighting of the shortlist (this query,
 * this case), or its own video's sightings, shrunk towards the shortlist by `prior` sightings' worth of
 * weight (a clip of 2 sightings says little about its own level), so a video whose every sighting
 * resembles the description (a crowded clip, a look the encoder likes) does not own the top of the list.
 */
export type Standardisation = { by: 'shortlist' } | { by: 'video'; prior: number };
/** Chosen on the dev split (docs/search-quality.md): prior 10–40 gave the same dev ranks; 0 (a video alone) was worse. */
export const STANDARDISATION: Standardisation = { by: 'video', prior: 20 };

/**
 * z of each similarity: (score − level) / std over the shortlist, where the level is the shortlist's mean
 * or, per video, (Σ video's scores + prior · mean) / (n_video + prior).
 */
export function standardise(
  similarities: readonly { sighting: number; score: number }[],
  how: Standardisation = STANDARDISATION,
  videoOf: (sighting: number) => number | undefined = () => undefined,
): number[] {
  const { mean, std } = meanStd(similarities.map((s) => s.score));
  if (how.by === 'shortlist') return similarities.map((s) => (s.score - mean) / std);
  const sums = new Map<number | undefined, { sum: number; n: number }>();
  for (const s of similarities) {
    const v = videoOf(s.sighting);
    const g = sums.get(v) ?? { sum: 0, n: 0 };
    g.sum += s.score; g.n += 1;
    sums.set(v, g);
  }
  return similarities.map((s) => {
    const g = sums.get(videoOf(s.sighting))!;
    return (s.score - (g.sum + how.prior * mean) / (g.n + how.prior)) / std;
  });
}

export interface Chip { label: string; ok: boolean }
export type Confidence = 'strong' | 'possible' | 'weak';

export interface Scored {
  sighting: number;
  /** IVT similarity (best crop). */
  similarity: number;
  /** Similarity standardised against this query's scores over the case's sightings. */
  z: number;
  /** Weighted mean satisfaction of the checks (null: no checks or no evidence). */
  agreement: number | null;
  fused: number;
  chips: Chip[];
  /** A reliable check clearly failed (keeps a sighting from "strong" whatever its standing). */
  failedReliable: boolean;
  confidence: Confidence;
}

// Confidence thresholds: a strong hit stands out in this case AND agrees with what was described.
export const CONFIDENCE = { strongZ: 1.5, strongAgreement: 0.7, possibleZ: 0.5, possibleAgreement: 0.45, failed: 0.35 } as const;

export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 1 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(v) || 1e-6 };
}

/**
 * Ranks sightings by the fused score and labels each. `similarities` should cover the case's sightings
 * for this query (or the largest shortlist available): they give the similarity's standing.
 */
export function fuse(
  similarities: readonly { sighting: number; score: number }[],
  evidenceOf: (sighting: number) => SightingEvidence | null,
  checks: readonly Check[],
  weights: FusionWeights = FUSION_WEIGHTS,
  standardisation: Standardisation = STANDARDISATION,
  videoOf?: (sighting: number) => number | undefined,
): Scored[] {
  return fuseStandardised(similarities, standardise(similarities, standardisation, videoOf), evidenceOf, checks, weights);
}

/**
 * fuse() once each similarity's standing `zs[i]` is known (the benchmark's two-model ensemble,
 * test/bench/ensemble.ts, brings its own).
 */
export function fuseStandardised(
  similarities: readonly { sighting: number; score: number }[],
  zs: readonly number[],
  evidenceOf: (sighting: number) => SightingEvidence | null,
  checks: readonly Check[],
  weights: FusionWeights = FUSION_WEIGHTS,
): Scored[] {
  const totalWeight = checks.reduce((a, c) => a + c.weight, 0);
  const out = similarities.map((s, i): Scored => {
    const z = zs[i];
    const ev = checks.length ? evidenceOf(s.sighting) : null;
    let agreement: number | null = null;
    let chips: Chip[] = [];
    let evidenceTerm = 0;
    let failedReliable = false;
    if (ev) {
      const sat = checks.map((c) => Math.max(0, Math.min(1, c.satisfaction(ev))));
      agreement = sat.reduce((a, x, i) => a + x * checks[i].weight, 0) / totalWeight;
      evidenceTerm = sat.reduce((a, x, i) => a + (x - 0.5) * checks[i].weight, 0);
      chips = checks.map((c, i) => ({ label: c.label, ok: sat[i] >= 0.5 }));
      failedReliable = sat.some((x, i) => checks[i].weight >= 0.5 && x < CONFIDENCE.failed);
    }
    const fused = z + weights.evidence * evidenceTerm;
    return { sighting: s.sighting, similarity: s.score, z, agreement, fused, chips, failedReliable, confidence: label(z, agreement, failedReliable) };
  });
  return out.sort((a, b) => b.fused - a.fused);
}

/**
 * strong: stands out in this case (z) and agrees with the description, no reliable check clearly failed;
 * possible: above the case's average and mostly agrees; weak: the rest. A description the evidence cannot
 * check (no constraints, or a case indexed without evidence) is never "strong": similarity alone is not proof.
 */
export function label(z: number, agreement: number | null, failedReliable: boolean): Confidence {
  if (agreement === null) return z >= CONFIDENCE.strongZ ? 'possible' : 'weak';
  if (z >= CONFIDENCE.strongZ && agreement >= CONFIDENCE.strongAgreement && !failedReliable) return 'strong';
  if (z >= CONFIDENCE.possibleZ && agreement >= CONFIDENCE.possibleAgreement) return 'possible';
  return 'weak';
}

/** Checks of the attribute filters an investigator clicked; a sighting is kept only when each is satisfied (≥ 0.5). */
export function filterChecks(f: AttributeFilter | undefined): Check[] {
  if (!f) return [];
  const out: Check[] = [];
  if (f.gender) out.push(...checksOf({ gender: f.gender, upper: [], lower: [], bag: [], headwear: [], footwear: [], eyewear: [], carried: [] }));
  const colour = (base: BaseColour): DescribedColour => ({ base, words: base });
  if (f.upperColour) out.push({ label: `${f.upperColour} top`, weight: RELIABILITY.colour, kind: 'colour', satisfaction: (e) => colourMatch(colour(f.upperColour!), e.upper) });
  if (f.lowerColour) out.push({ label: `${f.lowerColour} bottoms`, weight: RELIABILITY.colour, kind: 'colour', satisfaction: (e) => colourMatch(colour(f.lowerColour!), e.lower) });
  if (f.bag !== undefined) out.push({ label: f.bag ? 'bag' : 'no bag', weight: RELIABILITY.bag, satisfaction: (e) => (f.bag ? 1 : -1) * Math.max(e.p.hasBag, e.p.hasBackpack) + (f.bag ? 0 : 1) });
  if (f.hat !== undefined) out.push({ label: f.hat ? 'hat' : 'no hat', weight: RELIABILITY.hat, satisfaction: (e) => (f.hat ? e.p.hasHat : 1 - e.p.hasHat) });
  return out;
}
