// Groups per-frame detections of one person walking through a scene into a sighting. Sighting
// purity comes first: two people must never share a sighting, so a detection joins a track only when
// both its place and its looks agree, and anything doubtful starts a new sighting instead.
//
// Sampling is sparse (2 fps by default), so boxes of a walking person barely overlap from one sample
// to the next. Association (ByteTrack / OC-SORT ideas, own code):
//  - motion: each track predicts where its person is now (constant velocity from its last boxes);
//    a detection is reachable when it lies within walking distance of that prediction (or of the last
//    box) and has a similar height;
//  - appearance: the person re-identification vector (vision/reid.ts) of the detection against the
//    track's running appearance; below a threshold the detection is someone else however well placed
//    (this is what splits a track when one person leaves just as another arrives at the same spot);
//  - confident detections are matched first, weak ones only extend tracks left over (never start one);
//  - a track lost for a moment (occlusion) is kept open up to maxGapS; the longer the gap, the
//    stronger the appearance evidence needed to continue it (fragments merge only on strong evidence).
// What this online pass leaves in fragments (longer absences, partial boxes) is joined once the whole
// video is tracked, by tracklet stitching (stitcher.ts).
import type { BBox } from '../contract';

/**
 * Part of every index's model key (job.ts): a change in how sightings are formed re-indexes cases
 * rather than mixing sightings of two trackers. Raise it whenever tracking, stitching (stitcher.ts) or
 * the person filter changes. 3: tracklet stitching.
 */
export const TRACKER_VERSION = 3;

export interface TrackedDetection {
  t: number;
  bbox: BBox;
  score: number;
  /** Person re-identification vector (unit length). */
  appearance: Float32Array;
}

export interface Track {
  /** Sighting id once stored; null for a track born in the batch being written. */
  sightingId: number | null;
  lastT: number;
  lastBox: BBox;
  /** Centre velocity, source px per second (0 until the track has two boxes). */
  vx: number;
  vy: number;
  /** Running appearance (unit vector), for matching. */
  appearance: Float32Array | null;
  /** The last few ReID vectors (a person turning looks like their recent self before their average). */
  recent: Float32Array[];
  /** Detections so far. */
  hits: number;
}

export interface TrackerOptions {
  /** A track unmatched for longer than this is closed (seconds). */
  maxGapS: number;
  /** Detections below this confidence never start a track and are matched only after confident ones. */
  startScore: number;
  /** Appearance veto: below this cosine to the track, a detection is someone else. */
  minAppearance: number;
  /** After a gap longer than shortGapS, continuing a track needs at least this cosine. */
  strongAppearance: number;
  shortGapS: number;
  /** Weak detections (below startScore) need at least this cosine to extend a track. */
  weakAppearance: number;
  /** Heights of a track's box and a detection must agree within this ratio (min/max). */
  minSizeRatio: number;
  /** Walking reach grows with the gap up to this many seconds. */
  reachCapS: number;
  /** ReID vectors kept per track for matching (besides the running average). */
  gallery: number;
}

export const DEFAULT_TRACKER: TrackerOptions = {
  maxGapS: 10, startScore: 0.45, minAppearance: 0.58, strongAppearance: 0.75, shortGapS: 1.1, weakAppearance: 0.65, minSizeRatio: 0.6, reachCapS: 6, gallery: 4,
};

export const cosine = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const centre = (b: BBox): [number, number] => [b[0] + b[2] / 2, b[1] + b[3] / 2];

/**
 * 0..1: how plausible it is that box `b` is where the person of track `tr` went after dt seconds
 * (0: out of reach or of another size). Distance is taken to the constant-velocity prediction or
 * to the last box, whichever is nearer (a walker may stop).
 */
export function motionScore(tr: Pick<Track, 'lastBox' | 'vx' | 'vy'>, b: BBox, dt: number, o: Pick<TrackerOptions, 'minSizeRatio' | 'reachCapS'> = DEFAULT_TRACKER): number {
  const { minSizeRatio, reachCapS } = o;
  const a = tr.lastBox;
  const sizeRatio = Math.min(a[3], b[3]) / Math.max(a[3], b[3]);
  if (sizeRatio < minSizeRatio) return 0;
  const h = (a[3] + b[3]) / 2;
  const [ax, ay] = centre(a), [bx, by] = centre(b);
  const still = Math.hypot(ax - bx, ay - by);
  const moved = Math.hypot(ax + tr.vx * dt - bx, ay + tr.vy * dt - by);
  // A walker covers about one body height per second in the image at most (plus slack for box jitter).
  const reach = h * (0.3 + 0.9 * Math.max(Math.min(dt, reachCapS), 0.1));
  const dist = Math.min(still, moved) / reach;
  if (dist >= 1) return 0;
  return (1 - dist) * sizeRatio;
}

/** Running appearance of a track: moving average of unit vectors, renormalised (in place). */
export function blendAppearance(appearance: Float32Array, next: Float32Array, weight = 0.2): Float32Array {
  let s = 0;
  for (let i = 0; i < appearance.length; i++) {
    appearance[i] = (1 - weight) * appearance[i] + weight * next[i];
    s += appearance[i] * appearance[i];
  }
  const inv = 1 / Math.sqrt(s || 1);
  for (let i = 0; i < appearance.length; i++) appearance[i] *= inv;
  return appearance;
}

export interface Assignment {
  detection: TrackedDetection;
  /** The track it joined, or a new one. */
  track: Track;
  isNew: boolean;
}

export class Tracker {
  readonly active: Track[];
  constructor(active: Track[] = [], readonly opts: TrackerOptions = DEFAULT_TRACKER) {
    this.active = [...active];
  }

  /**
   * A stored track rebuilt from its detections in time order (resume after a killed run): the same
   * updates step() made, so a resumed run continues exactly as an uninterrupted one would.
   */
  static restore(sightingId: number, detections: readonly TrackedDetection[]): Track {
    const first = detections[0];
    const tr = newTrack(first, sightingId);
    for (const d of detections.slice(1)) extend(tr, d, DEFAULT_TRACKER.gallery);
    return tr;
  }

  /** Associates one frame's detections; returns assignments and the tracks closed by this frame. */
  step(t: number, detections: TrackedDetection[]): { assignments: Assignment[]; closed: Track[] } {
    const o = this.opts;
    const closed: Track[] = [];
    for (let i = this.active.length - 1; i >= 0; i--) {
      if (t - this.active[i].lastT > o.maxGapS) closed.push(...this.active.splice(i, 1));
    }
    const confident = (d: TrackedDetection): boolean => d.score >= o.startScore;
    const pairs: { ti: number; di: number; s: number; strong: boolean }[] = [];
    detections.forEach((d, di) => {
      this.active.forEach((tr, ti) => {
        const dt = t - tr.lastT;
        const m = motionScore(tr, d.bbox, dt, o);
        if (m <= 0 || !tr.appearance) return;
        const app = appearanceMatch(tr, d.appearance);
        const need = Math.max(o.minAppearance, dt > o.shortGapS ? o.strongAppearance : 0, confident(d) ? 0 : o.weakAppearance);
        if (app < need) return;
        pairs.push({ ti, di, s: 0.4 * m + 0.6 * app, strong: confident(d) });
      });
    });
    // Two stages: confident detections claim tracks first (best pair first), then weak ones.
    pairs.sort((p, q) => Number(q.strong) - Number(p.strong) || q.s - p.s);
    const usedT = new Set<number>(), usedD = new Set<number>();
    const assignments: Assignment[] = [];
    for (const p of pairs) {
      if (usedT.has(p.ti) || usedD.has(p.di)) continue;
      usedT.add(p.ti); usedD.add(p.di);
      const tr = this.active[p.ti], d = detections[p.di];
      extend(tr, d, o.gallery);
      assignments.push({ detection: d, track: tr, isNew: false });
    }
    detections.forEach((d, di) => {
      if (usedD.has(di) || !confident(d)) return;
      const tr = newTrack(d, null);
      this.active.push(tr);
      assignments.push({ detection: d, track: tr, isNew: true });
    });
    return { assignments, closed };
  }

  /** Closes every track (end of video). */
  closeAll(): Track[] {
    return this.active.splice(0, this.active.length);
  }
}

function newTrack(d: TrackedDetection, sightingId: number | null): Track {
  return { sightingId, lastT: d.t, lastBox: d.bbox, vx: 0, vy: 0, appearance: Float32Array.from(d.appearance), recent: [d.appearance], hits: 1 };
}

/** Cosine of a detection's ReID vector to a track: its running average, or its closest recent self. */
function appearanceMatch(tr: Track, v: Float32Array): number {
  let best = tr.appearance ? cosine(tr.appearance, v) : 0;
  for (const r of tr.recent) best = Math.max(best, cosine(r, v));
  return best;
}

/** Adds a detection to a track: position, smoothed velocity, appearance. */
function extend(tr: Track, d: TrackedDetection, gallery: number): void {
  const dt = d.t - tr.lastT;
  if (dt > 0) {
    const [ax, ay] = centre(tr.lastBox), [bx, by] = centre(d.bbox);
    const vx = (bx - ax) / dt, vy = (by - ay) / dt;
    // The first velocity is taken as measured; later ones smoothed (box jitter at 2 fps is large).
    const k = tr.hits === 1 ? 1 : 0.5;
    tr.vx = tr.vx + k * (vx - tr.vx);
    tr.vy = tr.vy + k * (vy - tr.vy);
  }
  tr.lastT = d.t;
  tr.lastBox = d.bbox;
  tr.hits += 1;
  tr.appearance = tr.appearance ? blendAppearance(tr.appearance, d.appearance) : Float32Array.from(d.appearance);
  tr.recent.push(d.appearance);
  if (tr.recent.length > gallery) tr.recent.splice(0, tr.recent.length - gallery);
}

/** How good a detection is as the face of its sighting: confident, large, not cut by the frame edge. */
export function detectionQuality(bbox: BBox, score: number, frameW: number, frameH: number): number {
  const edge = bbox[0] <= 1 || bbox[1] <= 1 || bbox[0] + bbox[2] >= frameW - 1 || bbox[1] + bbox[3] >= frameH - 1;
  return score * Math.sqrt(bbox[2] * bbox[3]) * (edge ? 0.5 : 1);
}
