// The tracker Sightline shipped before ReID tracking (tracker v1), kept verbatim for one purpose:
// bench:tracking prints its scores next to the current tracker's, on the same detections.
// Nothing in the product imports this file.
import type { BBox } from '../../electron/engine/contract';
import { iou } from '../../electron/engine/vision/nms';
import { blendAppearance } from '../../electron/engine/indexing/tracker';

export interface TrackedDetection {
  t: number;
  bbox: BBox;
  score: number;
  embedding: Float32Array;
}

export interface Track {
  /** Sighting id once stored; null for a track born in the batch being written. */
  sightingId: number | null;
  lastT: number;
  lastBox: BBox;
  /** Running mean of appearance, for matching (not stored). */
  appearance: Float32Array | null;
}

export interface TrackerOptions {
  /** A track unmatched for longer than this is closed (seconds). */
  maxGapS: number;
  /** Detections below this confidence never start a track. */
  startScore: number;
  /** Minimum association score (0..1). */
  minMatch: number;
  /**
   * Appearance veto: below this cosine similarity to the track, a detection is someone else however
   * well placed (one person leaving at the frame edge just as another enters there).
   */
  minAppearance: number;
}

export const DEFAULT_TRACKER: TrackerOptions = { maxGapS: 2.5, startScore: 0.45, minMatch: 0.35, minAppearance: 0.3 };

const cosine = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** 0..1: how plausible it is that box `b` is where the person of box `a` went after dt seconds. */
export function motionScore(a: BBox, b: BBox, dt: number): number {
  const h = (a[3] + b[3]) / 2;
  const dx = (a[0] + a[2] / 2) - (b[0] + b[2] / 2), dy = (a[1] + a[3] / 2) - (b[1] + b[3] / 2);
  // A walker covers about one body height per second in the image at most (plus slack for jitter).
  const reach = h * (0.35 + 1.1 * Math.max(dt, 0.1));
  const dist = Math.hypot(dx, dy) / reach;
  const sizeRatio = Math.min(a[3], b[3]) / Math.max(a[3], b[3]);
  if (dist >= 1 || sizeRatio < 0.55) return 0;
  return Math.max(iou(a, b), (1 - dist) * sizeRatio);
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

  /** Associates one frame's detections; returns assignments and the tracks closed by this frame. */
  step(t: number, detections: TrackedDetection[]): { assignments: Assignment[]; closed: Track[] } {
    const closed: Track[] = [];
    for (let i = this.active.length - 1; i >= 0; i--) {
      if (t - this.active[i].lastT > this.opts.maxGapS) closed.push(...this.active.splice(i, 1));
    }
    const pairs: { ti: number; di: number; s: number }[] = [];
    detections.forEach((d, di) => {
      this.active.forEach((tr, ti) => {
        const m = motionScore(tr.lastBox, d.bbox, t - tr.lastT);
        if (m <= 0) return;
        const app = tr.appearance ? cosine(tr.appearance, d.embedding) : 0.5;
        if (app < this.opts.minAppearance) return;
        pairs.push({ ti, di, s: 0.5 * m + 0.5 * app });
      });
    });
    // Confident detections claim tracks first, then weak ones.
    pairs.sort((p, q) => (detections[q.di].score >= this.opts.startScore ? 1 : 0) - (detections[p.di].score >= this.opts.startScore ? 1 : 0) || q.s - p.s);
    const usedT = new Set<number>(), usedD = new Set<number>();
    const assignments: Assignment[] = [];
    for (const p of pairs) {
      if (p.s < this.opts.minMatch || usedT.has(p.ti) || usedD.has(p.di)) continue;
      usedT.add(p.ti); usedD.add(p.di);
      const tr = this.active[p.ti], d = detections[p.di];
      this.extend(tr, t, d);
      assignments.push({ detection: d, track: tr, isNew: false });
    }
    detections.forEach((d, di) => {
      if (usedD.has(di) || d.score < this.opts.startScore) return;
      const tr: Track = { sightingId: null, lastT: t, lastBox: d.bbox, appearance: Float32Array.from(d.embedding) };
      this.active.push(tr);
      assignments.push({ detection: d, track: tr, isNew: true });
    });
    return { assignments, closed };
  }

  private extend(tr: Track, t: number, d: TrackedDetection): void {
    tr.lastT = t;
    tr.lastBox = d.bbox;
    tr.appearance = tr.appearance ? blendAppearance(tr.appearance, d.embedding, 0.3) : Float32Array.from(d.embedding);
  }

  /** Closes every track (end of video). */
  closeAll(): Track[] {
    return this.active.splice(0, this.active.length);
  }
}

