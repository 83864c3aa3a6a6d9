// Shared by the reliability tests: real CLI processes on real case files (see test/helpers/cli.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, startCli } from '../helpers/cli';

export interface Snapshot { detections: string[]; sightings: string[]; embeddings: number; videos: number }

/** What indexing produced, independent of row ids: detections and sightings as sorted strings. */
export function snapshot(dbFile: string): Snapshot {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const detections = (db.prepare('SELECT t_s, x, y, w, h, score FROM detections ORDER BY t_s, x, y').all() as Record<string, number>[])
      .map((d) => [d.t_s, d.x, d.y, d.w, d.h].map((x) => x.toFixed(2)).join(',') + `:${d.score.toFixed(3)}`);
    const sightings = (db.prepare('SELECT start_s, end_s, detection_count, best_s FROM sightings ORDER BY start_s, end_s, detection_count').all() as Record<string, number>[])
      .map((s) => `${s.start_s.toFixed(2)}-${s.end_s.toFixed(2)}x${s.detection_count}@${s.best_s.toFixed(2)}`);
    const embeddings = (db.prepare('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
    const videos = (db.prepare('SELECT count(*) AS n FROM videos').get() as { n: number }).n;
    return { detections, sightings, embeddings, videos };
  } finally {
    db.close();
  }
}

/** An uninterrupted index of `video` into `dbFile`: the result every other run must equal. */
export async function referenceIndex(video: string, dbFile: string): Promise<Snapshot> {
  const r = await runCli(['index', video, '--db', dbFile]);
  if (r.code !== 0) throw new Error(`reference index failed: ${r.stderr}`);
  return snapshot(dbFile);
}

/** The sample three times back to back (≈72 s of footage): long enough to act on while it indexes. */
export function longVideo(dir: string, name = 'long.mp4'): string {
  const out = path.join(dir, name);
  const list = path.join(dir, `${name}.txt`);
  fs.writeFileSync(list, `file '${SAMPLE_VIDEO}'\n`.repeat(3));
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out]);
  return out;
}

/** Waits (bounded) until the case has committed a batch past `minT` seconds of some video. */
export async function waitForBatch(dbFile: string, minT: number, child: ReturnType<typeof startCli>, limitMs = 120_000): Promise<number> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error('indexing finished before the awaited batch was seen');
    if (fs.existsSync(dbFile)) {
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        try {
          const t = db.prepare('SELECT max(indexed_until_s) FROM videos').pluck().get() as number | null;
          if (t !== null && t >= minT) return t;
        } finally {
          db.close();
        }
      } catch { /* not created yet */ }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no batch past ${minT} s within ${limitMs} ms`);
}

export function exited(child: ReturnType<typeof startCli>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  child.stdout!.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A small tmpfs at `dir` (root only); null with the reason when this machine cannot mount one. */
export function mountTmpfs(dir: string, size: string): string | null {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : `cannot mount a tmpfs here: ${r.stderr.trim()}`;
}

export function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir]);
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}
