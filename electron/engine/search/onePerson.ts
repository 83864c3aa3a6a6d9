// The one-person check of a sighting: every detection's re-identification vector must look like the
// sighting's own average appearance. A detection below the tracker's appearance veto would have been
// "someone else" to the tracker, so a sighting holding one is flagged before it becomes an exhibit.
import { cosine, DEFAULT_TRACKER } from '../indexing/tracker';

export interface OnePersonCheck {
  /** Detections with a ReID vector (0 for a video indexed before ReID). */
  detections: number;
  /** Lowest cosine of a detection to the sighting's mean appearance; null without vectors. */
  lowestCosine: number | null;
  /** The cosine below which a detection counts as someone else (the tracker's veto). */
  threshold: number;
  /** true: one person throughout; false: may contain more than one; null: cannot be checked. */
  passed: boolean | null;
}

/** The check on a sighting's re-identification vectors, wherever they are stored (evidence/source.ts). */
export function onePersonOf(vectors: Float32Array[]): OnePersonCheck {
  const threshold = DEFAULT_TRACKER.minAppearance;
  if (vectors.length === 0) return { detections: 0, lowestCosine: null, threshold, passed: null };
  const mean = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) mean[i] += v[i];
  const norm = Math.hypot(...mean) || 1;
  for (let i = 0; i < mean.length; i++) mean[i] /= norm;
  const lowest = Math.min(...vectors.map((v) => cosine(v, mean)));
  return { detections: vectors.length, lowestCosine: Math.round(lowest * 1e4) / 1e4, threshold, passed: lowest >= threshold };
}
