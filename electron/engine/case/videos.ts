// The `videos` table: its row type and every statement on it, in one place.
import type * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from './caseFile';
import type { VideoInfo } from '../contract';
import { playbackOf } from '../playback';

/** A videos row exactly as stored. */
export interface VideoRow {
  id: number; path: string; file_name: string; sha256: string; size_bytes: number; mtime_ms: number; duration_s: number; fps: number;
  width: number; height: number; codec: string; rotation: number; creation_time: string | null; probe_json: string; camera: string;
  true_start_time: string | null; sample_fps: number; status: VideoInfo['status']; progress: number; error: string | null;
  indexed_until_s: number; index_models: string | null; imported_at: string; file_id: string | null;
}

export type NewVideo = Pick<VideoRow, 'path' | 'file_name' | 'sha256' | 'size_bytes' | 'mtime_ms' | 'duration_s' | 'fps' | 'width' | 'height'
  | 'codec' | 'rotation' | 'creation_time' | 'probe_json' | 'camera' | 'sample_fps' | 'file_id'>;

/** Identity of the file on disk an import recorded: a different one under the same name is another file. */
export function fileIdOf(st: fs.Stats): string {
  return `${st.dev}:${st.ino}`;
}

const SELECT_INFO = `SELECT v.*, (SELECT count(*) FROM sightings s WHERE s.video_id = v.id) AS sighting_count FROM videos v`;

function toVideo(db: Db, r: VideoRow & { sighting_count: number }): VideoInfo {
  return {
    id: r.id, path: r.path, fileName: r.file_name, sha256: r.sha256, sizeBytes: r.size_bytes, mtimeMs: r.mtime_ms, durationS: r.duration_s,
    fps: r.fps, width: r.width, height: r.height, codec: r.codec, rotation: r.rotation, creationTime: r.creation_time, camera: r.camera,
    trueStartTime: r.true_start_time, status: r.status, progress: r.progress, error: r.error, importedAt: r.imported_at,
    sampleFps: r.sample_fps, sightingCount: r.sighting_count, playback: playbackOf(db, r),
  };
}

export function listVideos(db: Db): VideoInfo[] {
  return (db.prepare(`${SELECT_INFO} ORDER BY v.id`).all() as (VideoRow & { sighting_count: number })[]).map((r) => toVideo(db, r));
}

export function videoById(db: Db, id: number): VideoInfo {
  const r = db.prepare(`${SELECT_INFO} WHERE v.id = ?`).get(id) as (VideoRow & { sighting_count: number }) | undefined;
  if (!r) throw new Error(`video ${id}: not in this case`);
  return toVideo(db, r);
}

export function videoRow(db: Db, id: number): VideoRow | undefined {
  return db.prepare('SELECT * FROM videos WHERE id = ?').get(id) as VideoRow | undefined;
}

export function allVideoRows(db: Db): VideoRow[] {
  return db.prepare('SELECT * FROM videos ORDER BY id').all() as VideoRow[];
}

export function videoBySha(db: Db, sha256: string): VideoRow | undefined {
  return db.prepare('SELECT * FROM videos WHERE sha256 = ?').get(sha256) as VideoRow | undefined;
}

export function videoByPath(db: Db, file: string): VideoRow | undefined {
  return db.prepare('SELECT * FROM videos WHERE path = ? ORDER BY id LIMIT 1').get(file) as VideoRow | undefined;
}

export function insertVideo(db: Db, v: NewVideo): number {
  return Number(db.prepare(`INSERT INTO videos(path, file_name, sha256, size_bytes, mtime_ms, duration_s, fps, width, height, codec,
      rotation, creation_time, probe_json, camera, sample_fps, file_id, status, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'queued',?)`).run(
    v.path, v.file_name, v.sha256, v.size_bytes, v.mtime_ms, v.duration_s, v.fps, v.width, v.height, v.codec,
    v.rotation, v.creation_time, v.probe_json, v.camera, v.sample_fps, v.file_id, new Date().toISOString(),
  ).lastInsertRowid);
}

/** Re-records size, mtime and identity of an original whose bytes were re-verified by hash (copied back, touched). */
export function refreshFileIdentity(db: Db, id: number, st: fs.Stats): void {
  db.prepare('UPDATE videos SET size_bytes = ?, mtime_ms = ?, file_id = ? WHERE id = ?').run(st.size, st.mtimeMs, fileIdOf(st), id);
}

/** Moved footage: the same bytes (checked by the caller) at a new path. */
export function relinkPath(db: Db, id: number, file: string): void {
  db.prepare('UPDATE videos SET path = ?, file_name = ? WHERE id = ?').run(file, path.basename(file), id);
}

export function setCamera(db: Db, id: number, camera: string): void {
  db.prepare('UPDATE videos SET camera = ? WHERE id = ?').run(camera, id);
}

export function setTrueStartTime(db: Db, id: number, iso: string | null): void {
  db.prepare('UPDATE videos SET true_start_time = ? WHERE id = ?').run(iso, id);
}

export function statusCounts(db: Db): { status: VideoInfo['status']; n: number }[] {
  return db.prepare('SELECT status, count(*) AS n FROM videos GROUP BY status').all() as { status: VideoInfo['status']; n: number }[];
}

export function videoIdsOfCameras(db: Db, cameras: Set<string>): number[] {
  return (db.prepare('SELECT id, camera FROM videos').all() as { id: number; camera: string }[]).filter((v) => cameras.has(v.camera)).map((v) => v.id);
}

/** Every video not yet done — queued, interrupted mid-way, or failed — in import order: what a run resumes. */
export function videosNotDone(db: Db): VideoRow[] {
  return db.prepare("SELECT * FROM videos WHERE status != 'done' ORDER BY id").all() as VideoRow[];
}

export function videosIndexedByOtherModels(db: Db, modelKey: string): number[] {
  return db.prepare('SELECT id FROM videos WHERE index_models IS NOT NULL AND index_models != ?').pluck().all(modelKey) as number[];
}

/** Marks a video as being indexed by `modelKey`; false when it is already done (nothing to claim). */
export function claimVideo(db: Db, id: number, modelKey: string): boolean {
  return db.prepare("UPDATE videos SET status = 'indexing', error = NULL, index_models = ? WHERE id = ? AND status != 'done'").run(modelKey, id).changes === 1;
}

export function setResumePoint(db: Db, id: number, indexedUntilS: number, progress: number): void {
  db.prepare("UPDATE videos SET indexed_until_s = ?, progress = ?, status = 'indexing' WHERE id = ?").run(indexedUntilS, progress, id);
}

export function markDone(db: Db, id: number): void {
  db.prepare("UPDATE videos SET status = 'done', progress = 1, error = NULL WHERE id = ?").run(id);
}

export function markFailed(db: Db, id: number, error: string): void {
  db.prepare("UPDATE videos SET status = 'failed', error = ? WHERE id = ?").run(error, id);
}

export function resetIndex(db: Db, id: number): void {
  db.prepare("UPDATE videos SET indexed_until_s = -1, progress = 0, status = 'queued', error = NULL, index_models = NULL WHERE id = ?").run(id);
}
