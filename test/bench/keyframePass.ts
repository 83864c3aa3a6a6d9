// The coarse pass's keyframe look alone (indexing/coarsePass.ts lookAtKeyframes + planSkips), with the
// detector on still runs' first keyframes (every relookS, the default) against the detector on every
// still keyframe (relookS 0, the pass before still runs), interleaved `rounds` times on each clip:
// wall and CPU seconds (node + ffmpeg), keyframes the detector saw, and whether the plans are equal.
//   npx tsc -p tsconfig.json && nice -n 5 node dist/test/bench/keyframePass.js [rounds]
// Clips: the first 180 s of both realistic clips (fixtures.ts, generated into the cache on first use).
import * as os from 'node:os';
import { DEFAULT_COARSE, lookAtKeyframes, planSkips } from '../../electron/engine/indexing/coarsePass';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import type { Detector } from '../../electron/engine/vision/detector';
import { CCTV_CAMERA, CCTV_HARD, cctvRealistic, cutOf } from './fixtures';
import { sampleRss } from './memory';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2);
  const tools = resolveFfmpeg();
  const models = await loadIndexModels({ provider: 'cpu' });
  let seen = 0;
  const counting = Object.create(models.detector, {
    detect: { value: (frames: Parameters<Detector['detect']>[0]) => { seen += frames.length; return models.detector.detect(frames); } },
  }) as Detector;
  for (const enc of [CCTV_HARD, CCTV_CAMERA]) {
    const file = cutOf(tools.ffmpeg, cctvRealistic(tools.ffmpeg, enc), 0, 180);
    const plans: Record<string, string> = {};
    for (let r = 0; r < rounds; r++) {
      for (const [name, relookS] of [['still runs', DEFAULT_COARSE.relookS], ['every still keyframe', 0]] as const) {
        const load = os.loadavg()[0];
        const opts = { ...DEFAULT_COARSE, relookS };
        seen = 0;
        const stop = sampleRss();
        const t0 = performance.now();
        const looks = await lookAtKeyframes(file, counting, { ffmpegPath: tools.ffmpeg, opts });
        const s = (performance.now() - t0) / 1000;
        const cpu = await stop();
        const plan = planSkips(looks, opts);
        plans[name] = JSON.stringify(plan.skips);
        console.log(`${enc.name} first 180 s, ${name}: ${s.toFixed(2)} s wall, ${(cpu.selfCpuS + cpu.childCpuS).toFixed(2)} CPU s (ffmpeg ${cpu.childCpuS.toFixed(2)}), detector on ${seen} of ${looks.length} keyframes, skipped ${plan.skippedS.toFixed(0)} s; load ${load.toFixed(1)}`);
      }
    }
    console.log(`${enc.name}: plans ${plans['still runs'] === plans['every still keyframe'] ? 'equal' : `DIFFER: ${plans['still runs']} vs ${plans['every still keyframe']}`}`);
  }
  await closeIndexModels(models);
}

main().catch((e) => { console.error(e); process.exit(1); });
