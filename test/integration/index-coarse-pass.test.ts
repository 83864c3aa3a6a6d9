// The keyframe-first coarse pass on real footage: a short CCTV clip built from vtest (empty scene,
// people walking, a long empty stretch, people again), 2 s GOP. Indexed ungated (the reference) and
// with the coarse pass + motion gate, with the real detector, IVT encoder, ffmpeg and SQLite: the
// empty stretches are not decoded in full, and every sighting of the reference is still found. A
// coarse run interrupted after its first skip resumes to exactly the uninterrupted coarse run.
// Skipped when opencv-doc's vtest.avi is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { indexVideo, type IndexOptions } from '../../electron/engine/indexing/indexVideo';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { buildCctvClip, VTEST_SYSTEM } from '../bench/fixtures';
import { sightingBoxes, sightingRecall } from '../bench/sightingRecall';
import { tempDir } from '../helpers/cli';

test('the coarse pass skips empty stretches, keeps every sighting of the ungated run, and resumes to the same index', { timeout: 900_000, skip: !fs.existsSync(VTEST_SYSTEM) && 'vtest.avi (opencv-doc) is not installed' }, async () => {
  const tools = resolveFfmpeg();
  const dir = tempDir('coarse');
  // 0–20 s empty, 20–32 s people, 32–60 s empty, 60–70 s people, 70–76 s empty.
  const clip = buildCctvClip(tools.ffmpeg, path.join(dir, 'cctv.mp4'),
    [{ idleS: 20 }, { vtestFromS: 0, seconds: 12 }, { idleS: 28 }, { vtestFromS: 30, seconds: 10 }, { idleS: 6 }], 768, 576);
  const models = await loadIndexModels({ provider: 'cpu' });
  const open = async (name: string) => {
    const db = openOrCreateCase(path.join(dir, `${name}.sqlite`), name);
    const { videoId } = await importVideo(db, clip, { ffprobe: tools.ffprobe, fps: 2, user: 'test' });
    return { db, videoId };
  };
  const run = async (name: string, opts: Partial<IndexOptions>) => {
    const { db, videoId } = await open(name);
    const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, ...opts });
    return { r, db, videoId, sightings: sightingBoxes(db, videoId) };
  };
  try {
    const full = await run('ungated', {});
    const coarse = await run('coarse', { coarsePass: true, motionGate: true });
    assert.ok(full.sightings.length >= 3, `the ungated run found ${full.sightings.length} sightings`);
    const plan = coarse.r.coarse!;
    assert.ok(plan, 'the coarse pass ran');
    assert.ok(Math.abs(plan.gopS - 2) < 0.05, `GOP ${plan.gopS} s`);
    // 48 s of the 76 are empty; after margins of one GOP each side at least 20 s must go undecoded.
    assert.ok(plan.skippedS >= 20, `skipped ${plan.skippedS} s: ${JSON.stringify(plan.skips)}`);
    assert.ok(coarse.r.frames <= full.r.frames - 40, `decoded ${coarse.r.frames} of ${full.r.frames} frames`);
    // Nothing with people in it is skipped: the walks are 20–32 s and 60–70 s.
    for (const s of plan.skips) assert.ok(s.untilS <= 20 || (s.afterS >= 32 && s.untilS <= 60) || s.afterS >= 70, `skip ${JSON.stringify(s)} overlaps a walk`);
    const recall = sightingRecall(full.sightings, coarse.sightings);
    assert.equal(recall.sightingRecall, 1, `sightings missed by the coarse run: ${JSON.stringify(recall.missed)}`);
    assert.ok(recall.detectionRecall >= 0.98, `detection recall ${recall.detectionRecall}`);
    assert.equal(sightingRecall(coarse.sightings, full.sightings).sightingRecall, 1, 'the coarse run sees only frames the full run saw');

    // Interrupted once the first batch after the first skip is committed, then resumed.
    const firstSkip = plan.skips[0];
    const resumed = await open('resumed');
    const stop = new AbortController();
    await assert.rejects(indexVideo(resumed.db, resumed.videoId, models, {
      ffmpeg: tools.ffmpeg, coarsePass: true, motionGate: true, signal: stop.signal,
      afterBatch: (t) => { if (t > firstSkip.untilS) stop.abort(); },
    }));
    const partial = resumed.db.prepare('SELECT indexed_until_s AS t FROM videos WHERE id = ?').get(resumed.videoId) as { t: number };
    assert.ok(partial.t > firstSkip.untilS && partial.t < 70, `interrupted at ${partial.t} s`);
    await indexVideo(resumed.db, resumed.videoId, models, { ffmpeg: tools.ffmpeg, coarsePass: true, motionGate: true });
    const rows = (db: typeof resumed.db, id: number) => db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE video_id = ? ORDER BY t_s, x, y').all(id);
    assert.deepEqual(rows(resumed.db, resumed.videoId), rows(coarse.db, coarse.videoId), 'resumed coarse run = uninterrupted coarse run');
    for (const d of [full.db, coarse.db, resumed.db]) d.close();
  } finally {
    await closeIndexModels(models);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
