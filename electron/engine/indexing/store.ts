// What indexing writes: one transaction per batch of sampled frames (detections, embeddings,
// sighting updates, resume point), so a killed process loses at most the batch in flight.
import { writeTransaction, type Db } from '../case/caseFile';
import { resetIndex, setResumePoint } from '../case/videos';
import type { BBox } from '../contract';
import type { CropEvidence } from '../vision/evidence';
import { blendAppearance, Track } from './tracker';

export interface DetectionWrite {
  t: number;
  bbox: BBox;
  score: number;
  quality: number;
  embedding: Float32Array;
  track: Track;
  /** PNG thumbnail, produced only when this detection may become the sighting's best. */
  thumbnail: () => Buffer;
  /** Attribute and colour evidence of the crop (vision/evidence.ts), when the attributes stage ran. */
  evidence?: CropEvidence;
}

export interface BatchWrite {
  videoId: number;
  modelId: string;
  /** Attribute model id@version of every evidence row. */
  evidenceModelId?: string;
  detections: DetectionWrite[];
  closed: Track[];
  /** Source time of the last frame of the batch: the resume point. */
  lastFrameT: number;
  progress: number;
  /** Called first inside the transaction: throws when this process no longer holds the case's writer lock. */
  guard?: () => void;
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
      insertEmbedding.run(detId, d.track.sightingId, w.modelId, Buffer.from(d.embedding.buffer, d.embedding.byteOffset, d.embedding.byteLength));
      if (d.evidence && w.evidenceModelId) insertEvidence.run(detId, d.track.sightingId, w.evidenceModelId, JSON.stringify(d.evidence));
    }
    for (const tr of w.closed) if (tr.sightingId !== null) close.run(tr.sightingId);
    setResumePoint(db, w.videoId, w.lastFrameT, w.progress);
  });
}

/**
 * Open tracks of a video whose indexing was interrupted: the tracker continues them, with the same
 * appearance it had (replayed from the stored embeddings), so a resumed run matches an uninterrupted one.
 */
export function openTracks(db: Db, videoId: number): Track[] {
  const rows = db.prepare('SELECT id, end_s, last_x, last_y, last_w, last_h FROM sightings WHERE video_id = ? AND open = 1').all(videoId) as
    { id: number; end_s: number; last_x: number; last_y: number; last_w: number; last_h: number }[];
  const vectors = db.prepare('SELECT e.vector FROM embeddings e JOIN detections d ON d.id = e.detection_id WHERE e.sighting_id = ? ORDER BY d.t_s, d.id').pluck();
  return rows.map((r) => {
    let appearance: Float32Array | null = null;
    for (const blob of vectors.iterate(r.id) as IterableIterator<Buffer>) {
      const v = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
      appearance = appearance ? blendAppearance(appearance, v) : Float32Array.from(v);
    }
    return { sightingId: r.id, lastT: r.end_s, lastBox: [r.last_x, r.last_y, r.last_w, r.last_h], appearance };
  });
}

/** Forgets a video's index (model change, or re-index requested); the video row and its hash stay. */
export function clearIndex(db: Db, videoId: number): void {
  writeTransaction(db, () => {
    db.prepare('DELETE FROM embeddings WHERE sighting_id IN (SELECT id FROM sightings WHERE video_id = ?)').run(videoId);
    db.prepare('DELETE FROM detection_evidence WHERE sighting_id IN (SELECT id FROM sightings WHERE video_id = ?)').run(videoId);
    db.prepare('DELETE FROM detections WHERE video_id = ?').run(videoId);
    // Bookmarked sightings stay (closed) so the evidence they point to is not lost.
    db.prepare('DELETE FROM sightings WHERE video_id = ? AND id NOT IN (SELECT sighting_id FROM bookmarks)').run(videoId);
    db.prepare('UPDATE sightings SET open = 0 WHERE video_id = ?').run(videoId);
    resetIndex(db, videoId);
  });
}
