// Sightings of a team case as every caller sees them: rows shaped like the case file's
// (search/hits.ts SightingRow), so toHit / toSighting / wallClock serve both backends unchanged; and
// the review side (same person, tracks, thumbnails, rejections) as PostgreSQL reads and writes it.
import type { Pool, PoolClient } from 'pg';
import type { RejectReason, SightingTrack } from '../../common/contract';
import type { SightingRow } from '../search/hits';
import { toSightingTrack, type DetectionPoint, type SamePersonSource, type SightingSpan } from '../search/samePerson';
import { appendAuditOn, fromBytes } from './pgStore';
import { inTransaction } from './server';
import { teamVideoIdsOfCameras } from './videos';

const SELECT_SIGHTING = `
  SELECT s.id, s.video_id, s.start_s, s.end_s, s.best_s, s.best_x, s.best_y, s.best_w, s.best_h, s.detection_count,
         v.path, v.camera, v.true_start_time, v.creation_time, r.reason AS rejected
  FROM sightings s JOIN videos v ON v.id = s.video_id LEFT JOIN rejections r ON r.sighting_id = s.id`;

/** bigint ids arrive as strings from the driver: the row as the case file would give it. */
function toRow(r: Record<string, unknown>): SightingRow {
  return { ...(r as unknown as SightingRow), id: Number(r.id), video_id: Number(r.video_id) };
}

export async function teamSightingRow(db: Pool | PoolClient, id: number): Promise<SightingRow | undefined> {
  const r = (await db.query(`${SELECT_SIGHTING} WHERE s.id = $1`, [id])).rows[0] as Record<string, unknown> | undefined;
  return r && toRow(r);
}

/** The rows of the given sightings that exist, by id. */
export async function teamSightingRows(db: Pool | PoolClient, ids: number[]): Promise<Map<number, SightingRow>> {
  if (!ids.length) return new Map();
  const rows = (await db.query(`${SELECT_SIGHTING} WHERE s.id = ANY($1::bigint[])`, [ids])).rows as Record<string, unknown>[];
  return new Map(rows.map((r) => { const row = toRow(r); return [row.id, row]; }));
}

/** Same-person ranking's data on a team case (search/samePerson.ts ranks): PG ReID vectors are per detection. */
export function teamSamePerson(db: Pool): SamePersonSource {
  return {
    async reidModelOf(id) {
      const m = (await db.query('SELECT r.model_id FROM detections d JOIN reid_vectors r ON r.detection_id = d.id WHERE d.sighting_id = $1 LIMIT 1', [id])).rows[0] as { model_id: string } | undefined;
      if (m) return m.model_id;
      return (await db.query('SELECT 1 FROM sightings WHERE id = $1', [id])).rowCount ? null : undefined;
    },
    videoIdsOfCameras: (cameras) => teamVideoIdsOfCameras(db, cameras),
    async reidVectors(modelId) {
      const rows = (await db.query(`SELECT d.sighting_id, d.video_id, r.vector FROM detections d JOIN reid_vectors r ON r.detection_id = d.id
          WHERE r.model_id = $1 AND d.sighting_id IS NOT NULL ORDER BY d.sighting_id, d.t_s, d.rank`, [modelId])).rows as { sighting_id: string; video_id: string; vector: Buffer }[];
      return rows.map((r) => ({ sighting: Number(r.sighting_id), videoId: Number(r.video_id), vector: fromBytes(r.vector) }));
    },
    sightingRows: (ids) => teamSightingRows(db, ids),
  };
}

/** Every sighting (of one video, or all) with its detections, shaped as the case file's (search/samePerson.ts). */
export async function teamListSightings(db: Pool, videoId?: number): Promise<SightingTrack[]> {
  const where = videoId === undefined ? '' : 'WHERE s.video_id = $1';
  const args = videoId === undefined ? [] : [videoId];
  const spans = (await db.query(`SELECT s.id, s.video_id, v.path, s.start_s, s.end_s FROM sightings s JOIN videos v ON v.id = s.video_id ${where} ORDER BY s.video_id, s.start_s, s.id`, args)).rows
    .map((r): SightingSpan => ({ ...r, id: Number(r.id), video_id: Number(r.video_id) }));
  const dets = new Map<number, DetectionPoint[]>();
  const rows = (await db.query(`SELECT d.sighting_id, d.t_s, d.x, d.y, d.w, d.h, d.score FROM detections d ${videoId === undefined ? 'WHERE d.sighting_id IS NOT NULL' : 'WHERE d.video_id = $1 AND d.sighting_id IS NOT NULL'}
      ORDER BY d.sighting_id, d.t_s, d.id`, args)).rows as (DetectionPoint & { sighting_id: string })[];
  for (const r of rows) {
    const id = Number(r.sighting_id);
    if (!dets.has(id)) dets.set(id, []);
    dets.get(id)!.push(r);
  }
  return spans.map((s) => toSightingTrack(s, dets.get(s.id) ?? []));
}

/** A sighting's detections [t, x, y, w, h] in time order (track overlay, track strip). */
export async function teamTrackPoints(db: Pool, sightingId: number): Promise<number[][]> {
  const rows = (await db.query('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = $1 ORDER BY t_s, id', [sightingId])).rows as { t_s: number; x: number; y: number; w: number; h: number }[];
  return rows.map((r) => [r.t_s, r.x, r.y, r.w, r.h]);
}

export async function teamThumbnail(db: Pool, sightingId: number): Promise<Buffer | null> {
  return ((await db.query('SELECT thumbnail FROM sightings WHERE id = $1', [sightingId])).rows[0] as { thumbnail: Buffer | null } | undefined)?.thumbnail ?? null;
}

/** A video of the case as the client reads it: the path recorded at import (shared footage), looked up by id only. */
export interface TeamVideoRef { id: number; path: string; sha256: string; probe_json: string; size_bytes: number; sample_fps: number; duration_s: number }

export async function teamVideoRefs(db: Pool, id?: number): Promise<TeamVideoRef[]> {
  const rows = (await db.query(`SELECT id, path, sha256, probe_json, size_bytes, sample_fps, duration_s FROM videos ${id === undefined ? "WHERE status != 'failed'" : 'WHERE id = $1'} ORDER BY id`, id === undefined ? [] : [id])).rows;
  return rows.map((r) => ({ ...r, id: Number(r.id), size_bytes: Number(r.size_bytes) }) as TeamVideoRef);
}

/** Rejects a result (or restores it, `reason` null) with its audit entry, in one transaction; the actor is the role. */
export async function teamRejectSighting(db: Pool, sightingId: number, reason: RejectReason | null): Promise<boolean> {
  return inTransaction(db, async (c) => {
    // The sighting row is the lock: a re-stitch replacing it waits, or this finds it gone.
    if (!(await c.query('SELECT 1 FROM sightings WHERE id = $1 FOR UPDATE', [sightingId])).rowCount) return false;
    const before = ((await c.query('SELECT reason FROM rejections WHERE sighting_id = $1', [sightingId])).rows[0] as { reason: string } | undefined)?.reason ?? null;
    if (reason === null) await c.query('DELETE FROM rejections WHERE sighting_id = $1', [sightingId]);
    else {
      await c.query(`INSERT INTO rejections(sighting_id, reason, at) VALUES ($1, $2, $3)
          ON CONFLICT (sighting_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, by = current_user`, [sightingId, reason, new Date().toISOString()]);
    }
    await appendAuditOn(c, reason === null ? 'result restored' : 'result rejected', { sightingId, from: before, to: reason });
    return true;
  });
}

