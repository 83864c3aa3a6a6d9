// What an evidence export reads from its case, and the one entry it writes: a small async interface
// so the same export (export.ts, bundle.ts) runs on a case file (below) and on a team case on a
// PostgreSQL server (team/evidenceSource.ts). Only the SQL differs between the two.
import type { Db } from '../case/caseFile';
import { caseInfo, writeTransaction } from '../case/caseFile';
import { appendAudit, crossCheckAudit, listAuditRows, type AuditRow } from '../case/audit';
import { videoRow, type VideoRow } from '../case/videos';
import type { Bookmark } from '../contract';
import { sightingRow, type SightingRow } from '../search/hits';
import { blobVector } from '../indexing/store';
import { listBookmarks } from './bookmarks';

/** The video facts an exhibit needs (the original's path and hashes, geometry, clocks). */
export type EvidenceVideo = Pick<VideoRow, 'id' | 'path' | 'file_name' | 'sha256' | 'size_bytes' | 'duration_s' | 'fps' | 'width' | 'height'
  | 'codec' | 'camera' | 'true_start_time' | 'creation_time' | 'index_models'>;

export interface EvidenceDetection { t_s: number; x: number; y: number; w: number; h: number }

/** The case as the manifest names it; `caseFile` is the file path, or the team server's redacted address. */
export interface EvidenceCase { caseNumber: string; title: string; investigator: string; createdAt: string; caseFile: string }

export interface EvidenceSource {
  caseInfo(): Promise<EvidenceCase>;
  bookmarks(): Promise<Bookmark[]>;
  sighting(id: number): Promise<SightingRow | undefined>;
  video(id: number): Promise<EvidenceVideo | undefined>;
  /** A sighting's detections in time order. */
  detections(sightingId: number): Promise<EvidenceDetection[]>;
  /** A sighting's re-identification vectors: the one-person check's input. */
  reidVectors(sightingId: number): Promise<Float32Array[]>;
  /** The audit log, every row as stored: the bundle's copy, who bookmarked, which searches ran. */
  auditRows(): Promise<AuditRow[]>;
  /** Where the case's rows disagree with its audit log (case/audit.ts crossCheckRows); empty when they agree. */
  crossCheck(): Promise<string[]>;
  /** Appends the "export made" entry (one transaction) as `user` (a team case: its database role). */
  recordExport(user: string, details: Record<string, unknown>): Promise<void>;
}

/** A case file as an evidence source. */
export function caseFileSource(db: Db): EvidenceSource {
  return {
    async caseInfo() {
      const i = caseInfo(db);
      return { caseNumber: i.caseNumber, title: i.title, investigator: i.investigator, createdAt: i.createdAt, caseFile: i.path };
    },
    async bookmarks() { return listBookmarks(db); },
    async sighting(id) { return sightingRow(db, id); },
    async video(id) { return videoRow(db, id); },
    async detections(sightingId) {
      return db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = ? ORDER BY t_s').all(sightingId) as EvidenceDetection[];
    },
    async reidVectors(sightingId) {
      return (db.prepare('SELECT vector FROM reid_vectors WHERE sighting_id = ?').pluck().all(sightingId) as Buffer[]).map(blobVector);
    },
    async auditRows() { return listAuditRows(db); },
    async crossCheck() { return crossCheckAudit(db); },
    async recordExport(user, details) {
      writeTransaction(db, () => { appendAudit(db, user, 'export made', details); });
    },
  };
}
