// One video through the pipeline: sample → detect (+ person filter) → crop + embed → ReID → track → write, batch by batch,
// resuming after the last committed frame; at the end, fragments of one person are stitched into one sighting.
import { statSync } from 'node:fs';
import { writeTransaction, type Db } from '../case/caseFile';
import { claimVideo, markDone, videoRow } from '../case/videos';
import { VideoError } from '../video/errors';
import type { ProgressEvent } from '../contract';
import type { Detector } from '../vision/detector';
import type { IvtImageEncoders } from '../vision/ivt';
import type { ReidEncoder } from '../vision/reid';
import { embeddingSpace } from '../vision/manifest';
import type { AttributeModel } from '../vision/attributes';
import type { CropEvidence } from '../vision/evidence';
import { sampleFrames, Frame } from '../video/sampler';
import { StageClock, type StageTimes } from './stages';
import { applyPreRoll, DEFAULT_MOTION_GATE, MotionGate, type MotionGateOptions } from './motionGate';
import { DEFAULT_COARSE, framesAround, keyframeInterval, lookAtKeyframes, planSkips, type CoarseOptions, type CoarsePlan } from './coarsePass';
import { checkUnchanged, sameFile } from './importer';
import { clearIndex, DetectionWrite, openTracks, savedTileState, writeBatch } from './store';
import { TileKeeper } from '../vision/tiles';
import { perceive } from './perceive';
import { detectionQuality, Track, TrackedDetection, Tracker } from './tracker';
import { stitchVideo } from './stitchSightings';
import { thumbnailPng } from './thumbnail';

export interface IndexModels {
  detector: Detector;
  /** The IVT image encoder, or each member of an ensemble (one embedding per member and crop). */
  encoder: IvtImageEncoders;
  reid: ReidEncoder;
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
  /** Motion gating (indexing/motionGate.ts): true for the defaults, or options; off when absent. */
  motionGate?: boolean | Partial<MotionGateOptions>;
  /** Keyframe-first coarse pass (indexing/coarsePass.ts): quiet stretches are not decoded in full; off when absent. */
  coarsePass?: boolean | Partial<CoarseOptions>;
  /** Decode without the in-loop deblocking filter (video/sampler.ts skipLoopFilter); off when absent. */
  skipLoopFilter?: boolean;
  /** ffmpeg decoder threads per video (default 2; the case scheduler gives each of its files a share). */
  decodeThreads?: number;
}

export interface IndexResult {
  /** Sampled frames decoded (frames in skipped stretches are not). */
  frames: number;
  detections: number;
  /** Frames the detector saw. */
  detectedFrames: number;
  /** The coarse pass's plan, when it ran. */
  coarse?: CoarsePlan;
  /** Wall seconds of the coarse pass (decoding keyframes + the detector on them). */
  coarseS?: number;
}

export { newStageTimes, type StageTimes } from './stages';

/** Longest side frames are decoded at unless IndexOptions.maxSide says otherwise. */
export const DEFAULT_MAX_SIDE = 1280;

/**
 * The gate for one run. Its hold must outlast one batch: a batch's frames are decided before the
 * previous batch's detections are known, so a person standing still is kept only if the hold spans it.
 */
function gateFor(opts: IndexOptions, fps: number, batchFrames: number): MotionGate | null {
  if (!opts.motionGate) return null;
  const o = { ...DEFAULT_MOTION_GATE, ...(opts.motionGate === true ? {} : opts.motionGate) };
  return new MotionGate({ ...o, holdS: Math.max(o.holdS, (batchFrames + 2) / fps) });
}

/**
 * The coarse pass's plan for this run, or null (off, or the keyframe decode failed: the full pass
 * then decodes everything and reports the file's problem itself).
 */
async function coarsePlan(path: string, durationS: number, models: IndexModels, opts: IndexOptions): Promise<CoarsePlan | null> {
  if (!opts.coarsePass) return null;
  const o = { ...DEFAULT_COARSE, ...(opts.coarsePass === true ? {} : opts.coarsePass) };
  try {
    // Long GOPs (vtest: 25 s) cannot be trusted, so nothing would be skipped: no keyframe decode at all.
    const gopS = await keyframeInterval(path, opts.ffmpeg, 20, opts.signal);
    if (!(gopS <= o.maxKeyframeGapS)) return { keyframes: 0, gopS, skips: [], skippedS: 0 };
    return planSkips(await lookAtKeyframes(path, models.detector, { ffmpegPath: opts.ffmpeg, durationS, signal: opts.signal, opts: o }), o);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return null;
  }
}

export async function indexVideo(db: Db, videoId: number, models: IndexModels, opts: IndexOptions): Promise<IndexResult> {
  const v = videoRow(db, videoId);
  if (!v) throw new Error(`video ${videoId}: not in this case`);
  // The bytes decoded must be the bytes imported: checked before, and after (size, mtime, identity).
  const identity = await checkUnchanged(db, v);
  // Claimed inside the writer's transaction: a video another run finished meanwhile is left alone.
  const claimed = writeTransaction(db, () => { opts.guard?.(); return claimVideo(db, videoId, models.modelKey); });
  if (!claimed) return { frames: 0, detections: 0, detectedFrames: 0 };
  const tracker = new Tracker(openTracks(db, videoId, models.reid.space));
  const batchFrames = opts.batchFrames ?? 8;
  const started = Date.now();
  const startT = v.indexed_until_s;
  let frames = 0, detections = 0, detectedFrames = 0;
  let batch: Frame[] = [];
  // Per frame of the batch: does the detector see it (always, without a gate).
  let keep: boolean[] = [];
  const gate = gateFor(opts, v.sample_fps, batchFrames);
  // Adaptive tiles: a resumed run continues from the state saved with its resume point (same detections).
  const tiles = models.detector.tiles === 'adaptive' ? new TileKeeper(undefined, startT >= 0 ? savedTileState(db, videoId) : undefined) : undefined;
  // A resumed run with people in view continues as the interrupted one did: held open.
  if (gate && tracker.active.length > 0) gate.sawPeople(Math.max(0, startT));

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
    if (gate) applyPreRoll(batch.map((f) => f.timeS), keep, gate.opts.preRollS);
    const seen = batch.filter((_, i) => keep[i]);
    const { crops, vectors, appearances, evidence, sawPeople } = await perceive(seen, models, clock, tiles);
    seen.forEach((f, fi) => { if (sawPeople[fi]) gate?.sawPeople(f.timeS); });
    const writes: DetectionWrite[] = [];
    const closed: Track[] = [];
    // Frames the gate skipped were not looked at: the tracker steps over them (its gaps are in time).
    for (const f of seen) {
      const cropOf = new Map<TrackedDetection, { crop: (typeof crops)[number]; embeddings: Float32Array[]; evidence?: CropEvidence }>();
      crops.forEach((c, i) => {
        if (c.frame === f) cropOf.set({ t: f.timeS, bbox: c.source, score: c.score, appearance: appearances[i] }, { crop: c, embeddings: vectors.map((member) => member[i]), evidence: evidence[i] });
      });
      const step = tracker.step(f.timeS, [...cropOf.keys()]);
      closed.push(...step.closed);
      for (const a of step.assignments) {
        const { crop: c, embeddings, evidence: cropEv } = cropOf.get(a.detection)!;
        writes.push({
          t: f.timeS, bbox: c.source, score: c.score, embeddings, reid: a.detection.appearance, track: a.track,
          quality: detectionQuality(c.source, c.score, v.width, v.height),
          thumbnail: () => thumbnailPng(f, c.bbox),
          evidence: cropEv,
        });
      }
    }
    const lastFrameT = batch[batch.length - 1].timeS;
    clock.lap('track');
    writeBatch(db, {
      videoId, modelIds: models.encoder.memberSpaces, reidModelId: models.reid.space,
      evidenceModelId: models.attributes && embeddingSpace(models.attributes.manifest),
      detections: writes, closed, lastFrameT, progress: progressOf(lastFrameT), guard: opts.guard, tiles: tiles?.state,
    });
    clock.lap('database');
    frames += batch.length;
    detectedFrames += seen.length;
    detections += writes.length;
    batch = [];
    keep = [];
    report(lastFrameT);
    opts.afterBatch?.(lastFrameT);
  };

  const coarseStarted = Date.now();
  const plan = await coarsePlan(v.path, v.duration_s, models, opts);
  const coarseS = (Date.now() - coarseStarted) / 1000;
  const sample = (startS: number | undefined) => sampleFrames(v.path, { ffmpegPath: opts.ffmpeg, fps: v.sample_fps, maxSide: opts.maxSide ?? DEFAULT_MAX_SIDE, startS, durationS: v.duration_s, readAhead: opts.readAhead ?? 2 * batchFrames, threads: opts.decodeThreads, skipLoopFilter: opts.skipLoopFilter, signal: opts.signal });
  const frames$ = framesAround(plan?.skips ?? [], startT >= 0 ? startT : undefined, sample);
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
      keep.push(gate ? gate.decide(frame).process : true);
      clock.lap('gate');
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
    // Fragments of one person (hidden for a while, turned, partly boxed) become one sighting.
    stitchVideo(db, videoId, models.reid.space);
    markDone(db, videoId);
  });
  opts.onProgress?.({ kind: 'index', videoId, path: v.path, phase: 'done', fraction: 1, etaS: 0 });
  return { frames, detections, detectedFrames, ...(plan ? { coarse: plan, coarseS } : {}) };
}

function statOrNull(file: string): import('node:fs').Stats | null {
  try { return statSync(file); } catch { return null; }
}
