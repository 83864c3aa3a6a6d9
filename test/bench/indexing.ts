// Indexing speed of one video against its lower bound, in the same run: ffmpeg decoding alone
// (the project's sampler, frames discarded) and then the full pipeline on a fresh temp case file,
// with the time split per stage and the peak memory of node + ffmpeg.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { DEFAULT_MAX_SIDE, indexVideo } from '../../electron/engine/indexing/indexVideo';
import { newStageTimes, type StageTimes } from '../../electron/engine/indexing/stages';
import type { LoadedModels } from '../../electron/engine/indexing/job';
import { probeVideo } from '../../electron/engine/video/probe';
import { sampleFrames } from '../../electron/engine/video/sampler';
import { sampleRss } from './memory';
import { sightingBoxes, sightingRecall, type Recall } from './sightingRecall';

export interface IndexFigures {
  clip: string;
  file: string;
  width: number;
  height: number;
  sourceFps: number;
  durationS: number;
  sampleFps: number;
  frames: number;
  detections: number;
  decodeOnlyS: number;
  indexS: number;
  /** Video seconds per wall-clock second. */
  decodeOnlyRtf: number;
  rtf: number;
  /** Full indexing time / decode-only time (target ≤ 2). */
  overDecode: number;
  stages: StageTimes;
  /** CPU seconds (node, all threads + ffmpeg) per video second: what the wall clock costs on an idle machine. */
  decodeOnlyCpuPerVideoS: number;
  indexCpuPerVideoS: number;
  /** Of indexCpuPerVideoS: node (all its threads: the networks, tracking, SQLite) and ffmpeg. */
  indexNodeCpuPerVideoS: number;
  indexFfmpegCpuPerVideoS: number;
  /** cores / indexCpuPerVideoS: the real-time factor if this machine's cores were idle and fully overlapped (a ceiling, not a measurement). */
  cpuCeilingRtf: number;
  peakRssMb: number;
  ffmpegPeakRssMb: number;
}

const now = (): number => performance.now() / 1000;

export async function benchIndexing(clip: string, file: string, models: LoadedModels, tools: { ffmpeg: string; ffprobe: string }, sampleFps = 2): Promise<IndexFigures> {
  const probe = await probeVideo(file, tools.ffprobe);

  const stopDecode = sampleRss();
  let t0 = now();
  let decoded = 0;
  for await (const f of sampleFrames(file, { ffmpegPath: tools.ffmpeg, fps: sampleFps, maxSide: DEFAULT_MAX_SIDE })) decoded += f.data.length > 0 ? 1 : 0;
  const decodeOnlyS = now() - t0;
  const decodeCpu = await stopDecode();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'));
  const db = openOrCreateCase(path.join(dir, 'bench.sqlite'), 'bench');
  try {
    const { videoId } = await importVideo(db, file, { ffprobe: tools.ffprobe, fps: sampleFps, user: 'bench' });
    const stages = newStageTimes();
    const stop = sampleRss();
    t0 = now();
    const readAhead = process.env.BENCH_READ_AHEAD ? Number(process.env.BENCH_READ_AHEAD) : undefined;
    const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, stageTimes: stages, readAhead });
    const indexS = now() - t0;
    const mem = await stop();
    if (r.frames !== decoded) throw new Error(`${clip}: indexing saw ${r.frames} frames, decode-only ${decoded}`);
    return {
      clip, file, width: probe.width, height: probe.height, sourceFps: probe.fps, durationS: probe.durationS, sampleFps,
      frames: r.frames, detections: r.detections, decodeOnlyS, indexS,
      decodeOnlyRtf: probe.durationS / decodeOnlyS, rtf: probe.durationS / indexS, overDecode: indexS / decodeOnlyS,
      stages, peakRssMb: mem.peakRssMb, ffmpegPeakRssMb: mem.childrenMb,
      decodeOnlyCpuPerVideoS: (decodeCpu.selfCpuS + decodeCpu.childCpuS) / probe.durationS,
      indexCpuPerVideoS: (mem.selfCpuS + mem.childCpuS) / probe.durationS,
      indexNodeCpuPerVideoS: mem.selfCpuS / probe.durationS, indexFfmpegCpuPerVideoS: mem.childCpuS / probe.durationS,
      cpuCeilingRtf: os.availableParallelism() / ((mem.selfCpuS + mem.childCpuS) / probe.durationS),
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface GatingFigures {
  clip: string;
  durationS: number;
  frames: number;
  decodeOnlyS: number;
  ungatedS: number;
  gatedS: number;
  /** Frames the detector saw with the gate on. */
  gatedDetectedFrames: number;
  rtfUngated: number;
  rtfGated: number;
  decodeOnlyRtf: number;
  /** Gated indexing time / decode-only time. */
  gatedOverDecode: number;
  recall: Recall;
  gatedStages: StageTimes;
  ungatedStages: StageTimes;
  peakRssMb: number;
  /** 1-minute load average before each run: decode-only, gated, ungated. */
  loads: number[];
}

/**
 * Motion gating on one clip, in the same run: decode-only (the lower bound), the gated pipeline, the
 * ungated pipeline, each on a fresh case; sightings recall of the gated run against the ungated one.
 */
export async function benchGating(clip: string, file: string, models: LoadedModels, tools: { ffmpeg: string; ffprobe: string }, sampleFps = 2): Promise<GatingFigures> {
  const probe = await probeVideo(file, tools.ffprobe);
  const loads: number[] = [];
  loads.push(os.loadavg()[0]);
  let t0 = now();
  let decoded = 0;
  for await (const f of sampleFrames(file, { ffmpegPath: tools.ffmpeg, fps: sampleFps, maxSide: DEFAULT_MAX_SIDE })) decoded += f.data.length > 0 ? 1 : 0;
  const decodeOnlyS = now() - t0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-gate-'));
  const run = async (name: string, motionGate: boolean) => {
    loads.push(os.loadavg()[0]);
    const db = openOrCreateCase(path.join(dir, `${name}.sqlite`), name);
    const { videoId } = await importVideo(db, file, { ffprobe: tools.ffprobe, fps: sampleFps, user: 'bench' });
    const stages = newStageTimes();
    const stop = sampleRss();
    const start = now();
    const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, stageTimes: stages, motionGate });
    const s = now() - start;
    const mem = await stop();
    const sightings = sightingBoxes(db, videoId);
    db.close();
    if (r.frames !== decoded) throw new Error(`${clip}: indexing saw ${r.frames} frames, decode-only ${decoded}`);
    return { r, s, stages, sightings, peakRssMb: mem.peakRssMb };
  };
  try {
    const gated = await run('gated', true);
    const full = await run('ungated', false);
    return {
      clip, durationS: probe.durationS, frames: decoded, decodeOnlyS, ungatedS: full.s, gatedS: gated.s,
      gatedDetectedFrames: gated.r.detectedFrames,
      rtfUngated: probe.durationS / full.s, rtfGated: probe.durationS / gated.s, decodeOnlyRtf: probe.durationS / decodeOnlyS,
      gatedOverDecode: gated.s / decodeOnlyS, recall: sightingRecall(full.sightings, gated.sightings),
      gatedStages: gated.stages, ungatedStages: full.stages, peakRssMb: Math.max(gated.peakRssMb, full.peakRssMb), loads,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
