// Detection tiles with the real detector: distant people in a wide frame that the single full-frame
// pass misses are found, and no person gets two boxes. The frame: vtest.avi at 20 s, shrunk to
// 640×480 inside a 1280×720 canvas (people ~25 px tall in the detector's input when not tiled).
// Skipped when opencv-doc's vtest.avi is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Detector } from '../../electron/engine/vision/detector';
import { iou } from '../../electron/engine/vision/nms';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { VTEST_SYSTEM } from '../bench/fixtures';

test('tiling finds distant people the whole-frame pass misses, one box each', { timeout: 120_000, skip: !fs.existsSync(VTEST_SYSTEM) && 'vtest.avi (opencv-doc) is not installed' }, async () => {
  const { ffmpeg } = resolveFfmpeg();
  const data = execFileSync(ffmpeg, ['-v', 'error', '-ss', '20', '-i', VTEST_SYSTEM, '-frames:v', '1', '-vf', 'scale=640:480,pad=1280:720:0:120:gray',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  const frame = { width: 1280, height: 720, data: new Uint8Array(data) };
  const single = await Detector.load(undefined, { provider: 'cpu', tiles: 'off' });
  const tiled = await Detector.load(undefined, { provider: 'cpu', tiles: 'auto' });
  try {
    const one = await single.detectFrame(frame);
    const many = await tiled.detectFrame(frame);
    assert.ok(many.length >= one.length + 2, `tiled ${many.length} vs single pass ${one.length}`);
    for (const d of one) assert.ok(many.some((m) => iou(m.bbox, d.bbox) > 0.5), 'every single-pass person is still found');
    for (let i = 0; i < many.length; i++) for (let j = i + 1; j < many.length; j++) assert.ok(iou(many[i].bbox, many[j].bbox) < 0.5, 'one box per person');
    assert.equal(tiled.identity, `${tiled.manifest.id}@${tiled.manifest.version}+tiles`, 'tiling is part of the index identity');
    assert.equal(single.identity, `${single.manifest.id}@${single.manifest.version}`);
  } finally {
    await single.close();
    await tiled.close();
  }
});
