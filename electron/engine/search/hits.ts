// Turns stored sightings into the hits every caller sees (CLI JSON, UI, bookmarks, evidence).
import type { Db } from '../case/caseFile';
import type { BBox, RejectReason, SearchHit, Sighting } from '../contract';
import { thumbnailUrl } from '../media';

export interface SightingRow {
  id: number; video_id: number; start_s: number; end_s: number; best_s: number;
  best_x: number; best_y: number; best_w: number; best_h: number; detection_count: number;
  path: string; camera: string; true_start_time: string | null; creation_time: string | null;
  rejected: RejectReason | null;
}

const SELECT_SIGHTING = `
  SELECT s.id, s.video_id, s.start_s, s.end_s, s.best_s, s.best_x, s.best_y, s.best_w, s.best_h, s.detection_count,
         v.path, v.camera, v.true_start_time, v.creation_time, r.reason AS rejected
  FROM sightings s JOIN videos v ON v.id = s.video_id LEFT JOIN rejections r ON r.sighting_id = s.id`;

export function sightingRow(db: Db, id: number): SightingRow | undefined {
  return db.prepare(`${SELECT_SIGHTING} WHERE s.id = ?`).get(id) as SightingRow | undefined;
}

export function sightingRows(db: Db, ids: number[]): Map<number, SightingRow> {
  const out = new Map<number, SightingRow>();
  const stmt = db.prepare(`${SELECT_SIGHTING} WHERE s.id = ?`);
  for (const id of ids) {
    const r = stmt.get(id) as SightingRow | undefined;
    if (r) out.set(id, r);
  }
  return out;
}

/**
 * Wall-clock time of a moment in a video: the investigator's clock correction wins over the
 * container's creation_time (CCTV recorders' clocks drift), and with neither we know nothing.
 */
export function wallClock(trueStartTime: string | null, creationTime: string | null, timeS: number): string | null {
  const base = trueStartTime ?? creationTime;
  if (!base) return null;
  const ms = Date.parse(base);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + Math.round(timeS * 1000)).toISOString();
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function toBBox(r: SightingRow): BBox {
  return [Math.round(r.best_x), Math.round(r.best_y), Math.round(r.best_w), Math.round(r.best_h)];
}

export function toHit(r: SightingRow, score: number): SearchHit {
  return {
    sighting: r.id,
    videoId: r.video_id,
    video: r.path,
    camera: r.camera,
    time: round(r.best_s),
    bbox: toBBox(r),
    score: round(score, 4),
    start: round(r.start_s),
    end: round(r.end_s),
    wallClock: wallClock(r.true_start_time, r.creation_time, r.best_s),
    thumbnail: thumbnailUrl(r.id),
    rejected: r.rejected,
  };
}

export function toSighting(r: SightingRow): Sighting {
  return {
    id: r.id, videoId: r.video_id, start: round(r.start_s), end: round(r.end_s), time: round(r.best_s),
    bbox: toBBox(r), detectionCount: r.detection_count, thumbnail: thumbnailUrl(r.id),
  };
}
