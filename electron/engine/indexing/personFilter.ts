// Person boxes must look like people. The detector also fires on small upright objects (traffic
// cones on vtest.avi, about 18×20 px): those become sightings that rank high for colour queries. A box
// is kept when it has a person's shape (taller than wide, unless it is large: crouching), is not tiny for the frame, and is not far
// smaller than the people standing at the same depth (same foot line) in the same frame.
import type { BBox } from '../contract';

export interface PersonFilterOptions {
  /** Height / width at least this for a small box (a standing or walking person far away; cones are about 1.1). */
  minAspect: number;
  /** Boxes at least this share of the frame height are near enough to judge by more than shape: any aspect from minNearAspect (crouching, bending). */
  largeShare: number;
  minNearAspect: number;
  /** Height at least this share of the frame height. */
  minHeightShare: number;
  /** Height at least this share of the median height of other boxes whose foot lines are near. */
  minNeighbourShare: number;
  /** "Near": foot lines within this share of the frame height. */
  footBand: number;
}

export const DEFAULT_PERSON_FILTER: PersonFilterOptions = { minAspect: 1.3, largeShare: 0.2, minNearAspect: 0.8, minHeightShare: 0.045, minNeighbourShare: 0.5, footBand: 0.08 };

/** The detections that look like people, in order. */
export function plausiblePeople<D extends { bbox: BBox; score: number }>(dets: readonly D[], frameW: number, frameH: number, o: PersonFilterOptions = DEFAULT_PERSON_FILTER): D[] {
  void frameW;
  const shaped = dets.filter((d) => {
    const [, , w, h] = d.bbox;
    return h >= o.minHeightShare * frameH && h >= (h >= o.largeShare * frameH ? o.minNearAspect : o.minAspect) * w;
  });
  return shaped.filter((d) => {
    const foot = d.bbox[1] + d.bbox[3];
    const near = shaped.filter((x) => x !== d && Math.abs(x.bbox[1] + x.bbox[3] - foot) <= o.footBand * frameH).map((x) => x.bbox[3]).sort((a, b) => a - b);
    if (!near.length) return true;
    return d.bbox[3] >= o.minNeighbourShare * near[Math.floor(near.length / 2)];
  });
}
