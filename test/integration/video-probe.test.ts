// probeVideo against real ffprobe: metadata of good clips and the reason given for each bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { probeVideo } from '../../electron/engine/video/probe';
import { VideoError } from '../../electron/engine/video/errors';
import {
  ffprobeBin, makeAudioOnly, makeEmptyFile, makeGarbageFile, makeNoDecoderVideo, makeTempDir, makeTestVideo,
  makeTextFile, makeTruncatedMp4, makeUnicodeLongPath,
} from '../fixtures/videos';

let dir = '';
before(() => {
  dir = makeTempDir();
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function reasonOf(file: string): Promise<string> {
  try {
    await probeVideo(file, ffprobeBin());
  } catch (e) {
    assert.ok(e instanceof VideoError, `not a VideoError: ${String(e)}`);
    assert.equal(e.file, file);
    assert.equal(e.message, `${file}: ${e.reason}`);
    return e.reason;
  }
  throw new Error(`probe of ${file} did not fail`);
}

describe('probeVideo on good clips', () => {
  it('reads duration, fps, size, codec, creation time and keeps the raw JSON', async () => {
    const file = makeTestVideo(dir, {
      name: 'cam.mp4', durationS: 2, fps: 25, width: 320, height: 240, creationTime: '2024-03-05T14:07:09.000000Z',
    });
    const p = await probeVideo(file, ffprobeBin());
    assert.ok(Math.abs(p.durationS - 2) < 0.05, `duration ${p.durationS}`);
    assert.equal(p.fps, 25);
    assert.equal(p.width, 320);
    assert.equal(p.height, 240);
    assert.equal(p.codec, 'h264');
    assert.equal(p.rotation, 0);
    assert.equal(p.creationTime, '2024-03-05T14:07:09.000Z');
    const raw = p.raw as { streams: unknown[]; format: { format_name: string } };
    assert.ok(Array.isArray(raw.streams));
    assert.match(raw.format.format_name, /mp4/);
  });

  it('rotation: display size, and the clockwise angle', async () => {
    for (const rotate of [90, 180, 270] as const) {
      const file = makeTestVideo(dir, { name: `rot${rotate}.mp4`, durationS: 1, fps: 10, width: 320, height: 240, rotate });
      const p = await probeVideo(file, ffprobeBin());
      assert.equal(p.rotation, rotate);
      assert.deepEqual([p.width, p.height], rotate === 180 ? [320, 240] : [240, 320]);
    }
  });

  it('other codecs and containers; no creation time → null; VFR average rate', async () => {
    const cases = [
      { name: 'x.mkv', codec: 'hevc' as const, want: 'hevc' },
      { name: 'x.avi', codec: 'mpeg4' as const, want: 'mpeg4' },
      { name: 'x.mov', codec: 'mjpeg' as const, want: 'mjpeg' },
      { name: 'x.webm', codec: 'vp9' as const, want: 'vp9' },
    ];
    for (const c of cases) {
      const file = makeTestVideo(dir, { name: c.name, durationS: 1, fps: 10, width: 160, height: 120, codec: c.codec });
      const p = await probeVideo(file, ffprobeBin());
      assert.equal(p.codec, c.want, c.name);
      assert.equal(p.width, 160);
      assert.equal(p.creationTime, null);
    }
    const vfr = makeTestVideo(dir, { name: 'vfr.mp4', durationS: 3, fps: 25, width: 160, height: 120, vfr: true });
    const p = await probeVideo(vfr, ffprobeBin());
    assert.ok(p.fps > 10 && p.fps < 25, `avg fps of a clip with a 1.3 s gap: ${p.fps}`);
    assert.ok(p.durationS > 4, `duration includes the gap: ${p.durationS}`);
  });

  it('unicode and very long paths', async () => {
    const file = makeUnicodeLongPath(dir);
    const p = await probeVideo(file, ffprobeBin());
    assert.equal(p.width, 160);
  });
});

describe('probeVideo on bad input: a reason a user understands', () => {
  it('empty, text, garbage, truncated, no decoder, audio only, missing, folder', async () => {
    assert.equal(await reasonOf(makeEmptyFile(dir)), 'empty file (0 bytes)');
    assert.equal(await reasonOf(makeTextFile(dir)), 'not a video (text file)');
    assert.equal(await reasonOf(makeGarbageFile(dir)), 'not a video (unrecognized data)');
    assert.equal(await reasonOf(makeTruncatedMp4(dir)), 'truncated or corrupt (moov atom not found)');
    assert.equal(await reasonOf(makeNoDecoderVideo(dir)), "unsupported codec 'a64m' (no decoder)");
    assert.equal(await reasonOf(makeAudioOnly(dir)), 'no video stream');
    assert.equal(await reasonOf(path.join(dir, 'nope.mp4')), 'no such file');
    fs.mkdirSync(path.join(dir, 'folder.mp4'));
    assert.equal(await reasonOf(path.join(dir, 'folder.mp4')), 'not a file (directory)');
  });

  it('a still image is not a video', async () => {
    const png = path.join(dir, 'still.png');
    fs.writeFileSync(png, Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    assert.equal(await reasonOf(png), 'not a video (still image)');
  });

  it('unreadable file: permission denied', { skip: process.getuid?.() === 0 ? 'running as root: permissions are not enforced' : false }, async () => {
    const file = makeTestVideo(dir, { name: 'locked.mp4', durationS: 1, fps: 10, width: 160, height: 120 });
    fs.chmodSync(file, 0o000);
    try {
      assert.equal(await reasonOf(file), 'unreadable (permission denied)');
    } finally {
      fs.chmodSync(file, 0o644);
    }
  });

  it('probing never modifies the original', async () => {
    const file = makeTestVideo(dir, { name: 'orig.mp4', durationS: 1, fps: 10, width: 160, height: 120 });
    const before = fs.statSync(file);
    const bytes = fs.readFileSync(file);
    await probeVideo(file, ffprobeBin());
    const afterStat = fs.statSync(file);
    assert.equal(afterStat.mtimeMs, before.mtimeMs);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });
});
