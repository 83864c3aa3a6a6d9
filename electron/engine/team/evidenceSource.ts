// A team case as an evidence source (evidence/source.ts): the same export as a case file's, reading
// the PostgreSQL case. The originals are read on the exporting machine at the path recorded at import,
// and checked by size and SHA-256 as a case file's are; the "export made" entry's actor is the role.
import type { EvidenceDetection, EvidenceSource, EvidenceVideo } from '../evidence/source';
import { teamListBookmarks } from './bookmarks';
import { appendAuditOn, fromBytes, type PgCaseStore } from './pgStore';
import { inTransaction } from './server';
import { teamSightingRow } from './sightings';

const VIDEO_COLUMNS = 'id, path, file_name, sha256, size_bytes, duration_s, fps, width, height, codec, camera, true_start_time, creation_time, index_models';

/** `caseName`: how the manifest names the case (the server's redacted address, never a password). */
export function teamEvidenceSource(store: PgCaseStore, caseName: string): EvidenceSource {
  const pool = store.pool;
  return {
    async caseInfo() {
      const meta = await store.meta();
      const role = (await pool.query('SELECT current_user AS u')).rows[0].u as string;
      return { caseNumber: meta.case_number ?? '', title: meta.title ?? '', investigator: role, createdAt: meta.created_at ?? '', caseFile: caseName };
    },
    bookmarks: () => teamListBookmarks(pool),
    sighting: (id) => teamSightingRow(pool, id),
    async video(id) {
      const r = (await pool.query(`SELECT ${VIDEO_COLUMNS} FROM videos WHERE id = $1`, [id])).rows[0] as Record<string, unknown> | undefined;
      return r && { ...(r as unknown as EvidenceVideo), id: Number(r.id), size_bytes: Number(r.size_bytes) };
    },
    async detections(sightingId) {
      return (await pool.query('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = $1 ORDER BY t_s, rank', [sightingId])).rows as EvidenceDetection[];
    },
    async reidVectors(sightingId) {
      const rows = (await pool.query('SELECT r.vector FROM reid_vectors r JOIN detections d ON d.id = r.detection_id WHERE d.sighting_id = $1 ORDER BY d.t_s, d.rank', [sightingId])).rows;
      return rows.map((r) => fromBytes(r.vector as Buffer));
    },
    auditRows: () => store.auditRows(),
    crossCheck: () => store.crossCheck(),
    // The user the export names is this role (Engine passes it); the entry's actor is the role itself.
    async recordExport(_user, details) {
      await inTransaction(pool, (c) => appendAuditOn(c, 'export made', details));
    },
  };
}
