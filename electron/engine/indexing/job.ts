// The ingest job: import every input (a bad file is named and skipped, never fatal), then index
// every video that is not done — ones a killed process left half-way and ones that failed, which
// resume from their last committed batch. The whole job holds the case's writer lock.
import { describeDbError, writeTransaction, type Db } from '../case/caseFile';
import { ivtModelOfCaseFile, recordIvtModel } from '../case/ivtModel';
import { listVideos, markFailed, videosIndexedByOtherModels, videosNotDone } from '../case/videos';
import { CaseBusyError, WriterLock } from '../case/writerLock';
import type { ImportReport, ProgressEvent } from '../contract';
import { scanPaths } from '../video/scan';
import { Detector } from '../vision/detector';
import { AttributeModel } from '../vision/attributes';
import { loadChosenIvtModel, resolveIvtModel } from '../vision/caseModel';
import { IvtImageEncoders } from '../vision/ivt';
import { ReidEncoder } from '../vision/reid';
import { withIntraOpThreads, type ProviderPreference } from '../vision/providers';
import { TILES_WHEN_ON, type TileMode } from '../vision/tiles';
import { budgetFor, type Budget, type FootageRate } from './budget';
import { runScheduled, type After } from './scheduler';
import { importVideo, recordFailure } from './importer';
import { indexVideo, IndexModels } from './indexVideo';
import { clearIndex } from './store';
import { DEFAULT_SETTINGS } from '../settings';
import { TRACKER_VERSION } from './tracker';
import { CROPS_AGREE } from './thumbnail';

export interface IndexJobOptions {
  paths: string[];
  fps: number;
  ffmpeg: string;
  ffprobe: string;
  user: string;
  provider?: ProviderPreference;
  detectorModel?: string;
  /** An explicit IVT model choice (vision/caseModel.ts); absent: the case's model, else the default. */
  ivtModel?: string;
  reidModel?: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  afterBatch?: (lastFrameT: number) => void;
  /** Motion gating (indexing/motionGate.ts); off when absent. */
  motionGate?: boolean;
  /** Detection tiles for wide high-resolution frames (vision/tiles.ts); the default setting when absent. */
  detectionTiles?: boolean;
  /** Keyframe-first coarse pass (indexing/coarsePass.ts); off when absent. */
  coarsePass?: boolean;
  /** CPU budget of the job (0 or absent: every core); indexing/budget.ts shares it out. */
  cores?: number;
  /** Files at once, instead of the budget's choice (benchmarks and tests: 1 = one after another). */
  parallelFiles?: number;
  /** Called once the budget is chosen (files at once, decoder and ONNX threads). */
  onBudget?: (b: Budget) => void;
}

export interface LoadedModels extends IndexModels { provider: string }

/** `threads`: ONNX Runtime intra-op threads of every session (default: providers.ts). */
/** `detectionTiles`: the setting (on = TILES_WHEN_ON), or a TileMode itself (benchmarks). */
export async function loadIndexModels(opts: { provider?: ProviderPreference; detectorModel?: string; ivtModel?: string; reidModel?: string; threads?: number; detectionTiles?: boolean | TileMode }): Promise<LoadedModels> {
  const setting = opts.detectionTiles ?? DEFAULT_SETTINGS.detectionTiles;
  const tiles: TileMode = typeof setting === 'string' ? setting : setting ? TILES_WHEN_ON : 'off';
  const { detector, encoder, reid, attributes } = await withIntraOpThreads(opts.threads, async () => {
    const detector = await Detector.load(opts.detectorModel, { provider: opts.provider, tiles });
    const reid = await ReidEncoder.load(opts.reidModel, { provider: opts.provider });
    // An IVT member built on this ReID network's trunk runs only its head on the ReID pass's map, when
    // both crops are the same box (thumbnail.ts CROPS_AGREE); otherwise its whole encoder.
    const trunkOf = CROPS_AGREE ? reid.manifest : undefined;
    const encoder = await IvtImageEncoders.load(opts.ivtModel, opts.provider, trunkOf);
    return { detector, encoder, reid, attributes: await AttributeModel.load(undefined, { provider: opts.provider }) };
  });
  // Everything that shapes a video's index: a change of any part re-indexes the case's videos
  // (sightings of two trackers, or vectors of two models, are never mixed).
  const modelKey = [
    detector.identity, encoder.space,
    reid.space, `${attributes.manifest.id}@${attributes.manifest.version}`, `tracker@${TRACKER_VERSION}`,
  ].join('+');
  return { detector, encoder, reid, attributes, modelKey, provider: encoder.provider };
}

/** Releases the index models' sessions. */
export async function closeIndexModels(m: IndexModels): Promise<void> {
  await m.detector.close();
  await m.encoder.close();
  await m.reid.close();
  await m.attributes?.close();
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** SQLite errors (disk full, read-only, locked) are about the case file: name it. */
const reasonOf = (db: Db, e: unknown): string => (String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_') ? describeDbError(e, db.name) : message(e));

export async function runIndexJob(db: Db, opts: IndexJobOptions, models?: LoadedModels): Promise<ImportReport> {
  const report: ImportReport = { indexed: [], duplicates: [], failed: [] };
  const fail = (path: string, reason: string, videoId: number | null = null): void => {
    // Reasons from the video stage already start with the file name.
    const clean = reason.startsWith(path) ? reason.slice(path.length).replace(/^:\s*/, '') : reason;
    report.failed.push({ path, reason: clean });
    try { recordFailure(db, path, clean); } catch { /* the case cannot be written (disk full): the report still names it */ }
    opts.onProgress?.({ kind: 'import', videoId, path, phase: 'failed', fraction: 1, etaS: null, message: clean });
  };

  // The lock first: a second writer is told at once who is indexing, before any work.
  const lock = WriterLock.acquire(db);
  try {
    await importAll(db, opts, report, fail);
    // The budget follows the footage to index (indexing/budget.ts): the queue, or the whole case
    // when only a model change can re-index it. The models open with the budget's ONNX threads.
    const queue: FootageRate[] = videosNotDone(db).map((v) => ({ width: v.width, height: v.height, fps: v.fps, sampleFps: v.sample_fps, durationS: v.duration_s }));
    const footage = queue.length ? queue : listVideos(db).map((v) => ({ width: v.width, height: v.height, fps: v.fps, sampleFps: v.sampleFps, durationS: v.durationS }));
    const chosen = budgetFor(footage, opts.cores);
    const budget = opts.parallelFiles ? { ...chosen, files: opts.parallelFiles, decodeThreads: Math.max(1, Math.floor(chosen.cores / opts.parallelFiles)) } : chosen;
    opts.onBudget?.(budget);
    // A missing or damaged model is the installation's fault, not the footage's: the job fails.
    // The IVT model: the explicit choice, else the case's own, else the default (vision/caseModel.ts).
    const m = models ?? (await loadIndexModels({ ...opts, ivtModel: loadChosenIvtModel(resolveIvtModel(opts.ivtModel, ivtModelOfCaseFile(db))).ref, threads: budget.onnxThreads }));
    try {
      // From here every video of the case is (re-)indexed with this model: the case keeps it.
      recordIvtModel(db, m.encoder.model.ref);
      await indexQueued(db, opts, m, budget, report, fail, () => lock.assertHeld());
    } finally {
      if (!models) await closeIndexModels(m);
    }
    if (!opts.signal?.aborted) {
      // Exit status tells the truth: every video of the case that is still not done is named.
      const named = new Set(report.failed.map((f) => f.path));
      for (const v of videosNotDone(db)) {
        if (!named.has(v.path)) report.failed.push({ path: v.path, reason: `not indexed (${v.status}${v.error ? `: ${v.error}` : ''})` });
      }
    }
  } finally {
    lock.release();
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
      fail(file, reasonOf(db, e));
    }
  }
}

async function indexQueued(db: Db, opts: IndexJobOptions, m: LoadedModels, budget: Budget, report: ImportReport, fail: Fail, guard: () => void): Promise<void> {
  // A job still 'running' belongs to a process that was killed: this run resumes its work.
  writeTransaction(db, () => db.prepare("UPDATE jobs SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(new Date().toISOString()));
  // A model change means re-indexing, never silently mixing embeddings of two models.
  for (const id of videosIndexedByOtherModels(db, m.modelKey)) clearIndex(db, id);
  // Queued, interrupted and failed videos alike: each resumes from its last committed batch,
  // several at once (indexing/scheduler.ts) within the budget.
  await runScheduled(videosNotDone(db), async (v, onProgress): Promise<After> => {
    let job = 0;
    try {
      job = Number(writeTransaction(db, () => db.prepare("INSERT INTO jobs(kind, video_id, status, started_at) VALUES ('index', ?, 'running', ?)").run(v.id, new Date().toISOString()).lastInsertRowid));
      const r = await indexVideo(db, v.id, m, {
        ffmpeg: opts.ffmpeg, signal: opts.signal, onProgress, afterBatch: opts.afterBatch, guard,
        motionGate: opts.motionGate, coarsePass: opts.coarsePass, decodeThreads: budget.decodeThreads,
      });
      writeTransaction(db, () => db.prepare("UPDATE jobs SET status = 'done', finished_at = ?, frames = ? WHERE id = ?").run(new Date().toISOString(), r.frames, job));
      report.indexed.push(v.id);
      return 'next';
    } catch (e) {
      const aborted = opts.signal?.aborted === true;
      const reason = reasonOf(db, e);
      // Another process took the case over: it owns the video now, this run writes nothing more.
      if (e instanceof CaseBusyError) { fail(v.path, reason, v.id); return 'stop'; }
      try {
        writeTransaction(db, () => {
          if (job) db.prepare('UPDATE jobs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(aborted ? 'interrupted' : 'failed', new Date().toISOString(), reason, job);
          // What was committed before the failure stays searchable; the next run resumes from there.
          if (!aborted) markFailed(db, v.id, reason);
        });
      } catch {
        /* the case cannot be written (disk full): the report below still names the file and the reason */
      }
      if (aborted) return 'stop';
      fail(v.path, reason, v.id);
      return 'next';
    }
  }, { parallel: budget.files, signal: opts.signal, casePath: db.name, onProgress: opts.onProgress });
}
