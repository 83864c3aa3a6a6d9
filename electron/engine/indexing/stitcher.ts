// Tracklet stitching: the second, offline pass of tracking. The online tracker (tracker.ts) must
// decide frame by frame and, for purity, starts a new sighting whenever it doubts; one person who is
// hidden for a few seconds, turns, or is detected as a partial box therefore comes out as several
// fragments. With a whole video's tracklets at hand, a fragment B is joined to an earlier one A when
//  - time: B starts after A ends (never overlapping: one person is not twice in a frame), gap ≤ maxGapS;
//  - motion: A's head point, carried forward at A's closing velocity, lands near B's first box (or B's,
//    carried back, near A's last box), within a radius that grows with the gap; the head point (top
//    centre) is used because an occluding shelf or car shortens a box from below, not from above;
//  - size: box heights agree, or, when the appearance agrees strongly, the widths do (occlusion);
//  - appearance: the tracklets' mean ReID vectors agree (a mean over many crops averages out pose,
//    blur and partial boxes), more strongly for short tracklets and long gaps;
//  - uniqueness: each tracklet gets at most one successor and one predecessor (best pair first), and a
//    link whose runner-up is almost as good is refused: two candidates never both link, and an
//    ambiguous one links to neither.
// Rounds repeat on the joined tracklets until nothing changes (a chain A→B→C forms over rounds).
import type { BBox } from '../contract';
import { cosine, type TrackedDetection } from './tracker';

export interface Tracklet {
  /** Sighting id (or any caller key). */
  id: number;
  /** Detections in time order. */
  detections: readonly TrackedDetection[];
}

export interface StitchOptions {
  /** Longest gap between A's end and B's start that may be bridged (seconds). */
  maxGapS: number;
  /** Motion radius = height × (reachBase + reachPerS × min(gap, reachCapS)). */
  reachBase: number;
  reachPerS: number;
  reachCapS: number;
  /** Closing / opening velocity fitted over this many seconds of a tracklet's end / start. */
  velocityWindowS: number;
  /** Box heights must agree within this ratio (min/max)... */
  minHeightRatio: number;
  /** ...or, when appearance ≥ strongAppearance, the widths within this one (a partly hidden person). */
  minWidthRatio: number;
  /**
   * Cosine of the tracklets' mean ReID vectors must reach this when both hold at least `longTracklet`
   * detections: a mean over many crops averages out pose, blur and partial boxes, so it separates
   * people far better than any single pair of crops does.
   */
  minAppearance: number;
  longTracklet: number;
  /** When either tracklet is shorter (a noisier mean), this much is needed. */
  shortAppearance: number;
  /** Longer gaps need more: the threshold rises by this much per second of gap... */
  appearancePerS: number;
  /** ...up to this; also the cosine that lets widths stand in for heights (a partly hidden person). */
  strongAppearance: number;
  /** A link is refused when another candidate of either side comes within this of its appearance. */
  ambiguityMargin: number;
  /** Among unambiguous candidates, the best first by appearance + motionWeight × motion − gapPenalty × gap. */
  motionWeight: number;
  gapPenalty: number;
  /** Rounds of stitching on the joined tracklets. */
  rounds: number;
}

export const DEFAULT_STITCH: StitchOptions = {
  maxGapS: 20, reachBase: 0.6, reachPerS: 0.8, reachCapS: 4, velocityWindowS: 2,
  minHeightRatio: 0.6, minWidthRatio: 0.7,
  minAppearance: 0.8, longTracklet: 3, shortAppearance: 0.85, appearancePerS: 0.005, strongAppearance: 0.9,
  ambiguityMargin: 0.05, motionWeight: 0.3, gapPenalty: 0.02, rounds: 4,
};

/** The head point of a box: top centre (stable when the lower body is hidden). */
const head = (b: BBox): [number, number] => [b[0] + b[2] / 2, b[1]];

/** Velocity (px/s) of the head point over detections, least squares in time; [0, 0] for fewer than two. */
function velocity(ds: readonly TrackedDetection[]): [number, number] {
  if (ds.length < 2) return [0, 0];
  const tm = ds.reduce((s, d) => s + d.t, 0) / ds.length;
  const xm = ds.reduce((s, d) => s + head(d.bbox)[0], 0) / ds.length;
  const ym = ds.reduce((s, d) => s + head(d.bbox)[1], 0) / ds.length;
  let stt = 0, stx = 0, sty = 0;
  for (const d of ds) {
    const [x, y] = head(d.bbox);
    stt += (d.t - tm) ** 2; stx += (d.t - tm) * (x - xm); sty += (d.t - tm) * (y - ym);
  }
  return stt > 0 ? [stx / stt, sty / stt] : [0, 0];
}

function meanVector(vs: readonly Float32Array[]): Float32Array {
  const m = new Float32Array(vs[0].length);
  for (const v of vs) for (let i = 0; i < m.length; i++) m[i] += v[i];
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i] * m[i];
  const inv = 1 / Math.sqrt(s || 1);
  for (let i = 0; i < m.length; i++) m[i] *= inv;
  return m;
}

interface Summary {
  ids: number[];
  detections: TrackedDetection[];
  start: TrackedDetection;
  end: TrackedDetection;
  vStart: [number, number];
  vEnd: [number, number];
  mean: Float32Array;
}

function summarise(ids: number[], detections: TrackedDetection[], o: StitchOptions): Summary {
  const start = detections[0], end = detections[detections.length - 1];
  return {
    ids, detections, start, end,
    vStart: velocity(detections.filter((d) => d.t <= start.t + o.velocityWindowS)),
    vEnd: velocity(detections.filter((d) => d.t >= end.t - o.velocityWindowS)),
    mean: meanVector(detections.map((d) => d.appearance)),
  };
}

/** Why A→B may or may not be one person; `appearance` is null when a hard gate refuses it. */
export interface LinkEvidence { gap: number; motion: number; appearance: number | null }

/** The evidence for "B continues A" (A ends before B starts). */
function linkEvidence(a: Summary, b: Summary, o: StitchOptions): LinkEvidence {
  const gap = b.start.t - a.end.t;
  const no = (motion = 0): LinkEvidence => ({ gap, motion, appearance: null });
  if (gap <= 0 || gap > o.maxGapS) return no();
  const ab = a.end.bbox, bb = b.start.bbox;
  const heightRatio = Math.min(ab[3], bb[3]) / Math.max(ab[3], bb[3]);
  const widthRatio = Math.min(ab[2], bb[2]) / Math.max(ab[2], bb[2]);
  // Velocities are capped at about one body height per second (a walker, not box jitter).
  const h = Math.max(ab[3], bb[3]);
  const cap = (v: [number, number]): [number, number] => {
    const s = Math.hypot(v[0], v[1]);
    return s > h ? [(v[0] * h) / s, (v[1] * h) / s] : v;
  };
  const [ax, ay] = head(ab), [bx, by] = head(bb);
  const va = cap(a.vEnd), vb = cap(b.vStart);
  const forward = Math.hypot(ax + va[0] * gap - bx, ay + va[1] * gap - by);
  const backward = Math.hypot(bx - vb[0] * gap - ax, by - vb[1] * gap - ay);
  const still = Math.hypot(ax - bx, ay - by);
  const reach = h * (o.reachBase + o.reachPerS * Math.min(gap, o.reachCapS));
  const dist = Math.min(forward, backward, still) / reach;
  if (dist >= 1) return no();
  const appearance = cosine(a.mean, b.mean);
  const base = Math.min(a.detections.length, b.detections.length) >= o.longTracklet ? o.minAppearance : o.shortAppearance;
  const need = Math.min(Math.max(base, o.strongAppearance), base + o.appearancePerS * gap);
  if (appearance < need) return no(1 - dist);
  const sizeOk = heightRatio >= o.minHeightRatio || (widthRatio >= o.minWidthRatio && appearance >= o.strongAppearance);
  if (!sizeOk) return no(1 - dist);
  return { gap, motion: 1 - dist, appearance };
}

/**
 * Groups tracklets that are one person: each group lists tracklet ids in time order (its first id is
 * the one the others join). Tracklets no one joins come back alone.
 */
export function stitch(tracklets: readonly Tracklet[], o: StitchOptions = DEFAULT_STITCH): number[][] {
  let groups = tracklets
    .filter((t) => t.detections.length > 0)
    .map((t) => summarise([t.id], [...t.detections], o));
  for (let round = 0; round < o.rounds; round++) {
    groups.sort((p, q) => p.start.t - q.start.t || p.ids[0] - q.ids[0]);
    const cands: { a: number; b: number; app: number; s: number }[] = [];
    for (let i = 0; i < groups.length; i++) {
      // Sorted by start: candidates B start within maxGapS after A ends.
      for (let j = i + 1; j < groups.length && groups[j].start.t <= groups[i].end.t + o.maxGapS; j++) {
        const e = linkEvidence(groups[i], groups[j], o);
        if (e.appearance === null) continue;
        cands.push({ a: i, b: j, app: e.appearance, s: e.appearance + o.motionWeight * e.motion - o.gapPenalty * e.gap });
      }
    }
    // Ambiguity: another candidate of either side nearly as alike, and a rival (two tracklets seen at
    // the same time are two people; two in sequence may both be this person, the nearer joins first).
    const overlap = (x: Summary, y: Summary): boolean => x.start.t <= y.end.t && y.start.t <= x.end.t;
    const ambiguous = (c: { a: number; b: number; app: number }): boolean => cands.some((x) => x !== c && x.app > c.app - o.ambiguityMargin
      && ((x.a === c.a && overlap(groups[x.b], groups[c.b])) || (x.b === c.b && overlap(groups[x.a], groups[c.a]))));
    cands.sort((p, q) => q.s - p.s);
    const next = new Map<number, number>(), prev = new Map<number, number>();
    for (const c of cands) {
      if (next.has(c.a) || prev.has(c.b) || ambiguous(c)) continue;
      next.set(c.a, c.b); prev.set(c.b, c.a);
    }
    if (!next.size) break;
    const joined: Summary[] = [];
    groups.forEach((g, i) => {
      if (prev.has(i)) return;
      let ids = [...g.ids], ds = [...g.detections];
      for (let k = next.get(i); k !== undefined; k = next.get(k)) { ids = ids.concat(groups[k].ids); ds = ds.concat(groups[k].detections); }
      joined.push(ids.length === g.ids.length ? g : summarise(ids, ds, o));
    });
    groups = joined;
  }
  return groups.map((g) => g.ids).sort((p, q) => p[0] - q[0]);
}
