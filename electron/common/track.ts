// Where the person's box is at any moment of a sighting: linear in x, y, w, h between the two
// detections around that moment (detections are samples, typically 2 per second; people walk in
// straight lines over half a second). One declaration shared by the player (renderer) and the boxed
// evidence clip (evidence/filters.ts), so the box in the app and in the exhibit move the same way.
// Node-free.
import type { BBox, TrackPoint } from './contract';

/**
 * Consecutive detections further apart than this (or than BRIDGE_STEPS sampling steps, when sampling is
 * sparser) are not bridged by an interpolated box: the person was not seen in between (hidden, or out
 * of view and back: sightings stitched from fragments, indexing/stitcher.ts), and a box sliding across
 * the gap would show a person where nobody was seen. A missed detection or two are still bridged.
 */
export const BRIDGE_S = 2.5;
export const BRIDGE_STEPS = 3;

/** The longest gap between two detections of `points` that a box is interpolated across. */
export function bridgeLimit(points: readonly TrackPoint[]): number {
  let step = Infinity;
  for (let i = 1; i < points.length; i++) {
    const d = points[i].t - points[i - 1].t;
    if (d > 1e-6 && d < step) step = d;
  }
  return Math.max(BRIDGE_S, Number.isFinite(step) ? BRIDGE_STEPS * step : 0);
}

/**
 * The box at `t`, or null outside [first detection, last detection] and inside a gap longer than
 * `limit` (bridgeLimit). `points` sorted by t.
 */
export function boxAt(points: readonly TrackPoint[], t: number, limit = bridgeLimit(points)): BBox | null {
  const n = points.length;
  if (n === 0 || t < points[0].t - 1e-6 || t > points[n - 1].t + 1e-6) return null;
  // Binary search for the last point at or before t.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid].t <= t) lo = mid; else hi = mid - 1;
  }
  const a = points[lo];
  const b = points[Math.min(lo + 1, n - 1)];
  if (b.t <= a.t) return [...a.bbox] as BBox;
  if (b.t - a.t > limit) {
    // Not seen in between: a box only at (a frame's width of) each detection.
    if (t - a.t <= 1e-6) return [...a.bbox] as BBox;
    if (b.t - t <= 1e-6) return [...b.bbox] as BBox;
    return null;
  }
  const f = Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t)));
  return a.bbox.map((v, i) => v + (b.bbox[i] - v) * f) as BBox;
}

/** Consecutive pairs of detections: the segments a moving box is drawn over, each [a.t, b.t). */
export function segments(points: readonly TrackPoint[]): { a: TrackPoint; b: TrackPoint }[] {
  const out: { a: TrackPoint; b: TrackPoint }[] = [];
  for (let i = 0; i + 1 < points.length; i++) if (points[i + 1].t > points[i].t) out.push({ a: points[i], b: points[i + 1] });
  return out;
}
