// The ingest job: import every input (a bad file is named and skipped, never fatal), then index
// every video that is not done — including ones a killed process left half-way, which resume.
import type { Db } from '../case/caseFile';
import type { ImportReport, ProgressEvent } from '../contract';
import { scanPaths } from '../video/scan';
import { Detector } from '../vision/detector';
import { ImageEncoder } from '../vision/ivt';
import type { ProviderPreference } from '../vision/providers';
import { importVideo, recordFailure } from './importer';
import { indexVideo, IndexModels } from './indexVideo';
import { clearIndex } from './store';

export interface IndexJobOptions {
  paths: string[];
  fps: number;
  ffmpeg: string;
  ffprobe: string;
  user: string;
  provider?: ProviderPreference;
  detectorModel?: string;
  ivtModel?: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  afterBatch?: (lastFrameT: number) => void;
}

export interface LoadedModels extends IndexModels { provider: string }

export async function loadIndexModels(opts: { provider?: ProviderPreference; detectorModel?: string; ivtModel?: string }): Promise<LoadedModels> {
  const detector = await Detector.load(opts.detectorModel, opts.provider);
  const encoder = await ImageEncoder.load(opts.ivtModel, opts.provider);
  const modelKey = `${detector.manifest.id}@${detector.manifest.version}+${encoder.manifest.id}@${encoder.manifest.version}`;
  return { detector, encoder, modelKey, provider: encoder.provider };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function runIndexJob(db: Db, opts: IndexJobOptions, models?: LoadedModels): Promise<ImportReport> {
  const report: ImportReport = { indexed: [], duplicates: [], failed: [] };
  const fail = (path: string, reason: string, videoId: number | null = null): void => {
    // Reasons from the video stage already start with the file name.
    const clean = reason.startsWith(path) ? reason.slice(path.length).replace(/^:\s*/, '') : reason;
    report.failed.push({ path, reason: clean });
    recordFailure(db, path, clean);
    opts.onProgress?.({ kind: 'import', videoId, path, phase: 'failed', fraction: 1, etaS: null, message: clean });
  };

  // Models first: a missing or damaged model is the installation's fault, not the footage's.
  const m = models ?? (await loadIndexModels(opts));
  try {
    await importAll(db, opts, report, fail);
    await indexQueued(db, opts, m, report, fail);
  } finally {
    if (!models) {
      await m.detector.close();
      await m.encoder.close();
    }
  }
  return report;
}

type Fail = (path: string, reason: string, videoId?: number | null) => void;

async function importAll(db: Db, opts: IndexJobOptions, report: ImportReport, fail: Fail): Promise<void> {
  const scan = await scanPaths(opts.paths);
  for (const f of scan.failures) fail(f.path, f.reason);
  for (const file of scan.files) {
    if (opts.signal?.aborted) return;
    opts.onProgress?.({ kind: 'import', videoId: null, path: file, phase: 'hashing', fraction: 0, etaS: null });
    try {
      const r = await importVideo(db, file, { ffprobe: opts.ffprobe, fps: opts.fps, user: opts.user });
      if (r.duplicate) report.duplicates.push({ path: file, videoId: r.videoId });
      opts.onProgress?.({ kind: 'import', videoId: r.videoId, path: file, phase: 'queued', fraction: 0, etaS: null });
    } catch (e) {
      fail(file, message(e));
    }
  }
}

async function indexQueued(db: Db, opts: IndexJobOptions, m: LoadedModels, report: ImportReport, fail: Fail): Promise<void> {
  // A job still 'running' belongs to a process that was killed: this run resumes its work.
  db.prepare("UPDATE jobs SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(new Date().toISOString());
  // A model change means re-indexing, never silently mixing embeddings of two models.
  const stale = db.prepare('SELECT id FROM videos WHERE index_models IS NOT NULL AND index_models != ?').all(m.modelKey) as { id: number }[];
  for (const s of stale) clearIndex(db, s.id);
  const todo = db.prepare("SELECT id, path FROM videos WHERE status IN ('queued', 'indexing') ORDER BY id").all() as { id: number; path: string }[];
  for (const v of todo) {
    if (opts.signal?.aborted) return;
    const job = Number(db.prepare("INSERT INTO jobs(kind, video_id, status, started_at) VALUES ('index', ?, 'running', ?)").run(v.id, new Date().toISOString()).lastInsertRowid);
    try {
      const r = await indexVideo(db, v.id, m, { ffmpeg: opts.ffmpeg, signal: opts.signal, onProgress: opts.onProgress, afterBatch: opts.afterBatch });
      db.prepare("UPDATE jobs SET status = 'done', finished_at = ?, frames = ? WHERE id = ?").run(new Date().toISOString(), r.frames, job);
      report.indexed.push(v.id);
    } catch (e) {
      const aborted = opts.signal?.aborted === true;
      db.prepare('UPDATE jobs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(aborted ? 'interrupted' : 'failed', new Date().toISOString(), message(e), job);
      if (aborted) return;
      // What was committed before the failure stays searchable.
      db.prepare("UPDATE videos SET status = 'failed', error = ? WHERE id = ?").run(message(e), v.id);
      fail(v.path, message(e), v.id);
    }
  }
}
