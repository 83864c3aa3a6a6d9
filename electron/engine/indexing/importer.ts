// Acquisition: hash the original (streamed, read-only), probe it, and register it in the case.
// A file already in the case (same SHA-256) is recognised, not imported twice.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../case/caseFile';
import { appendAudit } from '../case/audit';
import { sha256File } from '../video/hash';
import { probeVideo } from '../video/probe';

export type ImportOutcome = { videoId: number; duplicate: boolean };

export async function importVideo(db: Db, file: string, opts: { ffprobe: string; fps: number; user: string }): Promise<ImportOutcome> {
  const abs = path.resolve(file);
  const probe = await probeVideo(abs, opts.ffprobe);
  const stat = fs.statSync(abs);
  const sha256 = await sha256File(abs);
  const existing = db.prepare('SELECT id FROM videos WHERE sha256 = ?').get(sha256) as { id: number } | undefined;
  if (existing) return { videoId: existing.id, duplicate: true };
  return db.transaction((): ImportOutcome => {
    const id = Number(db.prepare(`INSERT INTO videos(path, file_name, sha256, size_bytes, mtime_ms, duration_s, fps, width, height, codec,
        rotation, creation_time, probe_json, camera, sample_fps, status, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'queued',?)`).run(
      abs, path.basename(abs), sha256, stat.size, stat.mtimeMs, probe.durationS, probe.fps, probe.width, probe.height, probe.codec,
      probe.rotation, probe.creationTime, JSON.stringify(probe.raw), defaultCamera(abs), opts.fps, new Date().toISOString(),
    ).lastInsertRowid);
    appendAudit(db, opts.user, 'video imported', { videoId: id, path: abs, sha256, sizeBytes: stat.size, mtimeMs: stat.mtimeMs });
    return { videoId: id, duplicate: false };
  })();
}

/** CCTV exports usually sit in one folder per camera: the folder name is a good first guess. */
function defaultCamera(file: string): string {
  return path.basename(path.dirname(file));
}

export function recordFailure(db: Db, file: string, reason: string): void {
  db.prepare('INSERT INTO import_failures(path, reason, at) VALUES (?,?,?)').run(path.resolve(file), reason, new Date().toISOString());
}
