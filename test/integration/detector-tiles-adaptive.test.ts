// Adaptive detection tiles (vision/tiles.ts TileKeeper) with the real detector on real footage:
// - close range (vtest's people at 1920×1080, as the realistic CCTV clip): the whole-frame pass sees everyone,
//   so tiles pause after their first keepS and only probes run them; every person tiles-always finds is found;
// - small distant people (street1080p: four vtest views 2×2): tiles keep finding people and stay on, every frame;
// - a run killed mid-video and resumed detects exactly as an uninterrupted one (the keeper's state is saved with
//   each batch; a fresh keeper would tile the first keepS after the resume point again).
// Skipped when opencv-doc's vtest.avi is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { DEFAULT_MAX_SIDE, indexVideo } from '../../electron/engine/indexing/indexVideo';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { plausiblePeople } from '../../electron/engine/indexing/personFilter';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { Detector } from '../../electron/engine/vision/detector';
import { iou } from '../../electron/engine/vision/nms';
import { ADAPTIVE_TILES, TileKeeper } from '../../electron/engine/vision/tiles';
import { street1080p, VTEST_SYSTEM } from '../bench/fixtures';
import { tempDir } from '../helpers/cli';

const skip = !fs.existsSync(VTEST_SYSTEM) && 'vtest.avi (opencv-doc) is not installed';

/** vtest's first `seconds` as the realistic CCTV clip frames it: 1920 wide, cropped to 1080 rows (people at close range). */
function closeRange(ffmpeg: string, dir: string, seconds: number): string {
  const out = path.join(dir, 'close-range-1080p.mp4');
  execFileSync(ffmpeg, ['-y', '-v', 'error', '-t', String(seconds), '-i', VTEST_SYSTEM, '-vf', 'fps=10,scale=1920:1440,crop=1920:1080,format=yuv420p',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', '-an', out]);
  return out;
}

async function framesOf(file: string, ffmpeg: string): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of sampleFrames(file, { ffmpegPath: ffmpeg, fps: 2, maxSide: DEFAULT_MAX_SIDE })) out.push(f);
  return out;
}

/** Adaptive detection over a video's frames in batches of 8: people per frame and which frames were tiled. */
async function adaptive(det: Detector, frames: Frame[]): Promise<{ people: ReturnType<typeof plausiblePeople>[]; tilePasses: number; keeper: TileKeeper }> {
  const keeper = new TileKeeper();
  const people: ReturnType<typeof plausiblePeople>[] = [];
  const before = det.passesRun;
  for (let i = 0; i < frames.length; i += 8) {
    const batch = frames.slice(i, i + 8);
    const found = await det.detect(batch, { keeper, times: batch.map((f) => f.timeS), plausible: plausiblePeople });
    found.forEach((d, k) => people.push(plausiblePeople(d, batch[k].width, batch[k].height)));
  }
  return { people, tilePasses: det.passesRun - before - frames.length, keeper };
}

test('adaptive tiles: paused at close range without losing anyone, on all the time for small distant people', { timeout: 600_000, skip }, async () => {
  const { ffmpeg } = resolveFfmpeg();
  const dir = tempDir('tiles-adaptive');
  const always = await Detector.load(undefined, { provider: 'cpu', tiles: 'auto' });
  const det = await Detector.load(undefined, { provider: 'cpu', tiles: 'adaptive' });
  try {
    const close = await framesOf(closeRange(ffmpeg, dir, 40), ffmpeg);
    const a = await adaptive(det, close);
    const last = close[close.length - 1].timeS;
    assert.ok(a.keeper.pausedAfter(last), `close range: tiles paused by ${last} s (on until ${a.keeper.state.onUntilS})`);
    const tiledFrames = a.tilePasses / 2;
    assert.ok(tiledFrames <= 0.75 * close.length, `close range: ${tiledFrames} of ${close.length} frames tiled`);
    assert.ok(tiledFrames >= ADAPTIVE_TILES.keepS * 2, 'the first keepS is tiled');
    // Everyone tiles-always finds is found (IoU ≥ 0.5; boxes of one person may differ slightly between passes).
    let ref = 0, hit = 0;
    for (let i = 0; i < close.length; i += 8) {
      const batch = close.slice(i, i + 8);
      (await always.detect(batch)).forEach((d, k) => {
        for (const p of plausiblePeople(d, batch[k].width, batch[k].height)) { ref++; if (a.people[i + k].some((q) => iou(q.bbox, p.bbox) >= 0.5)) hit++; }
      });
    }
    assert.ok(ref > 100 && hit >= 0.98 * ref, `close range: ${hit} of ${ref} people of tiles-always found`);

    const street = await framesOf(street1080p(ffmpeg, 30), ffmpeg);
    const s = await adaptive(det, street);
    assert.equal(s.tilePasses, 2 * street.length, 'small distant people: every frame tiled');
    assert.ok(!s.keeper.pausedAfter(street[street.length - 1].timeS));
  } finally {
    await always.close();
    await det.close();
  }
});

test('adaptive tiles: a killed run resumed mid-video detects exactly as an uninterrupted one', { timeout: 600_000, skip }, async () => {
  const { ffmpeg, ffprobe } = resolveFfmpeg();
  const dir = tempDir('tiles-resume');
  const file = closeRange(ffmpeg, dir, 40);
  const models = await loadIndexModels({ provider: 'cpu', detectionTiles: 'adaptive' });
  const detections = (db: ReturnType<typeof openOrCreateCase>): string[] =>
    (db.prepare('SELECT t_s, x, y, w, h FROM detections ORDER BY t_s, x, y').all() as object[]).map((r) => JSON.stringify(r));
  try {
    const ref = openOrCreateCase(path.join(dir, 'reference.sqlite'), 'test');
    const { videoId: refId } = await importVideo(ref, file, { ffprobe, fps: 2, user: 'test' });
    await indexVideo(ref, refId, models, { ffmpeg });

    const db = openOrCreateCase(path.join(dir, 'resumed.sqlite'), 'test');
    const { videoId } = await importVideo(db, file, { ffprobe, fps: 2, user: 'test' });
    const stop = new AbortController();
    // Killed after the tiles paused (keepS after the first frame) and before the end.
    const killAt = ADAPTIVE_TILES.keepS + 6;
    await assert.rejects(indexVideo(db, videoId, models, { ffmpeg, signal: stop.signal, afterBatch: (t) => { if (t >= killAt) stop.abort(); } }));
    const partial = detections(db).length;
    await indexVideo(db, videoId, models, { ffmpeg });
    const a = detections(db), b = detections(ref);
    assert.ok(partial > 0 && partial < b.length, `killed part-way (${partial} of ${b.length} detections committed)`);
    assert.deepEqual(a, b);
    ref.close();
    db.close();
  } finally {
    await closeIndexModels(models);
  }
});
