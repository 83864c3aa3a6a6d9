// Reading the case's videos as the contract shows them.
import type { Db } from './case/caseFile';
import type { VideoInfo } from './contract';
import { playbackOf } from './playback';

interface VideoRow {
  id: number; path: string; file_name: string; sha256: string; size_bytes: number; mtime_ms: number; duration_s: number; fps: number;
  width: number; height: number; codec: string; rotation: number; creation_time: string | null; camera: string; true_start_time: string | null;
  status: VideoInfo['status']; progress: number; error: string | null; imported_at: string; sample_fps: number; sighting_count: number;
  probe_json: string;
}

const SELECT = `SELECT v.*, (SELECT count(*) FROM sightings s WHERE s.video_id = v.id) AS sighting_count FROM videos v`;

function toVideo(db: Db, r: VideoRow): VideoInfo {
  return {
    id: r.id, path: r.path, fileName: r.file_name, sha256: r.sha256, sizeBytes: r.size_bytes, mtimeMs: r.mtime_ms, durationS: r.duration_s,
    fps: r.fps, width: r.width, height: r.height, codec: r.codec, rotation: r.rotation, creationTime: r.creation_time, camera: r.camera,
    trueStartTime: r.true_start_time, status: r.status, progress: r.progress, error: r.error, importedAt: r.imported_at,
    sampleFps: r.sample_fps, sightingCount: r.sighting_count, playback: playbackOf(db, r),
  };
}

export function listVideos(db: Db): VideoInfo[] {
  return (db.prepare(`${SELECT} ORDER BY v.id`).all() as VideoRow[]).map((r) => toVideo(db, r));
}

export function videoById(db: Db, id: number): VideoInfo {
  const r = db.prepare(`${SELECT} WHERE v.id = ?`).get(id) as VideoRow | undefined;
  if (!r) throw new Error(`video ${id}: not in this case`);
  return toVideo(db, r);
}
