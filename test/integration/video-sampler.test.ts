// The sampler against real ffmpeg: exact source timestamps (CFR and VFR), rotation, downscale,
// resume, stopping, and damaged files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { sampleFrames, Frame, SampleOptions } from '../../electron/engine/video/sampler';
import { VideoError } from '../../electron/engine/video/errors';
import {
  ffmpegBin, ffprobeFrameTimes, makeTempDir, makeTestVideo, makeTruncatedMp4, makeNoDecoderVideo,
  makeTextFile, makeEmptyFile, makeUnicodeLongPath, ffprobeKeyframeTimes, makeGlitchedMp4,
} from '../fixtures/videos';

let dir = '';
before(() => {
  dir = makeTempDir();
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function collect(file: string, opts: Partial<SampleOptions> & { fps: number }): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const f of sampleFrames(file, { ffmpegPath: ffmpegBin(), ...opts })) frames.push(f);
  return frames;
}

/** ffmpeg processes that are children of this test process (Linux/macOS ps). */
function ffmpegChildren(): number {
  const out = execFileSync('ps', ['-A', '-o', 'ppid=,comm='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => {
    const [ppid, comm] = l.trim().split(/\s+/, 2);
    return Number(ppid) === process.pid && /ffmpeg/.test(comm ?? '');
  }).length;
}

/** Oracle from ffprobe's own frame list: the first frame at or after each 1/fps tick. */
function expectedTimes(all: number[], fps: number): number[] {
  const out: number[] = [];
  let lastTick = -Infinity;
  for (const t of [...all].sort((a, b) => a - b)) {
    const tick = Math.floor(t * fps + 1e-6);
    if (tick > lastTick) {
      out.push(t);
      lastTick = tick;
    }
  }
  return out;
}

function assertTimesEqual(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `frame count: got ${actual.join(', ')}; want ${expected.join(', ')}`);
  actual.forEach((t, i) => assert.ok(Math.abs(t - expected[i]) < 1e-5, `frame ${i}: ${t} vs ${expected[i]}`));
}

describe('sampleFrames timestamps', () => {
  it('CFR: frames carry the source pts of the first frame at or after each tick', async () => {
    const file = makeTestVideo(dir, { name: 'cfr.mp4', durationS: 3, fps: 25, width: 320, height: 240 });
    const frames = await collect(file, { fps: 2 });
    assertTimesEqual(frames.map((f) => f.timeS), expectedTimes(ffprobeFrameTimes(file), 2));
    assert.deepEqual(frames.map((f) => f.index), frames.map((_, i) => i));
    for (const f of frames) {
      assert.equal(f.width, 320);
      assert.equal(f.height, 240);
      assert.equal(f.scale, 1);
      assert.equal(f.data.length, 320 * 240 * 3);
    }
    // A moving figure: consecutive samples differ.
    assert.notDeepEqual(Buffer.from(frames[0].data), Buffer.from(frames[1].data));
  });

  it('CFR 29.97 (NTSC rate) at 3 fps: no drift over the clip', async () => {
    const file = makeTestVideo(dir, { name: 'ntsc.mkv', durationS: 4, fps: 30000 / 1001, width: 160, height: 120 });
    const frames = await collect(file, { fps: 3 });
    const want = expectedTimes(ffprobeFrameTimes(file), 3);
    assert.ok(want.length >= 11);
    assertTimesEqual(frames.map((f) => f.timeS), want);
  });

  it('VFR: timestamps follow the real pts, gaps and jitter included', async () => {
    const file = makeTestVideo(dir, { name: 'vfr.mp4', durationS: 3, fps: 25, width: 320, height: 240, vfr: true });
    const all = ffprobeFrameTimes(file);
    // Sanity of the fixture: it really is VFR (a >1 s gap and uneven spacing).
    const gaps = all.slice(1).map((t, i) => t - all[i]);
    assert.ok(Math.max(...gaps) > 1, 'fixture has a recording gap');
    assert.ok(new Set(gaps.map((g) => g.toFixed(4))).size > 2, 'fixture has uneven spacing');
    for (const fps of [2, 5]) {
      const frames = await collect(file, { fps });
      assertTimesEqual(frames.map((f) => f.timeS), expectedTimes(all, fps));
      // Not index/fps: somewhere a sample time is off the tick grid.
      assert.ok(frames.some((f) => Math.abs(f.timeS - f.index / fps) > 0.005));
    }
  });
});

describe('sampleFrames keyframesOnly', () => {
  it('samples land only on keyframes, still with their exact pts', async () => {
    const file = makeTestVideo(dir, { name: 'gop.mp4', durationS: 4, fps: 25, width: 160, height: 120, gop: 25 });
    const keys = ffprobeKeyframeTimes(file);
    assert.equal(keys.length, 4);
    const frames = await collect(file, { fps: 2, keyframesOnly: true });
    assertTimesEqual(frames.map((f) => f.timeS), keys);
    assert.equal((await collect(file, { fps: 2 })).length, 8);
  });
});

describe('sampleFrames picture', () => {
  it('rotated clip: frames have the display size and the picture is turned clockwise', async () => {
    const plain = makeTestVideo(dir, { name: 'plain.mp4', durationS: 1, fps: 10, width: 320, height: 240, background: 'black', figures: 0, marker: true });
    const rotated = makeTestVideo(dir, { name: 'rot90.mp4', durationS: 1, fps: 10, width: 320, height: 240, background: 'black', figures: 0, marker: true, rotate: 90 });
    const [p] = await collect(plain, { fps: 1 });
    const [r] = await collect(rotated, { fps: 1 });
    assert.equal(p.width, 320);
    assert.equal(p.height, 240);
    assert.equal(r.width, 240);
    assert.equal(r.height, 320);
    const lum = (f: Frame, x: number, y: number) => f.data[(y * f.width + x) * 3];
    // The marker sits top-left in the stored picture; turned 90° clockwise it is top-right.
    assert.ok(lum(p, 70, 60) > 200 && lum(p, 250, 60) < 50);
    assert.ok(lum(r, 240 - 60, 70) > 200, 'marker top-right after rotation');
    assert.ok(lum(r, 60, 70) < 50, 'nothing top-left after rotation');
    const [small] = await collect(rotated, { fps: 1, maxSide: 160 });
    assert.equal(small.width, 120);
    assert.equal(small.height, 160);
    assert.equal(small.scale, 0.5);
  });

  it('maxSide downscales keeping the aspect and reports the scale; small frames are left alone', async () => {
    const file = makeTestVideo(dir, { name: 'wide.mp4', durationS: 1, fps: 10, width: 640, height: 360 });
    const [f] = await collect(file, { fps: 1, maxSide: 320 });
    assert.equal(f.width, 320);
    assert.equal(f.height, 180);
    assert.equal(f.scale, 0.5);
    assert.equal(f.data.length, 320 * 180 * 3);
    const [g] = await collect(file, { fps: 1, maxSide: 4000 });
    assert.equal(g.width, 640);
    assert.equal(g.scale, 1);
  });
});

describe('sampleFrames resume and stop', () => {
  it('startS resumes after a source time with the same frames and pixels as a full run', async () => {
    const file = makeTestVideo(dir, { name: 'resume.mp4', durationS: 6, fps: 25, width: 320, height: 240, vfr: true });
    const full = await collect(file, { fps: 2 });
    for (const k of [0, 5, full.length - 3]) {
      const startS = full[k].timeS;
      const rest = await collect(file, { fps: 2, startS });
      assertTimesEqual(rest.map((f) => f.timeS), full.slice(k + 1).map((f) => f.timeS));
      assert.equal(rest[0].index, 0);
      assert.deepEqual(Buffer.from(rest[0].data), Buffer.from(full[k + 1].data));
    }
    // A start time between samples: everything after it, nothing before.
    const mid = (full[6].timeS + full[7].timeS) / 2;
    const rest = await collect(file, { fps: 2, startS: mid });
    assertTimesEqual(rest.map((f) => f.timeS), full.slice(7).map((f) => f.timeS));
    assert.equal((await collect(file, { fps: 2, startS: 1e6 })).length, 0);
  });

  it('breaking out of the loop stops ffmpeg; abort throws AbortError', async () => {
    const file = makeTestVideo(dir, { name: 'long.mp4', durationS: 8, fps: 25, width: 320, height: 240 });
    let n = 0;
    const t0 = Date.now();
    for await (const f of sampleFrames(file, { ffmpegPath: ffmpegBin(), fps: 25 })) {
      assert.equal(f.index, n);
      if (++n === 2) break;
    }
    assert.equal(n, 2);
    assert.ok(Date.now() - t0 < 5000);
    await new Promise((r) => setTimeout(r, 300)); // let the killed child be reaped
    assert.equal(ffmpegChildren(), 0, 'ffmpeg still running after break');

    const ac = new AbortController();
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const f of sampleFrames(file, { ffmpegPath: ffmpegBin(), fps: 25, signal: ac.signal })) {
        seen.push(f.timeS);
        if (seen.length === 3) ac.abort();
      }
    }, (e: Error) => e.name === 'AbortError');
    assert.equal(seen.length, 3);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ffmpegChildren(), 0, 'ffmpeg still running after abort');
  });

  it('a slow consumer does not make the sampler buffer the whole video', async () => {
    // 1280x720 rgb24 = 2.7 MB a frame; 50 frames would be 138 MB if read ahead.
    const file = makeTestVideo(dir, { name: 'hd.mp4', durationS: 2, fps: 25, width: 1280, height: 720 });
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let n = 0;
    for await (const f of sampleFrames(file, { ffmpegPath: ffmpegBin(), fps: 25 })) {
      void f;
      if (n++ === 0) await new Promise((r) => setTimeout(r, 800)); // ffmpeg runs ahead only as far as the pipe lets it
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    assert.equal(n, 50);
    assert.ok(peak < 40e6, `peak buffered ${(peak / 1e6).toFixed(1)} MB`);
  });
});

describe('sampleFrames damaged input', () => {
  it('truncated MP4 with its index intact: frames up to the damage, then a VideoError', async () => {
    const file = makeTruncatedMp4(dir, 'cut-faststart.mp4', true);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const f of sampleFrames(file, { ffmpegPath: ffmpegBin(), fps: 2 })) seen.push(f.timeS);
    }, (e: unknown) => e instanceof VideoError && /^truncated or corrupt \(/.test(e.reason) && e.file === file);
    assert.ok(seen.length >= 1 && seen.length < 8, `decoded ${seen.length} samples of 8`);
  });

  it('concealed decode errors mid-file do not fail the video', async () => {
    const file = makeGlitchedMp4(dir);
    const frames = await collect(file, { fps: 2 });
    assert.equal(frames.length, 8);
  });

  it('truncated MP4 without index, no decoder, text, empty: clear reasons', async () => {
    const cases: [string, RegExp][] = [
      [makeTruncatedMp4(dir, 'cut.mp4'), /^truncated or corrupt \(moov atom not found\)$/],
      [makeNoDecoderVideo(dir), /^unsupported codec '.+' \(no decoder\)$/],
      [makeTextFile(dir), /^not a video \(text file\)$/],
      [makeEmptyFile(dir), /^empty file \(0 bytes\)$/],
      [`${dir}/missing.mp4`, /^no such file$/],
    ];
    for (const [file, re] of cases) {
      await assert.rejects(collect(file, { fps: 2 }), (e: unknown) => e instanceof VideoError && re.test(e.reason),
        file);
    }
  });

  it('unicode and very long paths decode (argv, no shell)', async () => {
    const file = makeUnicodeLongPath(dir);
    assert.ok(file.length > 1000);
    const frames = await collect(file, { fps: 2 });
    assert.equal(frames.length, 2);
  });
});
