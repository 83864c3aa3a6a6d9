// One queue job of a team case: a chunk [start, end) of a video, sampled on the same absolute 1/fps
// ticks as a single-process run, in batches aligned the same way, through the same networks
// (indexing/perceive.ts). Its detections and vectors replace the chunk's rows in one transaction, so a
// chunk run twice (a worker killed, its job retried elsewhere) leaves exactly one copy.
import * as fs from 'node:fs';
import type { LoadedModels } from '../indexing/job';
import { perceive } from '../indexing/perceive';
import { StageClock } from '../indexing/stages';
import { DEFAULT_MAX_SIDE } from '../indexing/indexVideo';
import { VideoError } from '../video/errors';
import { sampleFrames, type Frame } from '../video/sampler';
import { embeddingSpace } from '../vision/manifest';
import type { ChunkDetection, ChunkStore, TeamVideo } from './caseStore';
import { stitchVideo } from './stitch';

/** Frames per inference batch: the single-process pipeline's default, so batches line up with its. */
const BATCH_FRAMES = 8;

export interface ChunkJob { videoId: number; idx: number }

export interface ChunkOptions {
  ffmpeg: string;
  worker: string;
  /** Footage seen under another path on this machine: [from-prefix, to-prefix] pairs, first match wins. */
  pathMap?: [string, string][];
  signal?: AbortSignal;
  /** Called once the chunk is claimed (marked running) and its frames are about to be decoded. */
  onStart?: () => void;
  /** Called after each batch of the chunk (before its one write). */
  afterBatch?: (t: number) => void;
}

/** A video's path as this worker sees it. */
export function mapPath(p: string, map: [string, string][] = []): string {
  for (const [from, to] of map) if (p === from || p.startsWith(from.endsWith('/') ? from : `${from}/`)) return to + p.slice(from.length);
  return p;
}

/**
 * Half-open tick range of a chunk: frames at or after its first tick and before the next chunk's. A
 * sampled frame lies at or just after its tick, so boundaries are taken a hair before each tick.
 */
export function chunkWindow(v: Pick<TeamVideo, 'chunkS' | 'sampleFps'>, idx: number): { after: number | undefined; before: number } {
  const hair = 1e-3 / v.sampleFps;
  return { after: idx === 0 ? undefined : idx * v.chunkS - hair, before: (idx + 1) * v.chunkS - hair };
}

export async function indexChunk(store: ChunkStore, job: ChunkJob, models: LoadedModels, opts: ChunkOptions): Promise<{ frames: number; detections: number; stitched: boolean; skipped: boolean }> {
  const v = await store.video(job.videoId);
  const file = mapPath(v.path, opts.pathMap);
  let st: fs.Stats;
  try { st = fs.statSync(file); } catch { throw new VideoError(file, `not found on this worker (video ${v.id}, imported as ${v.path}; give --path-map from=to)`); }
  if (st.size !== v.sizeBytes) throw new VideoError(file, `is ${st.size} bytes, video ${v.id} was ${v.sizeBytes} when imported: not the imported file`);
  if (!(await store.startChunk(v.id, job.idx, opts.worker, models.modelKey, models.encoder.model.ref))) {
    // Done already (a re-delivered job); if the worker that wrote the last chunk died before stitching, stitch now.
    const stitched = (await store.needsStitch(v.id)) && (await stitchVideo(store, v, models.reid.space, { file, ffmpeg: opts.ffmpeg, signal: opts.signal }), true);
    return { frames: 0, detections: 0, stitched, skipped: true };
  }

  opts.onStart?.();
  const cpu0 = process.cpuUsage();
  const { after, before } = chunkWindow(v, job.idx);
  const clock = new StageClock(undefined);
  const detections: ChunkDetection[] = [];
  let frames = 0;
  let batch: Frame[] = [];
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    clock.restart();
    const p = await perceive(batch, models, clock);
    const rankInFrame = new Map<Frame, number>();
    p.crops.forEach((c, i) => {
      const rank = rankInFrame.get(c.frame) ?? 0;
      rankInFrame.set(c.frame, rank + 1);
      // One IVT vector per member of the model (an ensemble: each member's), as a case file's embed stage stores them.
      detections.push({ t: c.frame.timeS, rank, bbox: c.source, score: c.score, embeddings: p.vectors.map((member) => member[i]), reid: p.appearances[i], evidence: p.evidence[i] });
    });
    frames += batch.length;
    opts.afterBatch?.(batch[batch.length - 1].timeS);
    batch = [];
  };
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const f of sampleFrames(file, { ffmpegPath: opts.ffmpeg, fps: v.sampleFps, maxSide: DEFAULT_MAX_SIDE, startS: after, durationS: v.durationS, readAhead: 2 * BATCH_FRAMES, signal: abort.signal })) {
      if (f.timeS >= before) break; // the next chunk's first frame: stop decoding here
      batch.push(f);
      if (batch.length >= BATCH_FRAMES) await flush();
    }
    await flush();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const cpu = process.cpuUsage(cpu0);
  const last = await store.writeChunk({
    videoId: v.id, idx: job.idx, modelKey: models.modelKey, embeddingModels: models.encoder.memberSpaces, reidModel: models.reid.space,
    evidenceModel: models.attributes && embeddingSpace(models.attributes.manifest),
    detections, frames, cpuS: (cpu.user + cpu.system) / 1e6, worker: opts.worker,
  });
  // The worker that finishes a video's last chunk stitches its sightings (tracking needs boxes and ReID vectors only).
  if (last) await stitchVideo(store, v, models.reid.space, { file, ffmpeg: opts.ffmpeg, signal: opts.signal });
  return { frames, detections: detections.length, stitched: last, skipped: false };
}
