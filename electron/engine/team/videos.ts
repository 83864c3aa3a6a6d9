// The videos of a team case as the app and CLI see them (the contract's VideoInfo, as case/videos.ts
// gives a case file's), and the investigator's changes to one: camera name, clock correction, relink.
// Each change is one transaction with its audit entry, the entry naming the database role.
import * as path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { Playback, VideoInfo } from '../contract';
import type { VideoRef } from '../playback';
import { appendAuditOn } from './pgStore';
import { inTransaction, ServerError } from './server';

/** What the player plays for a video (team/playback or the case file's rules), from its stored row. */
export type PlaybackOf = (v: VideoRef) => Playback;

const SELECT_INFO = `SELECT v.*, (SELECT count(*) FROM sightings s WHERE s.video_id = v.id) AS sighting_count,
    (SELECT count(*) FROM chunks c WHERE c.video_id = v.id AND c.status = 'done') AS chunks_done,
    (SELECT count(*) FROM chunks c WHERE c.video_id = v.id) AS chunks
  FROM videos v`;

function toInfo(r: Record<string, unknown>, playback: PlaybackOf): VideoInfo {
  const id = Number(r.id);
  const chunks = Number(r.chunks);
  return {
    id, path: r.path as string, fileName: r.file_name as string, sha256: r.sha256 as string, sizeBytes: Number(r.size_bytes), mtimeMs: Number(r.mtime_ms),
    durationS: Number(r.duration_s), fps: Number(r.fps), width: Number(r.width), height: Number(r.height), codec: r.codec as string,
    rotation: Number(r.rotation), creationTime: (r.creation_time as string | null) ?? null, camera: r.camera as string,
    trueStartTime: (r.true_start_time as string | null) ?? null, status: r.status as VideoInfo['status'],
    // A video's progress is its share of chunks done (workers index chunks, not frames in order).
    progress: r.status === 'done' ? 1 : chunks ? Number(r.chunks_done) / chunks : 0,
    error: (r.error as string | null) ?? null, importedAt: new Date(r.imported_at as string | Date).toISOString(), sampleFps: Number(r.sample_fps),
    sightingCount: Number(r.sighting_count), playback: playback({ id, path: r.path as string, sha256: r.sha256 as string, probe_json: r.probe_json as string }),
  };
}

export async function teamVideos(db: Pool | PoolClient, playback: PlaybackOf): Promise<VideoInfo[]> {
  return (await db.query(`${SELECT_INFO} ORDER BY v.id`)).rows.map((r) => toInfo(r, playback));
}

export async function teamVideo(db: Pool | PoolClient, id: number, playback: PlaybackOf): Promise<VideoInfo> {
  const r = (await db.query(`${SELECT_INFO} WHERE v.id = $1`, [id])).rows[0];
  if (!r) throw new ServerError(`video ${id}: not in this case`);
  return toInfo(r, playback);
}

/** The videos of the given cameras (search and same-person filters). */
export async function teamVideoIdsOfCameras(db: Pool | PoolClient, cameras: ReadonlySet<string>): Promise<number[]> {
  return ((await db.query('SELECT id FROM videos WHERE camera = ANY($1::text[])', [[...cameras]])).rows as { id: string }[]).map((r) => Number(r.id));
}

/** What an investigator may change about a video, as its column. */
export type VideoChange = { camera: string } | { true_start_time: string | null } | { path: string };

/**
 * Applies one change to a video and appends the audit entry `audit(before)` describes, in one
 * transaction (the row is locked: two investigators' changes queue, neither is lost from the log).
 */
export async function changeTeamVideo(
  pool: Pool, id: number, change: VideoChange, playback: PlaybackOf, audit: (before: VideoInfo) => [string, Record<string, unknown>],
): Promise<VideoInfo> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT 1 FROM videos WHERE id = $1 FOR UPDATE', [id]);
    const before = await teamVideo(c, id, playback);
    if ('camera' in change) await c.query('UPDATE videos SET camera = $2 WHERE id = $1', [id, change.camera]);
    else if ('true_start_time' in change) await c.query('UPDATE videos SET true_start_time = $2 WHERE id = $1', [id, change.true_start_time]);
    else await c.query('UPDATE videos SET path = $2, file_name = $3 WHERE id = $1', [id, change.path, path.basename(change.path)]);
    const [action, details] = audit(before);
    await appendAuditOn(c, action, details);
    return teamVideo(c, id, playback);
  });
}
