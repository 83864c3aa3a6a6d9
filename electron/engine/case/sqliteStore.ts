// The SQLite case file behind the CaseStore interface (team/caseStore.ts): the read, search and audit
// side a PostgreSQL team case has too. It adds no behaviour: videos come from case/videos.ts, the
// audit chain from case/audit.ts, vectors in the BLOB form of indexing/store.ts. Indexing a SQLite case
// stays where it is (indexing/store.ts, one writer per case); the chunk queue is PostgreSQL's alone.
import type { AuditEntry, BBox } from '../contract';
import type { CaseStore, CaseVideo, SightingVector, StoredDetection, StoredSighting } from '../team/caseStore';
import { blobVector } from '../indexing/store';
import { appendAudit, verifyAudit, type AuditVerdict } from './audit';
import { writeTransaction, type Db } from './caseFile';
import { allVideoRows, videoRow, type VideoRow } from './videos';

export class SqliteCaseStore implements CaseStore {
  /** `user`: who the audit entries this store appends name (the engine's acting investigator). */
  constructor(readonly db: Db, readonly user: string) {}

  async video(id: number): Promise<CaseVideo> {
    const r = videoRow(this.db, id);
    if (!r) throw new Error(`video ${id}: not in this case`);
    return toVideo(r);
  }

  async videos(): Promise<CaseVideo[]> { return allVideoRows(this.db).map(toVideo); }

  async videoDetections(videoId: number, reidModel: string): Promise<StoredDetection[]> {
    const rows = this.db.prepare(`SELECT d.id, d.t_s, d.x, d.y, d.w, d.h, d.score, r.vector FROM detections d
        JOIN reid_vectors r ON r.detection_id = d.id AND r.model_id = ? WHERE d.video_id = ? ORDER BY d.t_s, d.id`).all(reidModel, videoId) as
      { id: number; t_s: number; x: number; y: number; w: number; h: number; score: number; vector: Buffer }[];
    // No detector rank is stored: a frame's detections were inserted in the order the tracker took them.
    let rank = 0;
    return rows.map((r, i) => {
      rank = i > 0 && rows[i - 1].t_s === r.t_s ? rank + 1 : 0;
      return { id: r.id, t: r.t_s, rank, bbox: [r.x, r.y, r.w, r.h] as BBox, score: r.score, reid: blobVector(r.vector) };
    });
  }

  async sightings(videoId: number): Promise<StoredSighting[]> {
    const rows = this.db.prepare('SELECT * FROM sightings WHERE video_id = ? ORDER BY start_s, id').all(videoId) as
      { id: number; start_s: number; end_s: number; best_s: number; best_x: number; best_y: number; best_w: number; best_h: number; detection_count: number }[];
    return rows.map((r) => ({ id: r.id, startS: r.start_s, endS: r.end_s, best: { t: r.best_s, bbox: [r.best_x, r.best_y, r.best_w, r.best_h] as BBox }, detectionCount: r.detection_count }));
  }

  async sightingVectors(videoId: number, embeddingModel: string, evidenceModel: string | null): Promise<SightingVector[]> {
    const rows = this.db.prepare(`SELECT e.sighting_id, d.t_s, e.vector, ev.evidence FROM embeddings e JOIN detections d ON d.id = e.detection_id
        LEFT JOIN detection_evidence ev ON ev.detection_id = d.id AND ev.model_id = ?
        WHERE d.video_id = ? AND e.model_id = ? ORDER BY e.sighting_id, d.t_s`).all(evidenceModel ?? '', videoId, embeddingModel) as
      { sighting_id: number; t_s: number; vector: Buffer; evidence: string | null }[];
    return rows.map((r) => ({ sighting: r.sighting_id, t: r.t_s, vector: blobVector(r.vector), evidence: r.evidence }));
  }

  async appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return writeTransaction(this.db, () => appendAudit(this.db, this.user, action, details));
  }

  async verifyAudit(): Promise<AuditVerdict> { return verifyAudit(this.db); }
}

function toVideo(r: VideoRow): CaseVideo {
  return {
    id: r.id, path: r.path, sha256: r.sha256, sizeBytes: r.size_bytes, durationS: r.duration_s, width: r.width, height: r.height,
    sampleFps: r.sample_fps, status: r.status, indexModels: r.index_models,
  };
}
