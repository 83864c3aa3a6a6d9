// Tracklet stitching applied to a case: once a video's online tracking is finished, its sightings are
// read back with their detections and ReID vectors, grouped by stitcher.ts, and each group is merged
// into its earliest sighting (detections, embeddings, ReID vectors and evidence move; the
// representative frame is the best of the group). Runs inside the video's final write transaction,
// over the whole video, so a run killed before it simply stitches on the next run.
import type { Db } from '../case/caseFile';
import { DEFAULT_STITCH, stitch, type StitchOptions, type Tracklet } from './stitcher';
import { blobVector } from './store';

/**
 * A video's sightings as tracklets (detections in time order with their ReID vectors of `reidModelId`).
 * Bookmarked or rejected sightings are left out: they are the investigator's, and stay as they are.
 */
export function videoTracklets(db: Db, videoId: number, reidModelId: string): Tracklet[] {
  const rows = db.prepare(`SELECT d.sighting_id, d.t_s, d.x, d.y, d.w, d.h, d.score, r.vector FROM detections d
      JOIN reid_vectors r ON r.detection_id = d.id AND r.model_id = ?
      WHERE d.video_id = ? AND d.sighting_id NOT IN (SELECT sighting_id FROM bookmarks)
        AND d.sighting_id NOT IN (SELECT sighting_id FROM rejections)
      ORDER BY d.sighting_id, d.t_s, d.id`).raw(true).iterate(reidModelId, videoId) as IterableIterator<[number, number, number, number, number, number, number, Buffer]>;
  const out: Tracklet[] = [];
  let cur: { id: number; detections: Tracklet['detections'][number][] } | null = null;
  for (const [sid, t, x, y, w, h, score, vector] of rows) {
    if (!cur || cur.id !== sid) { cur = { id: sid, detections: [] }; out.push(cur); }
    cur.detections.push({ t, bbox: [x, y, w, h], score, appearance: blobVector(vector) });
  }
  return out;
}

/** Merges each group's later sightings into its first. Call inside a write transaction. */
export function mergeSightings(db: Db, groups: readonly (readonly number[])[]): number {
  const moves = ['detections', 'embeddings', 'reid_vectors', 'detection_evidence']
    .map((table) => db.prepare(`UPDATE ${table} SET sighting_id = ? WHERE sighting_id = ?`));
  const row = db.prepare('SELECT start_s, end_s, best_quality, detection_count FROM sightings WHERE id = ?');
  const takeBest = db.prepare(`UPDATE sightings SET (best_s, best_x, best_y, best_w, best_h, best_quality, thumbnail) =
      (SELECT best_s, best_x, best_y, best_w, best_h, best_quality, thumbnail FROM sightings WHERE id = ?) WHERE id = ?`);
  const takeLast = db.prepare(`UPDATE sightings SET (last_x, last_y, last_w, last_h) =
      (SELECT last_x, last_y, last_w, last_h FROM sightings WHERE id = ?) WHERE id = ?`);
  const span = db.prepare('UPDATE sightings SET start_s = min(start_s, ?), end_s = max(end_s, ?), detection_count = detection_count + ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM sightings WHERE id = ?');
  let merged = 0;
  for (const [keep, ...others] of groups) {
    let latest = row.get(keep) as { end_s: number } | undefined;
    if (!latest) throw new Error(`sighting ${keep}: not in this case`);
    let lastOf = keep;
    for (const id of others) {
      const r = row.get(id) as { start_s: number; end_s: number; best_quality: number; detection_count: number } | undefined;
      if (!r) throw new Error(`sighting ${id}: not in this case`);
      const k = row.get(keep) as { best_quality: number };
      if (r.best_quality > k.best_quality) takeBest.run(id, keep);
      if (r.end_s > latest.end_s) { latest = r; lastOf = id; }
      if (lastOf === id) takeLast.run(id, keep);
      span.run(r.start_s, r.end_s, r.detection_count, keep);
      for (const m of moves) m.run(keep, id);
      remove.run(id);
      merged += 1;
    }
  }
  return merged;
}

/** Stitches a video's fragments into sightings (inside the caller's write transaction); returns how many merged away. */
export function stitchVideo(db: Db, videoId: number, reidModelId: string, o: StitchOptions = DEFAULT_STITCH): number {
  return mergeSightings(db, stitch(videoTracklets(db, videoId, reidModelId), o).filter((g) => g.length > 1));
}
