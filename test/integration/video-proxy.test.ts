// Playable proxies with the real ffmpeg: AVI/MS-MPEG4, MJPEG, H.265, an odd-size rotated MPEG-4 and
// a VFR file each get an H.264 fast-start MP4 whose frames carry the original's timestamps, with a
// keyframe at least every second, at the display size; originals untouched; a killed run resumes.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../../electron/engine/case/caseFile';
import { makeProxies, playbackById, proxyDirFor, videosNeedingProxy } from '../../electron/engine/playback';
import { sha256FileSync } from '../../electron/engine/video/hash';
import { playability } from '../../electron/engine/video/playable';
import { importWithoutIndexing, makeUnplayableClips, VTEST, type UnplayableClip } from '../fixtures/proxyCase';
import { ffmpegBin, ffprobeBin, ffprobeFrameTimes, ffprobeKeyframeTimes, makeTempDir, makeTestVideo } from '../fixtures/videos';

let dir: string;
let db: Db;
let clips: UnplayableClip[];
let ids: number[];
let nativeId: number;
const hashes = new Map<string, string>();

function probe(file: string): { format: { format_name: string }; streams: { codec_type: string; codec_name: string; pix_fmt?: string; width: number; height: number }[] } {
  return JSON.parse(execFileSync(ffprobeBin(), ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', `file:${file}`], { encoding: 'utf8' }));
}

before(async () => {
  dir = makeTempDir('sightline-proxy-');
  const made = makeUnplayableClips(dir);
  for (const s of made.skipped) console.log(`skipped: ${s}`);
  clips = made.clips;
  const native = makeTestVideo(dir, { name: 'native.mp4', durationS: 2, fps: 10, width: 320, height: 240 });
  for (const f of [...clips.map((c) => c.file), native]) hashes.set(f, sha256FileSync(f));
  const imported = await importWithoutIndexing(dir, [...clips.map((c) => c.file), native]);
  db = imported.db;
  ids = imported.ids.slice(0, clips.length);
  nativeId = imported.ids[clips.length];
});

after(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('Chromium-playable is decided from container and codec: H.264 MP4 plays, the others need a proxy', () => {
  assert.equal(playbackById(db, nativeId)!.state, 'native');
  for (const [i, c] of clips.entries()) {
    const p = playbackById(db, ids[i])!;
    assert.equal(p.state, 'pending', c.name);
    assert.ok(p.reason.length > 0, c.name);
    assert.equal(p.file, c.file, `${c.name}: until the proxy is made the original is what there is`);
  }
  assert.match(playbackById(db, ids[0])!.reason, /avi container, msmpeg4v2 codec/);
  assert.equal(playability({ format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2' }, streams: [{ codec_type: 'video', codec_name: 'h264', pix_fmt: 'yuv444p' }] }).native, false, '4:4:4 H.264 does not play in Chromium');
});

test('the proxy job makes an H.264 fast-start MP4 per unplayable video, same timestamps, keyframe ≤ 1 s, originals untouched', async () => {
  const dest = proxyDirFor(db, '');
  assert.equal(dest, `${db.name}.proxies`);
  const events: string[] = [];
  const r = await makeProxies(db, { ffmpeg: ffmpegBin(), dir: dest, onProgress: (e) => events.push(`${e.videoId}:${e.phase}`) });
  assert.deepEqual(r, { made: clips.length, failed: 0 });
  assert.ok(events.includes(`${ids[0]}:done`));
  for (const [i, c] of clips.entries()) {
    const p = playbackById(db, ids[i])!;
    assert.equal(p.state, 'ready', c.name);
    assert.equal(p.url, `media://proxy/${ids[i]}`);
    assert.ok(p.proxyPath!.startsWith(dest + path.sep), `${c.name}: proxy written beside the case`);
    assert.equal(p.proxySizeBytes, fs.statSync(p.proxyPath!).size);
    assert.ok(!fs.existsSync(`${p.proxyPath}.part`), 'no temporary file left');
    const j = probe(p.proxyPath!);
    const v = j.streams.find((s) => s.codec_type === 'video')!;
    assert.equal(v.codec_name, 'h264', c.name);
    assert.equal(v.pix_fmt, 'yuv420p', c.name);
    assert.match(j.format.format_name, /mp4/);
    // Upright at the display size the boxes are measured in; an odd side gains one padding pixel.
    assert.equal(v.width, c.displayW + (c.displayW % 2), `${c.name} width`);
    assert.equal(v.height, c.displayH + (c.displayH % 2), `${c.name} height`);
    // Fast start: the index (moov) is before the media data.
    const head = fs.readFileSync(p.proxyPath!).toString('latin1');
    assert.ok(head.indexOf('moov') < head.indexOf('mdat'), `${c.name}: moov before mdat`);
    // Same frames at the same times as the original (VFR gaps kept).
    const orig = ffprobeFrameTimes(c.file);
    const prox = ffprobeFrameTimes(p.proxyPath!);
    assert.equal(prox.length, orig.length, `${c.name}: frame count`);
    for (let k = 0; k < orig.length; k++) assert.ok(Math.abs(prox[k] - orig[k]) < 0.002, `${c.name}: frame ${k} at ${prox[k]} vs original ${orig[k]}`);
    // Any frame is at most one second (plus a frame) after the keyframe a seek decodes from; a VFR
    // recording gap holds no frames, so two keyframes may be further apart in time across it.
    const keys = ffprobeKeyframeTimes(p.proxyPath!);
    for (const f of prox) {
      const key = Math.max(...keys.filter((k) => k <= f + 1e-6));
      assert.ok(f - key <= 1 + 1.01 / c.fps, `${c.name}: frame ${f} is ${(f - key).toFixed(3)} s after keyframe ${key}`);
    }
    assert.equal(sha256FileSync(c.file), hashes.get(c.file), `${c.name}: original unchanged`);
  }
  assert.deepEqual(videosNeedingProxy(db), [], 'nothing left to do');
  assert.deepEqual(await makeProxies(db, { ffmpeg: ffmpegBin(), dir: dest }), { made: 0, failed: 0 }, 'a second run redoes nothing');
});

test('a run killed mid-proxy resumes: the half-made proxy is made again, a deleted proxy too', async () => {
  const stop = new AbortController();
  const p0 = playbackById(db, ids[0])!;
  fs.rmSync(p0.proxyPath!);
  assert.equal(playbackById(db, ids[0])!.state, 'pending', 'a proxy whose file is gone is not offered');
  const run = makeProxies(db, { ffmpeg: ffmpegBin(), dir: proxyDirFor(db, ''), signal: stop.signal, onProgress: (e) => { if (e.phase === 'writing') stop.abort(); } });
  await run;
  assert.equal(playbackById(db, ids[0])!.state, 'making');
  assert.ok(!fs.existsSync(p0.proxyPath!));
  const again = await makeProxies(db, { ffmpeg: ffmpegBin(), dir: proxyDirFor(db, '') });
  assert.deepEqual(again, { made: 1, failed: 0 });
  assert.equal(playbackById(db, ids[0])!.state, 'ready');
});

test('a file ffmpeg cannot turn into a proxy is recorded as failed with the reason, not retried forever', async () => {
  const broken = path.join(dir, 'broken.avi');
  fs.copyFileSync(clips[1].file, broken);
  const { db: db2, ids: [id] } = await importWithoutIndexing(makeTempDir('sightline-proxy-broken-'), [broken]);
  try {
    fs.truncateSync(broken, 0);
    const r = await makeProxies(db2, { ffmpeg: ffmpegBin(), dir: proxyDirFor(db2, '') });
    assert.deepEqual(r, { made: 0, failed: 1 });
    const p = playbackById(db2, id)!;
    assert.equal(p.state, 'failed');
    assert.match(p.error!, /broken\.avi/);
    assert.deepEqual(videosNeedingProxy(db2), []);
  } finally {
    db2.close();
  }
});

test('vtest.avi (real CCTV, AVI/MS-MPEG4) gets a playable proxy with the same frame times', { skip: fs.existsSync(VTEST) ? false : `${VTEST} not installed (Debian opencv-doc)` }, async () => {
  const d = makeTempDir('sightline-proxy-vtest-');
  const { db: db3, ids: [id] } = await importWithoutIndexing(d, [VTEST]);
  try {
    assert.equal(playbackById(db3, id)!.state, 'pending');
    const t0 = performance.now();
    await makeProxies(db3, { ffmpeg: ffmpegBin(), dir: proxyDirFor(db3, '') });
    const p = playbackById(db3, id)!;
    assert.equal(p.state, 'ready');
    const orig = ffprobeFrameTimes(VTEST);
    const prox = ffprobeFrameTimes(p.proxyPath!);
    assert.equal(prox.length, orig.length);
    assert.ok(Math.abs(prox[400] - orig[400]) < 0.002);
    console.log(`vtest.avi proxy: ${(p.proxySizeBytes! / 1e6).toFixed(1)} MB (original ${(fs.statSync(VTEST).size / 1e6).toFixed(1)} MB), made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    db3.close();
    fs.rmSync(d, { recursive: true, force: true });
  }
});
