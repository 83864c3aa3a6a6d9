// Adaptive detection tiles (vision/tiles.ts TileKeeper) against tiles always and tiles off, in the same run,
// on each clip with the shipped pipeline (motion gate + coarse pass): × real time, time over decode-only, detector
// passes (coarse pass included), and sightings / detection recall of adaptive (and off) against tiles always
// (test/bench/sightingRecall.ts).
//   npx tsc -p tsconfig.json && nice -n 5 node dist/test/bench/adaptiveTiles.js [clip,...]
// Clips: camera180 (camera-bitrate realistic clip, first 180 s), camera600 (all of it), hard180 (the hard clip,
// first 180 s), street (street1080p 30 s), vtest. Default: camera180,hard180,street,vtest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { DEFAULT_MAX_SIDE, indexVideo, newStageTimes } from '../../electron/engine/indexing/indexVideo';
import { closeIndexModels, loadIndexModels, type LoadedModels } from '../../electron/engine/indexing/job';
import { formatStageTimes } from '../../electron/engine/indexing/stages';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { probeVideo } from '../../electron/engine/video/probe';
import { sampleFrames } from '../../electron/engine/video/sampler';
import type { TileMode } from '../../electron/engine/vision/tiles';
import { CCTV_CAMERA, CCTV_HARD, cctvRealistic, cutOf, street1080p, vtestAvi } from './fixtures';
import { sampleRss } from './memory';
import { sightingBoxes, sightingRecall, type SightingBoxes } from './sightingRecall';

const now = (): number => performance.now() / 1000;

async function main(): Promise<void> {
  const tools = resolveFfmpeg();
  const which = (process.argv[2] ?? 'camera180,hard180,street,vtest').split(',');
  const clips: Record<string, () => string> = {
    camera180: () => cutOf(tools.ffmpeg, cctvRealistic(tools.ffmpeg, CCTV_CAMERA), 0, 180),
    camera600: () => cctvRealistic(tools.ffmpeg, CCTV_CAMERA),
    hard180: () => cutOf(tools.ffmpeg, cctvRealistic(tools.ffmpeg, CCTV_HARD), 0, 180),
    street: () => street1080p(tools.ffmpeg, 30),
    vtest: () => vtestAvi(),
  };
  const modes: TileMode[] = ['auto', 'adaptive', 'off'];
  const models: Record<string, LoadedModels> = {};
  for (const m of modes) models[m] = await loadIndexModels({ provider: 'cpu', detectionTiles: m });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-tiles-'));
  try {
    for (const name of which) {
      const file = clips[name]();
      const probe = await probeVideo(file, tools.ffprobe);
      let t0 = now();
      for await (const f of sampleFrames(file, { ffmpegPath: tools.ffmpeg, fps: 2, maxSide: DEFAULT_MAX_SIDE })) void f;
      const decodeS = now() - t0;
      console.log(`${name} (${probe.durationS.toFixed(0)} s): decode-only ${(probe.durationS / decodeS).toFixed(2)}× real time; load ${os.loadavg()[0].toFixed(1)}`);
      let reference: SightingBoxes[] = [];
      for (const mode of modes) {
        const load = os.loadavg()[0];
        const db = openOrCreateCase(path.join(dir, `${name}-${mode}.sqlite`), name);
        try {
          const { videoId } = await importVideo(db, file, { ffprobe: tools.ffprobe, fps: 2, user: 'bench' });
          const stages = newStageTimes();
          const passes0 = models[mode].detector.passesRun;
          const stop = sampleRss();
          t0 = now();
          const r = await indexVideo(db, videoId, models[mode], { ffmpeg: tools.ffmpeg, stageTimes: stages, motionGate: true, coarsePass: true });
          const s = now() - t0;
          const mem = await stop();
          const passes = models[mode].detector.passesRun - passes0;
          const sightings = sightingBoxes(db, videoId);
          if (mode === 'auto') reference = sightings;
          const rc = sightingRecall(reference, sightings);
          const tilesLabel = mode === 'auto' ? 'always' : mode;
          console.log(`  tiles ${tilesLabel}: ${(probe.durationS / s).toFixed(2)}× real time, ${(s / decodeS).toFixed(2)}× decode-only time, ${((mem.selfCpuS + mem.childCpuS) / probe.durationS).toFixed(3)} CPU s per video s; ` +
            `detector ${r.detectedFrames} frames, ${passes} passes; ${r.detections} detections; vs always: sightings recall ${rc.sightingRecall.toFixed(3)} (${rc.recalledSightings}/${rc.sightings}), detections ${rc.detectionRecall.toFixed(3)} (${rc.recalledDetections}/${rc.detections}); ` +
            `stages ${formatStageTimes(stages)}; load ${load.toFixed(1)}; ${new Date().toISOString().slice(11, 19)} UTC`);
          // Each missed sighting: its time span and its tallest box (source pixels): distant people are small.
          const tallest = (id: number): number => Math.max(...(reference.find((r) => r.id === id)?.boxes.map((b) => b.bbox[3]) ?? [0]));
          if (rc.missed.length && mode !== 'auto') console.log(`    missed sightings: ${rc.missed.map((m) => `${m.start.toFixed(1)}–${m.end.toFixed(1)} s (${tallest(m.id).toFixed(0)} px tall)`).join(', ')}`);
        } finally {
          db.close();
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const m of modes) await closeIndexModels(models[m]);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
