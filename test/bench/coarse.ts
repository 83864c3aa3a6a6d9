// The keyframe-first coarse pass (and cheaper decoding) on one clip, in the same run: decode-only
// (the lower bound), the ungated full pipeline (the reference), then each variant on a fresh case;
// sightings recall of every variant against the reference (test/bench/sightingRecall.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { DEFAULT_MAX_SIDE, indexVideo, type IndexOptions } from '../../electron/engine/indexing/indexVideo';
import { newStageTimes, type StageTimes } from '../../electron/engine/indexing/stages';
import type { LoadedModels } from '../../electron/engine/indexing/job';
import { probeVideo } from '../../electron/engine/video/probe';
import { sampleFrames } from '../../electron/engine/video/sampler';
import { sampleRss } from './memory';
import { sightingBoxes, sightingRecall, type Recall } from './sightingRecall';

export type VariantOptions = Pick<IndexOptions, 'motionGate' | 'coarsePass' | 'skipLoopFilter'>;

/** The variants `npm run bench -- --only=coarse` runs after the ungated reference. */
export const COARSE_VARIANTS: { name: string; opts: VariantOptions }[] = [
  { name: 'coarse+gated', opts: { motionGate: true, coarsePass: true } },
  // The coarse pass as before still runs (coarsePass.ts StillRuns): the detector on every keyframe of a still run.
  { name: 'coarse-every-keyframe+gated', opts: { motionGate: true, coarsePass: { relookS: 0 } } },
  { name: 'coarse+gated+skip_loop_filter', opts: { motionGate: true, coarsePass: true, skipLoopFilter: true } },
  { name: 'gated', opts: { motionGate: true } },
];

export interface VariantFigures {
  name: string;
  s: number;
  rtf: number;
  /** Variant time / decode-only time. */
  overDecode: number;
  /** Ungated time / variant time. */
  speedup: number;
  frames: number;
  detectedFrames: number;
  recall: Recall;
  stages: StageTimes;
  /** Coarse pass: keyframes, GOP, seconds skipped, its wall time. */
  coarse?: { keyframes: number; gopS: number; skips: number; skippedS: number; s: number };
  cpuPerVideoS: number;
  peakRssMb: number;
  load: number;
}

export interface CoarseFigures {
  clip: string;
  durationS: number;
  decodeOnlyS: number;
  decodeOnlyRtf: number;
  ungated: VariantFigures;
  variants: VariantFigures[];
}

const now = (): number => performance.now() / 1000;

export async function benchCoarse(clip: string, file: string, models: LoadedModels, tools: { ffmpeg: string; ffprobe: string }, variants = COARSE_VARIANTS, sampleFps = 2, log: (s: string) => void = () => undefined): Promise<CoarseFigures> {
  const probe = await probeVideo(file, tools.ffprobe);
  let t0 = now();
  for await (const f of sampleFrames(file, { ffmpegPath: tools.ffmpeg, fps: sampleFps, maxSide: DEFAULT_MAX_SIDE })) void f;
  const decodeOnlyS = now() - t0;
  log(`  decode-only ${(probe.durationS / decodeOnlyS).toFixed(2)}×`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-coarse-'));
  let reference: ReturnType<typeof sightingBoxes> = [];
  let ungatedS = 0;
  const run = async (name: string, opts: VariantOptions): Promise<VariantFigures> => {
    const load = os.loadavg()[0];
    const db = openOrCreateCase(path.join(dir, `${name}.sqlite`), name);
    try {
      const { videoId } = await importVideo(db, file, { ffprobe: tools.ffprobe, fps: sampleFps, user: 'bench' });
      const stages = newStageTimes();
      const stop = sampleRss();
      t0 = now();
      const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, stageTimes: stages, ...opts });
      const s = now() - t0;
      const mem = await stop();
      const sightings = sightingBoxes(db, videoId);
      if (name === 'ungated') { reference = sightings; ungatedS = s; }
      const recall = sightingRecall(reference, sightings);
      const f: VariantFigures = {
        name, s, rtf: probe.durationS / s, overDecode: s / decodeOnlyS, speedup: ungatedS / s, frames: r.frames, detectedFrames: r.detectedFrames,
        recall, stages, cpuPerVideoS: (mem.selfCpuS + mem.childCpuS) / probe.durationS, peakRssMb: mem.peakRssMb, load,
        ...(r.coarse ? { coarse: { keyframes: r.coarse.keyframes, gopS: r.coarse.gopS, skips: r.coarse.skips.length, skippedS: r.coarse.skippedS, s: r.coarseS ?? 0 } } : {}),
      };
      log(`  ${name}: ${f.rtf.toFixed(2)}× real time (${f.speedup.toFixed(2)}× ungated), ${f.frames} frames decoded, detector ${f.detectedFrames}; sightings recall ${recall.sightingRecall.toFixed(3)} (${recall.recalledSightings}/${recall.sightings}), detections ${recall.detectionRecall.toFixed(3)}${f.coarse ? `; coarse pass ${f.coarse.s.toFixed(1)} s, ${f.coarse.keyframes} keyframes, GOP ${f.coarse.gopS.toFixed(1)} s, skipped ${f.coarse.skippedS.toFixed(0)} s in ${f.coarse.skips}` : ''}; load ${load.toFixed(1)}`);
      return f;
    } finally {
      db.close();
    }
  };
  try {
    const ungated = await run('ungated', {});
    const out: VariantFigures[] = [];
    for (const v of variants) out.push(await run(v.name, v.opts));
    return { clip, durationS: probe.durationS, decodeOnlyS, decodeOnlyRtf: probe.durationS / decodeOnlyS, ungated, variants: out };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
