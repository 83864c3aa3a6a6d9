// Sightings of a team case as every caller sees them: rows shaped like the case file's
// (search/hits.ts SightingRow), so toHit / toSighting / wallClock serve both backends unchanged.
import type { Pool, PoolClient } from 'pg';
import type { SightingRow } from '../search/hits';

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
