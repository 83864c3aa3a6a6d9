// One video through the pipeline: sample → detect → crop + embed → track → write, batch by batch,
// resuming after the last committed frame.
import { statSync } from 'node:fs';
import { writeTransaction, type Db } from '../case/caseFile';
import { claimVideo, markDone, videoRow } from '../case/videos';
import { VideoError } from '../video/errors';
import type { BBox, ProgressEvent } from '../contract';
import type { Detector } from '../vision/detector';
import type { ImageEncoder } from '../vision/ivt';
import { clipBox, cropToImage } from '../vision/crop';
import { encodePng } from '../vision/png';
import type { RgbImage } from '../vision/frame';
import { embeddingSpace } from '../vision/manifest';
import type { AttributeModel } from '../vision/attributes';
import { cropEvidence, type CropEvidence } from '../vision/evidence';
import { sampleFrames, Frame } from '../video/sampler';
import { StageClock, type StageTimes } from './stages';
import { checkUnchanged, sameFile } from './importer';
import { clearIndex, DetectionWrite, openTracks, writeBatch } from './store';
import { detectionQuality, Track, TrackedDetection, Tracker } from './tracker';

export interface IndexModels {
  detector: Detector;
  encoder: ImageEncoder;
  /** Attribute network for search evidence; without it no evidence is stored (the search then ranks by IVT alone). */
  attributes?: AttributeModel;
  modelKey: string;
}

export interface IndexOptions {
  ffmpeg: string;
  /** Frames per batch: one transaction each. */
  batchFrames?: number;
  /** Longest side frames are decoded at (crops need no more). */
  maxSide?: number;
  /** Frames ffmpeg may decode ahead while a batch is in inference (default 2 batches; 0: none). */
  readAhead?: number;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Test hook: called after each committed batch. */
  afterBatch?: (lastFrameT: number) => void;
  /** Called inside every write transaction: throws when this process lost the case's writer lock. */
  guard?: () => void;
  /** When given, wall-clock seconds spent per stage are added here (benchmarks). */
  stageTimes?: StageTimes;
}

export { newStageTimes, type StageTimes } from './stages';

/** Longest side frames are decoded at unless IndexOptions.maxSide says otherwise. */
export const DEFAULT_MAX_SIDE = 1280;

const THUMB_HEIGHT = 160;
const CROP_MARGIN = 0.05;

export async function indexVideo(db: Db, videoId: number, models: IndexModels, opts: IndexOptions): Promise<{ frames: number; detections: number }> {
  const v = videoRow(db, videoId);
  if (!v) throw new Error(`video ${videoId}: not in this case`);
  // The bytes decoded must be the bytes imported: checked before, and after (size, mtime, identity).
  const identity = await checkUnchanged(db, v);
  // Claimed inside the writer's transaction: a video another run finished meanwhile is left alone.
  const claimed = writeTransaction(db, () => { opts.guard?.(); return claimVideo(db, videoId, models.modelKey); });
  if (!claimed) return { frames: 0, detections: 0 };
  const tracker = new Tracker(openTracks(db, videoId));
  const batchFrames = opts.batchFrames ?? 8;
  const started = Date.now();
  const startT = v.indexed_until_s;
  let frames = 0, detections = 0;
  let batch: Frame[] = [];

  const progressOf = (t: number): number => (v.duration_s > 0 ? Math.min(1, Math.max(0, t / v.duration_s)) : 0);
  const report = (t: number): void => {
    const fraction = progressOf(t);
    const done = fraction - progressOf(Math.max(0, startT));
    const elapsed = (Date.now() - started) / 1000;
    const etaS = done > 0.01 ? Math.round((elapsed / done) * (1 - fraction)) : null;
    opts.onProgress?.({ kind: 'index', videoId, path: v.path, phase: 'indexing', fraction, etaS });
  };

  // Each stage's time is charged by name, in the order of STAGES (stages.ts).
  const clock = new StageClock(opts.stageTimes);
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    clock.restart();
    const frameBoxes = await models.detector.detect(batch);
    clock.lap('detect');
    // Boxes come in sampled-frame pixels; the index stores source-video pixels.
    const crops: { image: RgbImage; bbox: BBox; frame: Frame; score: number; source: BBox }[] = [];
    frameBoxes.forEach((boxes, fi) => {
      const f = batch[fi];
      for (const d of boxes) {
        const src: BBox = [d.bbox[0] / f.scale, d.bbox[1] / f.scale, d.bbox[2] / f.scale, d.bbox[3] / f.scale];
        crops.push({ image: f, bbox: clipBox(d.bbox, f.width, f.height, CROP_MARGIN), frame: f, score: d.score, source: src });
      }
    });
    const vectors = await models.encoder.embedCrops(crops);
    clock.lap('embed');
    const evidence: (CropEvidence | undefined)[] = models.attributes
      ? (await models.attributes.predict(crops)).map((a, i) => cropEvidence(crops[i].image, crops[i].bbox, a))
      : [];
    clock.lap('attributes');
    const writes: DetectionWrite[] = [];
    const closed: Track[] = [];
    for (const f of batch) {
      const cropOf = new Map<TrackedDetection, (typeof crops)[number] & { evidence?: CropEvidence }>();
      crops.forEach((c, i) => {
        if (c.frame === f) cropOf.set({ t: f.timeS, bbox: c.source, score: c.score, embedding: vectors[i] }, { ...c, evidence: evidence[i] });
      });
      const step = tracker.step(f.timeS, [...cropOf.keys()]);
      closed.push(...step.closed);
      for (const a of step.assignments) {
        const c = cropOf.get(a.detection)!;
        writes.push({
          t: f.timeS, bbox: c.source, score: c.score, embedding: a.detection.embedding, track: a.track,
          quality: detectionQuality(c.source, c.score, v.width, v.height),
          thumbnail: () => encodePng(cropToImage(f, c.bbox, THUMB_HEIGHT)),
          evidence: c.evidence,
        });
      }
    }
    const lastFrameT = batch[batch.length - 1].timeS;
    clock.lap('track');
    writeBatch(db, { videoId, modelId: embeddingSpace(models.encoder.manifest), evidenceModelId: models.attributes && embeddingSpace(models.attributes.manifest), detections: writes, closed, lastFrameT, progress: progressOf(lastFrameT), guard: opts.guard });
    clock.lap('database');
    frames += batch.length;
    detections += writes.length;
    batch = [];
    report(lastFrameT);
    opts.afterBatch?.(lastFrameT);
  };

  const frames$ = sampleFrames(v.path, { ffmpegPath: opts.ffmpeg, fps: v.sample_fps, maxSide: opts.maxSide ?? DEFAULT_MAX_SIDE, startS: startT >= 0 ? startT : undefined, durationS: v.duration_s, readAhead: opts.readAhead ?? 2 * batchFrames, signal: opts.signal });
  // Decoding errors of a file that changed meanwhile are the change's fault: say that, not "corrupt".
  const refuseIfChanged = (): void => {
    const now = statOrNull(v.path);
    if (now && sameFile(identity, now)) return;
    clearIndex(db, videoId);
    throw new VideoError(v.path, 'changed while it was being indexed (size, mtime or identity differ from the imported file); its partial index was discarded');
  };
  try {
    clock.restart();
    for await (const frame of frames$) {
      clock.lap('decode');
      batch.push(frame);
      if (batch.length >= batchFrames) await flush();
      clock.restart();
    }
    await flush();
  } catch (e) {
    if (!opts.signal?.aborted) refuseIfChanged();
    throw e;
  }
  const closed = tracker.closeAll();
  refuseIfChanged();
  writeTransaction(db, () => {
    opts.guard?.();
    const close = db.prepare('UPDATE sightings SET open = 0 WHERE id = ?');
    for (const tr of closed) if (tr.sightingId !== null) close.run(tr.sightingId);
    markDone(db, videoId);
  });
  opts.onProgress?.({ kind: 'index', videoId, path: v.path, phase: 'done', fraction: 1, etaS: 0 });
  return { frames, detections };
}

function statOrNull(file: string): import('node:fs').Stats | null {
  try { return statSync(file); } catch { return null; }
}
