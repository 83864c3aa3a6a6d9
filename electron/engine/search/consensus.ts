// Appearance consensus: one person seen in several sightings of a video (a track the tracker could not
// stitch across an occlusion or a turn) is one person. A sighting's standing for a description is averaged
// with that of the other sightings near the top of the list that re-identification says show the same
// person, so one lucky crop of a stranger counts for less than several views that agree, and a person's
// poor view is carried by their good ones. Pairs seen at the same time in the same video are two people,
// never averaged. Joining sightings of other videos too (scope 'case') merged different people on the
// held-out stills (docs/search-quality.md, "Phase 7"), so by default it is not done.
import { cosine, meanAppearances } from '../vision/reid';
import { label, type Scored } from './fusion';

/** A sighting's mean ReID vector (unit length), the ReID model that made it, and where and when it was seen. */
export interface Appearance { model: string; vector: Float32Array; video: number; start: number; end: number }

export interface Consensus {
  /** Cosine of two sightings' mean ReID vectors from which they count as one person. */
  minCosine: number;
  /** Weight of each same-person sighting against the sighting's own (1: a plain mean). */
  weight: number;
  /** How many of the best-ranked sightings take part (the rest keep their scores, below them). */
  depth: number;
  /** Which sightings may be one person: of the same video only (a track broken by occlusion), or of any video. */
  scope: 'video' | 'case';
}

/**
 * Chosen on the dev split (docs/search-quality.md, "Phase 7"): dev R@1/R@5/R@10 rose at every minCosine
 * from 0.5 to 0.7 and weight from 0.5 to 2; 0.4 merges different people (vtest falls). 0.6 is the middle
 * of that plateau (the "same person" follow timeline's 0.7 is stricter: it shows a chain of matches).
 */
export const CONSENSUS: Consensus = { minCosine: 0.6, weight: 1, depth: 200, scope: 'video' };

/** One detection's ReID vector with its sighting's place and time, as a case store reads it. */
export interface AppearanceRow { sighting: number; model: string; vector: Float32Array; video: number; start: number; end: number }

/** Each sighting's appearance from its detections' rows (the vectors of the sighting's first model only: a case is indexed with one). */
export function appearancesOf(rows: readonly AppearanceRow[]): Map<number, Appearance> {
  const first = new Map<number, AppearanceRow>();
  for (const r of rows) if (!first.has(r.sighting)) first.set(r.sighting, r);
  const means = meanAppearances(rows.filter((r) => r.model === first.get(r.sighting)!.model));
  return new Map([...first].map(([id, r]) => [id, { model: r.model, vector: means.get(id)!, video: r.video, start: r.start, end: r.end }]));
}

/** Largest number of sightings whose appearance a search source keeps (≈ 1 KiB each); past it the cache starts again. */
const APPEARANCE_CACHE_MAX = 50_000;

/**
 * The appearances a search source has read, kept until the case's index changes (`version`): a sighting's
 * detections change only when indexing does. `read` loads the detections' rows of sightings not yet known.
 */
export class AppearanceCache {
  private known = new Map<number, Appearance | null>();
  private version: string | number | undefined;

  constructor(private readonly read: (sightings: number[]) => Promise<AppearanceRow[]>) {}

  async get(sightings: readonly number[], version: string | number): Promise<Map<number, Appearance>> {
    if (version !== this.version || this.known.size > APPEARANCE_CACHE_MAX) { this.known.clear(); this.version = version; }
    const missing = sightings.filter((id) => !this.known.has(id));
    if (missing.length) {
      const found = appearancesOf(await this.read(missing));
      for (const id of missing) this.known.set(id, found.get(id) ?? null);
    }
    const out = new Map<number, Appearance>();
    for (const id of sightings) { const a = this.known.get(id); if (a) out.set(id, a); }
    return out;
  }
}

const together = (a: Appearance, b: Appearance): boolean => a.video === b.video && a.start <= b.end && b.start <= a.end;

/**
 * Re-scores the best `depth` sightings of a ranked list: the standing `z`, the agreement and the fused score
 * each become the weighted mean over the sighting and its same-person sightings among them (all three are
 * linear in the same terms, so the fused score stays z + w · evidence); the label is read again from the
 * averaged standing and agreement, with the sighting's own failed checks. Sightings without an appearance
 * keep their own scores. Returns the list re-sorted by the fused score.
 */
export function appearanceConsensus(scored: readonly Scored[], appearances: ReadonlyMap<number, Appearance>, c: Consensus = CONSENSUS): Scored[] {
  const top = scored.slice(0, c.depth);
  const looks = top.map((x) => appearances.get(x.sighting));
  // Each pair is judged once; a sighting's same-person sightings stay in list order.
  const same: number[][] = top.map(() => []);
  for (let i = 0; i < top.length; i++) {
    const a = looks[i];
    if (!a) continue;
    for (let j = i + 1; j < top.length; j++) {
      const b = looks[j];
      if (!b || b.model !== a.model || (c.scope === 'video' && b.video !== a.video) || together(a, b) || cosine(a.vector, b.vector) < c.minCosine) continue;
      same[i].push(j);
      same[j].push(i);
    }
  }
  const rescored = top.map((x, i): Scored => {
    if (same[i].length === 0) return x;
    let n = 1, z = x.z, fused = x.fused;
    let agreementSum = x.agreement ?? 0, agreementN = x.agreement === null ? 0 : 1;
    for (const j of same[i]) {
      const y = top[j];
      n += c.weight; z += c.weight * y.z; fused += c.weight * y.fused;
      if (y.agreement !== null && x.agreement !== null) { agreementSum += c.weight * y.agreement; agreementN += c.weight; }
    }
    const agreement = x.agreement === null ? null : agreementSum / agreementN;
    return { ...x, z: z / n, fused: fused / n, agreement, confidence: label(z / n, agreement, x.failedReliable) };
  });
  return [...rescored.sort((p, q) => q.fused - p.fused), ...scored.slice(c.depth)];
}
