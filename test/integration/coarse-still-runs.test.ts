// The coarse pass looks at one keyframe per still run (and again every relookS), not at every
// keyframe of it: on real footage with the real detector and ffmpeg, the plan must be the one the
// detector would give looking at every keyframe (relookS 0), people standing still through a run
// must keep their stretch, and people walking in must break the run. Clip built from vtest (768×576,
// 2 s GOP): empty scene, a vtest frame held still (people standing), empty, a walk, empty.
// Skipped when opencv-doc's vtest.avi is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_COARSE, lookAtKeyframes, planSkips } from '../../electron/engine/indexing/coarsePass';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import type { Detector } from '../../electron/engine/vision/detector';
import { buildCctvClip, VTEST_SYSTEM } from '../bench/fixtures';
import { tempDir } from '../helpers/cli';

test('coarse pass, still runs: same plan as looking at every keyframe, standing people kept, a walk-in breaks the run', { timeout: 600_000, skip: !fs.existsSync(VTEST_SYSTEM) && 'vtest.avi (opencv-doc) is not installed' }, async () => {
  const tools = resolveFfmpeg();
  const dir = tempDir('still-runs');
  // 0–20 s empty, 20–50 s people standing (one vtest frame held), 50–74 s empty, 74–84 s people walking, 84–100 s empty.
  const clip = buildCctvClip(tools.ffmpeg, path.join(dir, 'cctv.mp4'),
    [{ idleS: 20 }, { stillAtS: 30, seconds: 30 }, { idleS: 24 }, { vtestFromS: 0, seconds: 10 }, { idleS: 16 }], 768, 576);
  const models = await loadIndexModels({ provider: 'cpu' });
  try {
    // The real detector, counting the keyframes it is given.
    let seen = 0;
    const counting = Object.create(models.detector, {
      detect: { value: (frames: Parameters<Detector['detect']>[0]) => { seen += frames.length; return models.detector.detect(frames); } },
    }) as Detector;
    const look = async (relookS: number) => {
      seen = 0;
      const opts = { ...DEFAULT_COARSE, relookS };
      const looks = await lookAtKeyframes(clip, counting, { ffmpegPath: tools.ffmpeg, opts });
      return { looks, plan: planSkips(looks, opts), detected: seen };
    };
    const everyKeyframe = await look(0);
    const stillRuns = await look(DEFAULT_COARSE.relookS);
    assert.equal(stillRuns.looks.length, 50, 'one keyframe per 2 s GOP');

    // Standing people: every keyframe of the held frame counts them (its own look or its run's).
    const standing = stillRuns.looks.filter((k) => k.timeS > 20.5 && k.timeS < 49.5);
    assert.ok(standing.every((k) => (k.people ?? 0) > 0), `standing stretch: ${JSON.stringify(standing)}`);
    // The walk-in is a change: no keyframe of it is counted empty.
    const walk = stillRuns.looks.filter((k) => k.timeS > 74.5 && k.timeS < 83.5);
    assert.ok(walk.length >= 4 && walk.every((k) => k.people !== 0), `walk: ${JSON.stringify(walk)}`);
    for (const s of stillRuns.plan.skips) {
      assert.ok(s.untilS <= 20 || (s.afterS >= 50 && s.untilS <= 74) || s.afterS >= 84, `skip ${JSON.stringify(s)} overlaps people`);
    }
    // The empty stretches are skipped, exactly as when the detector looks at every still keyframe.
    assert.ok(stillRuns.plan.skippedS >= 20, `skipped ${stillRuns.plan.skippedS} s: ${JSON.stringify(stillRuns.plan.skips)}`);
    assert.deepEqual(stillRuns.plan.skips, everyKeyframe.plan.skips);
    // … for a fraction of the detector's work.
    assert.ok(stillRuns.detected * 2 <= everyKeyframe.detected, `detector saw ${stillRuns.detected} keyframes, ${everyKeyframe.detected} looking at every still one`);
  } finally {
    await closeIndexModels(models);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
