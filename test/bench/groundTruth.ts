// Ground truth for measuring Sightline on real footage: the hand-written annotation files
// (test/fixtures/real-footage/devset.json, test/fixtures/vtest-tracks.json, test/fixtures/real-footage/tracks-*.json)
// and the scores computed against them. No model code lives here: callers hand in what the engine
// produced (ranked hits, or detections grouped into sightings) and get ranks, recall, purity, IDF1.
// A predicted box is the annotated one when both are at the same time and IoU >= 0.5.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { BBox } from '../../electron/engine/contract';
import { iou } from '../../electron/engine/vision/nms';

export const MATCH_IOU = 0.5;
/** Two times are the same moment when closer than this (annotation times are exact 0.5 s steps or frame times). */
export const TIME_TOLERANCE_S = 0.02;

const bbox = z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]);

// ---------- description search: the real-footage development set ----------

const appearanceSchema = z.object({
  file: z.string().min(1), // relative to ../shared/real-footage
  frame: z.number().int().nonnegative(),
  t: z.number().nonnegative(),
  bbox,
  note: z.string().optional(),
});
const devsetSchema = z.object({
  schema: z.literal('sightline-devset/1'),
  sources: z.array(z.object({
    path: z.string(), kind: z.enum(['still', 'gif', 'video']), width: z.number(), height: z.number(),
    licence: z.string(), researchOnly: z.boolean(), split: z.enum(['dev', 'test']),
  }).passthrough()),
  people: z.array(z.object({
    id: z.string().min(1),
    split: z.enum(['dev', 'test']),
    descriptions: z.array(z.string().min(3)).min(1),
    appearances: z.array(appearanceSchema).min(1),
    note: z.string().optional(),
  })),
}).passthrough();

export type Devset = z.infer<typeof devsetSchema>;
export type DevPerson = Devset['people'][number];
export type Appearance = z.infer<typeof appearanceSchema>;

/** One result of a search, in the same coordinates as the annotation: file relative to real-footage/ (or ending in it). */
export interface Hit { file: string; t: number; bbox: BBox }

// ---------- tracking: hand-checked tracks ----------

const tracksSchema = z.object({
  schema: z.literal('sightline-tracks/1'),
  video: z.string(),
  fps: z.number().positive(),
  stepS: z.number().positive(),
  identities: z.array(z.object({ id: z.string().min(1), description: z.string().min(3) })).min(1),
  boxes: z.array(z.object({ t: z.number().nonnegative(), id: z.string(), bbox, source: z.enum(['detector', 'hand', 'interpolated']) })),
  falsePositives: z.array(z.object({ t: z.number().nonnegative(), bbox, what: z.string() })),
  unjudged: z.array(z.object({ t: z.number().nonnegative(), bbox, why: z.string() })),
}).passthrough();

export type Tracks = z.infer<typeof tracksSchema>;
export type TrackBox = Tracks['boxes'][number];

/** One detection the engine made, with the sighting (track) it was put in. */
export interface PredictedDetection { sighting: number | string; t: number; bbox: BBox }

function load<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not readable JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${file}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}

/** The development set; identities never span the dev/test split, so a person's split is their footage's split. */
export function loadDevset(file: string): Devset {
  const d = load(file, devsetSchema);
  const ids = new Set<string>();
  for (const p of d.people) {
    if (ids.has(p.id)) throw new Error(`${file}: person ${p.id} appears twice`);
    ids.add(p.id);
  }
  return d;
}

/** Hand-checked tracks; one box per identity per time, identities declared once. */
export function loadTracks(file: string): Tracks {
  const d = load(file, tracksSchema);
  const declared = new Set(d.identities.map((i) => i.id));
  const seen = new Set<string>();
  for (const b of d.boxes) {
    if (!declared.has(b.id)) throw new Error(`${file}: box at t=${b.t} names undeclared identity ${b.id}`);
    const key = `${b.id}@${b.t}`;
    if (seen.has(key)) throw new Error(`${file}: identity ${b.id} has two boxes at t=${b.t}`);
    seen.add(key);
  }
  return d;
}

const sameFile = (hitFile: string, annotated: string): boolean =>
  hitFile === annotated || hitFile.replace(/\\/g, '/').endsWith(`/${annotated}`);
const sameTime = (a: number, b: number): boolean => Math.abs(a - b) <= TIME_TOLERANCE_S;

/** The hit shows this appearance: same file, same moment, boxes overlap by IoU >= 0.5. */
export function hitMatches(hit: Hit, a: Appearance): boolean {
  return sameFile(hit.file, a.file) && sameTime(hit.t, a.t) && iou(hit.bbox, a.bbox) >= MATCH_IOU;
}

const isStill = (file: string): boolean => /\.(jpe?g|png|bmp)$/i.test(file);

/**
 * Can this hit be judged right or wrong? Yes on a still image (a still not annotated holds none of
 * the described people) and at any annotated moment of a clip; no at moments of a clip nobody
 * annotated (the person may be there, so such hits are skipped, not counted wrong).
 */
export function isJudged(hit: Hit, devset: Devset): boolean {
  if (isStill(hit.file)) return true;
  return devset.people.some((p) => p.appearances.some((a) => sameFile(hit.file, a.file) && sameTime(hit.t, a.t)));
}

/** 1-based rank of the first hit showing the person, counting judged hits only; null when absent. */
export function rankOfPerson(person: DevPerson, hits: readonly Hit[], devset: Devset): number | null {
  let rank = 0;
  for (const h of hits) {
    if (!isJudged(h, devset)) continue;
    rank += 1;
    if (person.appearances.some((a) => hitMatches(h, a))) return rank;
  }
  return null;
}

/** Camera of a Market-1501 frame name ("c3s1_000551.jpg" -> "c3"); other footage: its file. */
export function cameraOf(file: string): string {
  const m = /(?:^|\/)(c\d+)s\d+_\d+\.jpg$/i.exec(file);
  return m ? m[1] : file;
}

/**
 * Cross-camera re-identification: 1-based rank of the first hit showing the same person in another
 * camera than the query appearance (hits in the query's own camera are skipped, as the task is
 * "find them elsewhere"); null when absent.
 */
export function rankOfSamePerson(person: DevPerson, query: Appearance, hits: readonly Hit[]): number | null {
  const home = cameraOf(query.file);
  let rank = 0;
  for (const h of hits) {
    if (cameraOf(h.file) === home) continue;
    rank += 1;
    if (person.appearances.some((a) => cameraOf(a.file) !== home && hitMatches(h, a))) return rank;
  }
  return null;
}

/** Share of ranks at or above each k (null = not found counts as a miss). */
export function recallAt(ranks: readonly (number | null)[], ks: readonly number[] = [1, 5, 10]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of ks) out[`R@${k}`] = ranks.length ? ranks.filter((r) => r !== null && r <= k).length / ranks.length : 0;
  // The ceiling no ranking can pass: the share of descriptions whose person is in some sighting at all
  // (null = never detected/judged, a detector or tracker miss rather than a ranking one).
  out.reachable = ranks.length ? ranks.filter((r) => r !== null).length / ranks.length : 0;
  return out;
}

// ---------- tracking scores ----------

export interface SightingScore {
  sighting: number | string;
  detections: number;
  /** Detections matched to an annotated person. */
  matched: number;
  /** Most frequent annotated person among the matched detections. */
  majority: string | null;
  /** matched detections of the majority person / matched detections (null when none matched). */
  purity: number | null;
  /** Detections on annotated non-persons (traffic cones). */
  falsePositives: number;
}

export interface TrackingScore {
  sightings: SightingScore[];
  /** Lowest purity over sightings with a matched detection. */
  minPurity: number;
  meanPurity: number;
  idf1: number;
  idPrecision: number;
  idRecall: number;
  /** Distinct sightings each annotated person was matched in (1 = never fragmented). */
  fragmentation: Record<string, number>;
  meanFragmentation: number;
  /** Sightings whose detections are mostly annotated non-persons. */
  falsePositiveSightings: number;
  /** Detections at annotated times that matched neither a person, a non-person nor an unjudged box. */
  unmatchedDetections: number;
  /** Detections at times without annotation (not scored). */
  offGridDetections: number;
  gtBoxes: number;
}

/** Greedy best-IoU-first one-to-one matching of predicted to annotated boxes at one moment. */
function matchAtTime(pred: readonly BBox[], gt: readonly BBox[]): Map<number, number> {
  const pairs: [number, number, number][] = [];
  pred.forEach((p, i) => gt.forEach((g, j) => { const v = iou(p, g); if (v >= MATCH_IOU) pairs.push([v, i, j]); }));
  pairs.sort((a, b) => b[0] - a[0]);
  const out = new Map<number, number>();
  const usedGt = new Set<number>();
  for (const [, i, j] of pairs) {
    if (out.has(i) || usedGt.has(j)) continue;
    out.set(i, j);
    usedGt.add(j);
  }
  return out;
}

/** Maximum-weight one-to-one assignment of rows to columns (Hungarian method on the negated weights). */
export function maxWeightAssignment(w: readonly (readonly number[])[]): number {
  const rows = w.length;
  const cols = rows ? w[0].length : 0;
  if (!rows || !cols) return 0;
  // Square the matrix with zero-weight padding: unmatched rows/columns then cost nothing.
  const n = Math.max(rows, cols);
  const cost = (i: number, j: number): number => (i < rows && j < cols ? -w[i][j] : 0);
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0);
  }
  let total = 0;
  for (let j = 1; j <= n; j++) if (p[j] - 1 < rows && j - 1 < cols) total += w[p[j] - 1][j - 1];
  return total;
}

/**
 * Scores a tracker's sightings against hand-checked tracks. Each predicted detection at an annotated
 * time is matched (IoU >= 0.5, greedy best first) to a person's box, else to an annotated non-person
 * (false positive), else to an unjudged box (ignored), else counted unmatched.
 */
export function scoreTracking(truth: Tracks, predicted: readonly PredictedDetection[]): TrackingScore {
  const gtTimes = new Map<string, TrackBox[]>();
  const key = (t: number): string => (Math.round(t / truth.stepS) * truth.stepS).toFixed(3);
  for (const b of truth.boxes) {
    if (!gtTimes.has(key(b.t))) gtTimes.set(key(b.t), []);
    gtTimes.get(key(b.t))!.push(b);
  }
  const onGrid = (t: number): boolean => sameTime(t, Math.round(t / truth.stepS) * truth.stepS);
  const byTime = new Map<string, PredictedDetection[]>();
  let offGrid = 0;
  for (const d of predicted) {
    if (!onGrid(d.t)) { offGrid += 1; continue; }
    if (!byTime.has(key(d.t))) byTime.set(key(d.t), []);
    byTime.get(key(d.t))!.push(d);
  }
  // kind: matched a person, an annotated non-person, an unjudged box (ignored), or nothing annotated.
  type Verdict = { sighting: number | string; person: string | null; kind: 'person' | 'fp' | 'unjudged' | 'unmatched' };
  const verdicts: Verdict[] = [];
  for (const [k, dets] of byTime) {
    const gt = gtTimes.get(k) ?? [];
    const m = matchAtTime(dets.map((d) => d.bbox), gt.map((g) => g.bbox));
    dets.forEach((d, i) => {
      const j = m.get(i);
      if (j !== undefined) { verdicts.push({ sighting: d.sighting, person: gt[j].id, kind: 'person' }); return; }
      const at = (xs: { t: number; bbox: BBox }[]): boolean => xs.some((x) => key(x.t) === k && iou(d.bbox, x.bbox) >= MATCH_IOU);
      const kind = at(truth.falsePositives) ? 'fp' : at(truth.unjudged) ? 'unjudged' : 'unmatched';
      verdicts.push({ sighting: d.sighting, person: null, kind });
    });
  }

  const sightingIds = [...new Set(predicted.map((d) => d.sighting))];
  const sightings: SightingScore[] = sightingIds.map((s) => {
    const mine = verdicts.filter((v) => v.sighting === s);
    const counts = new Map<string, number>();
    for (const v of mine) if (v.person) counts.set(v.person, (counts.get(v.person) ?? 0) + 1);
    const matched = [...counts.values()].reduce((a, b) => a + b, 0);
    let majority: string | null = null;
    let best = 0;
    for (const [p, c] of counts) if (c > best) { best = c; majority = p; }
    return {
      sighting: s, detections: predicted.filter((d) => d.sighting === s).length, matched, majority,
      purity: matched ? best / matched : null, falsePositives: mine.filter((v) => v.kind === 'fp').length,
    };
  });

  // IDF1: best one-to-one pairing of annotated identities with sightings by co-occurring matches.
  const people = truth.identities.map((i) => i.id);
  const weights = people.map((p) => sightingIds.map((s) => verdicts.filter((v) => v.sighting === s && v.person === p).length));
  const idtp = maxWeightAssignment(weights);
  // Detections on unjudged boxes are neither right nor wrong; everything else at annotated times counts.
  const predCount = verdicts.filter((v) => v.kind !== 'unjudged').length;
  const gtCount = truth.boxes.length;
  const idPrecision = predCount ? idtp / predCount : 0;
  const idRecall = gtCount ? idtp / gtCount : 0;

  const fragmentation: Record<string, number> = {};
  for (const p of people) {
    const n = new Set(verdicts.filter((v) => v.person === p).map((v) => v.sighting)).size;
    if (n) fragmentation[p] = n;
  }
  const frag = Object.values(fragmentation);
  const purities = sightings.map((s) => s.purity).filter((x): x is number => x !== null);
  return {
    sightings,
    minPurity: purities.length ? Math.min(...purities) : 0,
    meanPurity: purities.length ? purities.reduce((a, b) => a + b, 0) / purities.length : 0,
    idf1: predCount + gtCount ? (2 * idtp) / (predCount + gtCount) : 0,
    idPrecision, idRecall,
    fragmentation,
    meanFragmentation: frag.length ? frag.reduce((a, b) => a + b, 0) / frag.length : 0,
    falsePositiveSightings: sightings.filter((s) => s.falsePositives > s.matched).length,
    unmatchedDetections: verdicts.filter((v) => v.kind === 'unmatched').length,
    offGridDetections: offGrid,
    gtBoxes: gtCount,
  };
}

/** Where the annotation files live in the repository. */
export function groundTruthFile(root: string, name: 'devset' | 'vtest-tracks' | `tracks-${string}`): string {
  if (name === 'vtest-tracks') return path.join(root, 'test', 'fixtures', 'vtest-tracks.json');
  if (name === 'devset') return path.join(root, 'test', 'fixtures', 'real-footage', 'devset.json');
  return path.join(root, 'test', 'fixtures', 'real-footage', `${name}.json`);
}

/** ../shared/real-footage next to the checkout, or null where it is absent (a user's machine): callers skip. */
export function realFootageDir(root: string): string | null {
  const dir = path.join(root, '..', 'shared', 'real-footage');
  return fs.existsSync(dir) ? dir : null;
}

/** Every committed hand-checked tracks file: vtest.avi's and those of real-footage clips. */
export function trackFiles(root: string): string[] {
  const dir = path.join(root, 'test', 'fixtures', 'real-footage');
  const clips = fs.readdirSync(dir).filter((f) => /^tracks-.+\.json$/.test(f)).map((f) => path.join(dir, f));
  return [groundTruthFile(root, 'vtest-tracks'), ...clips];
}
