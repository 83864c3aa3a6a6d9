// Acquisition: hash the original (streamed, read-only), probe it, and register it in the case.
// A file already in the case (same SHA-256) is recognised, not imported twice; a file that changes
// while it is read (still being copied) is refused; a different file under an imported path is an error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTransaction, type Db } from '../case/caseFile';
import { appendAudit } from '../case/audit';
import { fileIdOf, insertVideo, refreshFileIdentity, videoByPath, videoBySha, type VideoRow } from '../case/videos';
import { VideoError } from '../video/errors';
import { sha256File } from '../video/hash';
import { probeVideo } from '../video/probe';

export type ImportOutcome = { videoId: number; duplicate: boolean };

/** Same size, mtime and file identity: nothing wrote to or replaced the file in between. */
export function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev;
}

function statOf(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (e) {
    throw new VideoError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`);
  }
}

export async function importVideo(db: Db, file: string, opts: { ffprobe: string; fps: number; user: string }): Promise<ImportOutcome> {
  const abs = path.resolve(file);
  const before = statOf(abs);
  const probe = await probeVideo(abs, opts.ffprobe);
  const sha256 = await sha256File(abs);
  const after = statOf(abs);
  if (!sameFile(before, after)) {
    throw new VideoError(abs, `still being written (it changed from ${before.size} to ${after.size} bytes while it was hashed); import it once the copy has finished`);
  }
  return writeTransaction(db, (): ImportOutcome => {
    const existing = videoBySha(db, sha256);
    if (existing) return { videoId: existing.id, duplicate: true };
    const samePath = videoByPath(db, abs);
    if (samePath) throw new VideoError(abs, changedSinceImport(samePath, sha256));
    const id = insertVideo(db, {
      path: abs, file_name: path.basename(abs), sha256, size_bytes: after.size, mtime_ms: after.mtimeMs, duration_s: probe.durationS, fps: probe.fps,
      width: probe.width, height: probe.height, codec: probe.codec, rotation: probe.rotation, creation_time: probe.creationTime,
      probe_json: JSON.stringify(probe.raw), camera: defaultCamera(abs), sample_fps: opts.fps, file_id: fileIdOf(after),
    });
    appendAudit(db, opts.user, 'video imported', { videoId: id, path: abs, sha256, sizeBytes: after.size, mtimeMs: after.mtimeMs });
    return { videoId: id, duplicate: false };
  });
}

export function changedSinceImport(v: VideoRow, sha256: string): string {
  return `changed since import: its SHA-256 is now ${sha256}, it was ${v.sha256} when imported as video ${v.id}; the case keeps the original's record (import a changed file under another name)`;
}

/**
 * Before a video is (re)indexed: the file must still be the one imported. Size, mtime and identity
 * are compared first; when only mtime or identity differ (copied back, touched) the hash decides.
 */
export async function checkUnchanged(db: Db, v: VideoRow): Promise<fs.Stats> {
  const st = statOf(v.path);
  if (st.size === v.size_bytes && st.mtimeMs === v.mtime_ms && (v.file_id === null || v.file_id === fileIdOf(st))) return st;
  if (st.size !== v.size_bytes) throw new VideoError(v.path, `changed since import: it is ${st.size} bytes, it was ${v.size_bytes} when imported as video ${v.id}`);
  const sha256 = await sha256File(v.path);
  const again = statOf(v.path);
  if (!sameFile(st, again)) throw new VideoError(v.path, 'still being written (it changed while it was re-verified)');
  if (sha256 !== v.sha256) throw new VideoError(v.path, changedSinceImport(v, sha256));
  writeTransaction(db, () => refreshFileIdentity(db, v.id, st));
  return st;
}

/** CCTV exports usually sit in one folder per camera: the folder name is a good first guess. */
function defaultCamera(file: string): string {
  return path.basename(path.dirname(file));
}

export function recordFailure(db: Db, file: string, reason: string): void {
  db.prepare('INSERT INTO import_failures(path, reason, at) VALUES (?,?,?)').run(path.resolve(file), reason, new Date().toISOString());
}
