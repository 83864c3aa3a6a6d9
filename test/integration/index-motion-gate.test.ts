// Motion-gated indexing of real footage keeps every sighting of the ungated run: a short CCTV clip
// built from vtest (empty scene, people walking, empty scene again), indexed both ways with the
// real detector, IVT encoder, ffmpeg and SQLite. Skipped when opencv-doc's vtest.avi is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { indexVideo } from '../../electron/engine/indexing/indexVideo';
import { loadIndexModels } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { buildCctvClip, VTEST_SYSTEM } from '../bench/fixtures';
import { sightingBoxes, sightingRecall } from '../bench/sightingRecall';
import { tempDir } from '../helpers/cli';

test('gated indexing of a real clip keeps every sighting of the ungated run, and skips the empty stretches', { timeout: 600_000, skip: !fs.existsSync(VTEST_SYSTEM) && 'vtest.avi (opencv-doc) is not installed' }, async () => {
  const tools = resolveFfmpeg();
  const dir = tempDir('gate');
  const clip = buildCctvClip(tools.ffmpeg, path.join(dir, 'cctv.mp4'),
    [{ idleS: 12 }, { vtestFromS: 0, seconds: 12 }, { idleS: 10 }, { vtestFromS: 30, seconds: 8 }, { idleS: 6 }], 768, 576);
  const models = await loadIndexModels({ provider: 'cpu' });
  const run = async (name: string, motionGate: boolean) => {
    const db = openOrCreateCase(path.join(dir, `${name}.sqlite`), name);
    const { videoId } = await importVideo(db, clip, { ffprobe: tools.ffprobe, fps: 2, user: 'test' });
    const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, motionGate });
    return { r, sightings: sightingBoxes(db, videoId), db };
  };
  try {
    const full = await run('ungated', false);
    const gated = await run('gated', true);
    assert.ok(full.sightings.length >= 3, `the ungated run found ${full.sightings.length} sightings`);
    assert.equal(gated.r.frames, full.r.frames, 'both runs decode the same frames');
    assert.equal(full.r.detectedFrames, full.r.frames);
    // 28 of the 48 s (56 frames) are empty; after each walk the gate holds 5 s: it must skip ≥ 20 frames.
    assert.ok(gated.r.detectedFrames <= full.r.frames - 20, `the gate let ${gated.r.detectedFrames} of ${gated.r.frames} frames through`);
    const recall = sightingRecall(full.sightings, gated.sightings);
    assert.equal(recall.sightingRecall, 1, `sightings missed by the gated run: ${JSON.stringify(recall.missed)}`);
    assert.ok(recall.detectionRecall >= 0.98, `detection recall ${recall.detectionRecall}`);
    // Everything the gated run found is on the ungated run's frames (it never sees frames the full run did not).
    assert.equal(sightingRecall(gated.sightings, full.sightings).sightingRecall, 1);
    full.db.close();
    gated.db.close();
  } finally {
    await models.detector.close();
    await models.encoder.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
