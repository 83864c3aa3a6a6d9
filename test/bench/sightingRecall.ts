// Sightings recall of one indexing run against a reference run of the same video (motion gating,
// cheaper decoding: "does the faster pipeline still find what the full one found?").
//
// Definition: a reference sighting is recalled when the candidate run has a detection on one of the
// sighting's frames (same source time, within 1 ms) whose box overlaps one of the sighting's boxes
// on that frame with IoU ≥ 0.5. Detection recall is the same per reference detection. Both runs
// sample the same frames (absolute 1/fps ticks), so "the same frame" is exact.
import type { Db } from '../../electron/engine/case/caseFile';
import type { BBox } from '../../electron/engine/contract';
import { iou } from '../../electron/engine/vision/nms';

export interface SightingBoxes { id: number; boxes: { t: number; bbox: BBox }[] }

export function sightingBoxes(db: Db, videoId: number): SightingBoxes[] {
  const rows = db.prepare('SELECT sighting_id AS id, t_s AS t, x, y, w, h FROM detections WHERE video_id = ? ORDER BY sighting_id, t_s').all(videoId) as
    { id: number; t: number; x: number; y: number; w: number; h: number }[];
  const by = new Map<number, SightingBoxes>();
  for (const r of rows) {
    if (!by.has(r.id)) by.set(r.id, { id: r.id, boxes: [] });
    by.get(r.id)!.boxes.push({ t: r.t, bbox: [r.x, r.y, r.w, r.h] });
  }
  return [...by.values()];
}

export interface Recall {
  sightings: number;
  recalledSightings: number;
  sightingRecall: number;
  detections: number;
  recalledDetections: number;
  detectionRecall: number;
  /** Reference sightings not recalled: id, start and end (s). */
  missed: { id: number; start: number; end: number }[];
}

export function sightingRecall(reference: SightingBoxes[], candidate: SightingBoxes[], minIou = 0.5): Recall {
  const frame = (t: number): number => Math.round(t * 1000);
  const byFrame = new Map<number, BBox[]>();
  for (const s of candidate) for (const b of s.boxes) {
    const k = frame(b.t);
    if (!byFrame.has(k)) byFrame.set(k, []);
    byFrame.get(k)!.push(b.bbox);
  }
  const found = (b: { t: number; bbox: BBox }): boolean => (byFrame.get(frame(b.t)) ?? []).some((c) => iou(c, b.bbox) >= minIou);
  let recalledSightings = 0, detections = 0, recalledDetections = 0;
  const missed: Recall['missed'] = [];
  for (const s of reference) {
    const hits = s.boxes.filter(found).length;
    detections += s.boxes.length;
    recalledDetections += hits;
    if (hits > 0) recalledSightings++;
    else missed.push({ id: s.id, start: s.boxes[0].t, end: s.boxes[s.boxes.length - 1].t });
  }
  return {
    sightings: reference.length, recalledSightings, sightingRecall: reference.length ? recalledSightings / reference.length : 1,
    detections, recalledDetections, detectionRecall: detections ? recalledDetections / detections : 1, missed,
  };
}
