// What indexing writes: one transaction per batch of sampled frames (detections, embeddings,
// sighting updates, resume point), so a killed process loses at most the batch in flight.
import { writeTransaction, type Db } from '../case/caseFile';
import { resetIndex, setResumePoint } from '../case/videos';
import type { BBox } from '../contract';
import type { CropEvidence } from '../vision/evidence';
import type { TileKeeperState } from '../vision/tiles';
import { Track, Tracker } from './tracker';

export interface DetectionWrite {
  t: number;
  bbox: BBox;
  score: number;
  quality: number;
  /** IVT image embedding of the crop, one per member of the model (BatchWrite.modelIds). */
  embeddings: Float32Array[];
  /** Person re-identification vector. */
  reid: Float32Array;
  track: Track;
  /** PNG thumbnail, produced only when this detection may become the sighting's best. */
  thumbnail: () => Buffer;
  /** Attribute and colour evidence of the crop (vision/evidence.ts), when the attributes stage ran. */
  evidence?: CropEvidence;
}

export interface BatchWrite {
  videoId: number;
  /** IVT id@version of each embedding of a detection (an ensemble's members; one model: one). */
  modelIds: string[];
  /** ReID model id@version of the `reid` vectors. */
  reidModelId: string;
  /** Attribute model id@version of every evidence row. */
  evidenceModelId?: string;
  detections: DetectionWrite[];
  closed: Track[];
  /** Source time of the last frame of the batch: the resume point. */
  lastFrameT: number;
  progress: number;
  /** Called first inside the transaction: throws when this process no longer holds the case's writer lock. */
  guard?: () => void;
  /** Adaptive tiles' state after the batch (vision/tiles.ts), saved with the resume point. */
  tiles?: TileKeeperState;
}

// The adaptive-tiles state of a video lives in the case's key/value `meta` table, one row per video
// (a resume needs it only until the video is done; a fresh start ignores what is there).
const tilesKey = (videoId: number): string => `tiles:${videoId}`;

/** The adaptive-tiles state saved with a video's resume point, if any. */
export function savedTileState(db: Db, videoId: number): TileKeeperState | undefined {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(tilesKey(videoId)) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as TileKeeperState);
}

export function writeBatch(db: Db, w: BatchWrite): void {
  const insertSighting = db.prepare(`INSERT INTO sightings(video_id, start_s, end_s, best_s, best_x, best_y, best_w, best_h, best_quality,
      detection_count, open, last_x, last_y, last_w, last_h, thumbnail) VALUES (?,?,?,?,?,?,?,?,?,0,1,?,?,?,?,?)`);
  const bestOf = db.prepare('SELECT best_quality FROM sightings WHERE id = ?');
  const extend = db.prepare(`UPDATE sightings SET end_s = max(end_s, ?), detection_count = detection_count + 1,
      last_x = ?, last_y = ?, last_w = ?, last_h = ? WHERE id = ?`);
  const setBest = db.prepare('UPDATE sightings SET best_s = ?, best_x = ?, best_y = ?, best_w = ?, best_h = ?, best_quality = ?, thumbnail = ? WHERE id = ?');
  const insertDetection = db.prepare('INSERT INTO detections(video_id, sighting_id, t_s, x, y, w, h, score) VALUES (?,?,?,?,?,?,?,?)');
  const insertEmbedding = db.prepare('INSERT INTO embeddings(detection_id, sighting_id, model_id, vector) VALUES (?,?,?,?)');
  const insertReid = db.prepare('INSERT INTO reid_vectors(detection_id, sighting_id, model_id, vector) VALUES (?,?,?,?)');
  const insertEvidence = db.prepare('INSERT INTO detection_evidence(detection_id, sighting_id, model_id, evidence) VALUES (?,?,?,?)');
  const close = db.prepare('UPDATE sightings SET open = 0 WHERE id = ?');

  writeTransaction(db, () => {
    w.guard?.();
    for (const d of w.detections) {
      const [x, y, bw, bh] = d.bbox;
      if (d.track.sightingId === null) {
        d.track.sightingId = Number(insertSighting.run(w.videoId, d.t, d.t, d.t, x, y, bw, bh, d.quality, x, y, bw, bh, d.thumbnail()).lastInsertRowid);
      } else {
        const best = bestOf.get(d.track.sightingId) as { best_quality: number };
        if (d.quality > best.best_quality) setBest.run(d.t, x, y, bw, bh, d.quality, d.thumbnail(), d.track.sightingId);
      }
      extend.run(d.t, x, y, bw, bh, d.track.sightingId);
      const detId = insertDetection.run(w.videoId, d.track.sightingId, d.t, x, y, bw, bh, d.score).lastInsertRowid;
      w.modelIds.forEach((model, i) => insertEmbedding.run(detId, d.track.sightingId, model, vectorBlob(d.embeddings[i])));
      insertReid.run(detId, d.track.sightingId, w.reidModelId, vectorBlob(d.reid));
      if (d.evidence && w.evidenceModelId) insertEvidence.run(detId, d.track.sightingId, w.evidenceModelId, JSON.stringify(d.evidence));
    }
    for (const tr of w.closed) if (tr.sightingId !== null) close.run(tr.sightingId);
    setResumePoint(db, w.videoId, w.lastFrameT, w.progress);
    if (w.tiles) db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(tilesKey(w.videoId), JSON.stringify(w.tiles));
  });
}

/** A float32 vector as the compact BLOB the case stores. */
export function vectorBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A stored float32 BLOB as a vector (copied: SQLite's buffer may be unaligned). */
export function blobVector(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

/**
 * Open tracks of a video whose indexing was interrupted: the tracker continues them, rebuilt from
 * their stored detections and ReID vectors (Tracker.restore replays the same updates), so a resumed
 * run matches an uninterrupted one.
 */
export function openTracks(db: Db, videoId: number, reidModelId: string): Track[] {
  const ids = db.prepare('SELECT id FROM sightings WHERE video_id = ? AND open = 1 ORDER BY id').pluck().all(videoId) as number[];
  const detections = db.prepare(`SELECT d.t_s, d.x, d.y, d.w, d.h, d.score, r.vector FROM detections d
      JOIN reid_vectors r ON r.detection_id = d.id AND r.model_id = ? WHERE d.sighting_id = ? ORDER BY d.t_s, d.id`);
  const tracks: Track[] = [];
  for (const id of ids) {
    const rows = detections.all(reidModelId, id) as { t_s: number; x: number; y: number; w: number; h: number; score: number; vector: Buffer }[];
    if (!rows.length) continue;
    tracks.push(Tracker.restore(id, rows.map((r) => ({ t: r.t_s, bbox: [r.x, r.y, r.w, r.h], score: r.score, appearance: blobVector(r.vector) }))));
  }
  return tracks;
}

/** Forgets a video's index (model change, or re-index requested); the video row and its hash stay. */
export function clearIndex(db: Db, videoId: number): void {
  writeTransaction(db, () => {
    db.prepare('DELETE FROM embeddings WHERE sighting_id IN (SELECT id FROM sightings WHERE video_id = ?)').run(videoId);
    db.prepare('DELETE FROM reid_vectors WHERE sighting_id IN (SELECT id FROM sightings WHERE video_id = ?)').run(videoId);
    db.prepare('DELETE FROM detection_evidence WHERE sighting_id IN (SELECT id FROM sightings WHERE video_id = ?)').run(videoId);
    db.prepare('DELETE FROM detections WHERE video_id = ?').run(videoId);
    // Bookmarked sightings stay (closed) so the evidence they point to is not lost.
    db.prepare('DELETE FROM sightings WHERE video_id = ? AND id NOT IN (SELECT sighting_id FROM bookmarks)').run(videoId);
    db.prepare('UPDATE sightings SET open = 0 WHERE video_id = ?').run(videoId);
    resetIndex(db, videoId);
  });
}
