// Team server pieces that need no server: the stitch pass against the online tracker, chunk windows,
// path maps, and how a connection string is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BBox } from '../../electron/engine/contract';
import { Tracker, type TrackedDetection } from '../../electron/engine/indexing/tracker';
import { stitch as stitchTracklets } from '../../electron/engine/indexing/stitcher';
import { stitch } from '../../electron/engine/team/stitch';
import { chunkWindow, mapPath } from '../../electron/engine/team/chunkIndexer';
import { redact, scrub } from '../../electron/engine/team/server';
import { isTeam } from '../../electron/cli/teamArgs';
import type { StoredDetection } from '../../electron/engine/team/caseStore';

/** Deterministic pseudo-random unit vectors and scenes (people walking, pausing out of sight, weak boxes). */
function scene(seed: number): { frames: number[]; dets: StoredDetection[] } {
  let s = seed;
  const rnd = (): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31; };
  const look = (k: number): Float32Array => {
    const v = new Float32Array(16).map((_, i) => Math.sin((k + 1) * (i + 1) * 1.7) + 0.1 * rnd());
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const frames: number[] = [];
  const dets: StoredDetection[] = [];
  let id = 1;
  for (let f = 0; f < 120; f++) {
    const t = f * 0.5;
    frames.push(t);
    let rank = 0;
    for (let p = 0; p < 4; p++) {
      // Each person is in view for a stretch, gone (empty frames) for a while, and back.
      if (((f + p * 17) % 50) > 30) continue;
      if (rnd() < 0.1) continue; // missed by the detector now and then
      const bbox: BBox = [50 + ((f * (20 + p * 7)) % 800), 100 + p * 60, 40 + p, 100 + 2 * p];
      dets.push({ id: id++, t, rank: rank++, bbox, score: rnd() < 0.2 ? 0.35 : 0.8, reid: look(p) });
    }
  }
  return { frames, dets };
}

test('stitching a whole video\'s stored detections gives the sightings of the online tracker + tracklet stitching (empty frames included)', () => {
  for (const seed of [1, 7, 42]) {
    const { frames, dets } = scene(seed);
    // Online: every sampled frame, with or without detections, as indexVideo.ts steps it; then the
    // fragments joined as indexing/stitchSightings.ts does at the end of the video.
    const online = new Tracker();
    const groups = new Map<object, number[]>();
    const seen = new Map<object, TrackedDetection[]>();
    for (const t of frames) {
      const here = dets.filter((d) => d.t === t);
      const by = new Map(here.map((d) => [{ t: d.t, bbox: d.bbox, score: d.score, appearance: d.reid }, d.id] as const));
      for (const a of online.step(t, [...by.keys()]).assignments) {
        if (!groups.has(a.track)) { groups.set(a.track, []); seen.set(a.track, []); }
        groups.get(a.track)!.push(by.get(a.detection)!);
        seen.get(a.track)!.push(a.detection);
      }
    }
    const tracks = [...groups.keys()];
    const joined = stitchTracklets(tracks.map((t, id) => ({ id, detections: seen.get(t)! })));
    const want = joined.map((g) => g.flatMap((i) => groups.get(tracks[i])!).join(',')).sort();
    const got = stitch(dets, 960, 540).map((s) => s.detectionIds.join(',')).sort();
    assert.ok(want.length > 4, `seed ${seed}: ${want.length} sightings`);
    assert.deepEqual(got, want, `seed ${seed}`);
    // Weak detections that no track took are in no sighting, as a single-process run never stores them.
    assert.ok(got.join(',').split(',').length < dets.length || dets.every((d) => d.score >= 0.45));
  }
});

test('a sighting\'s face is its first best detection, its span its first to last detection', () => {
  const v = new Float32Array(4).fill(0.5);
  const d = (id: number, t: number, score: number): StoredDetection => ({ id, t, rank: 0, bbox: [100 + t * 10, 100, 40, 100], score, reid: v });
  const [s] = stitch([d(1, 0, 0.6), d(2, 0.5, 0.9), d(3, 1, 0.9), d(4, 1.5, 0.5)], 960, 540);
  assert.deepEqual(s.detectionIds, [1, 2, 3, 4]);
  assert.equal(s.best.t, 0.5);
  assert.deepEqual([s.startS, s.endS], [0, 1.5]);
});

test('chunk windows tile the video on sampling ticks without a gap or an overlap', () => {
  const v = { chunkS: 4, sampleFps: 2 };
  const ticks = Array.from({ length: 40 }, (_, i) => i / 2);
  const owner = (t: number): number[] => [0, 1, 2, 3, 4].filter((k) => { const w = chunkWindow(v, k); return (w.after === undefined || t > w.after) && t < w.before; });
  for (const t of ticks) assert.equal(owner(t).length, 1, `frame at ${t} s in exactly one chunk`);
  // 8 frames per 4 s chunk at 2 fps: batches of 8 line up with the single-process run's.
  assert.deepEqual(ticks.filter((t) => owner(t)[0] === 1), [4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5]);
});

test('path maps rewrite a folder prefix, not a longer name that starts with it', () => {
  const map: [string, string][] = [['/mnt/evidence', '/data/ev']];
  assert.equal(mapPath('/mnt/evidence/cam1/a.mp4', map), '/data/ev/cam1/a.mp4');
  assert.equal(mapPath('/mnt/evidence2/a.mp4', map), '/mnt/evidence2/a.mp4');
  assert.equal(mapPath('/other/a.mp4', map), '/other/a.mp4');
});

test('a connection string is shown without its password', () => {
  const conn = 'postgres://alice:s3cr%40t@db.example:5432/case?sslmode=verify-full';
  assert.equal(redact(conn), 'postgres://alice:***@db.example:5432/case?sslmode=verify-full');
  assert.equal(redact('postgresql://h/case?user=a&password=hunter2&sslmode=require'), 'postgresql://h/case?user=a&password=***&sslmode=require');
  const msg = scrub(`cannot connect to ${conn}: password s3cr@t rejected`, conn);
  assert.ok(!msg.includes('s3cr'), msg);
});

test('a command acts on a team case with --server, or SIGHTLINE_SERVER and no --db', () => {
  const before = process.env.SIGHTLINE_SERVER;
  try {
    delete process.env.SIGHTLINE_SERVER;
    assert.equal(isTeam(['--db', 'x.sqlite']), false);
    assert.equal(isTeam(['--server', 'postgres://h/c']), true);
    process.env.SIGHTLINE_SERVER = 'postgres://h/c';
    assert.equal(isTeam(['a.mp4']), true);
    assert.equal(isTeam(['a.mp4', '--db', 'x.sqlite']), false);
  } finally {
    if (before === undefined) delete process.env.SIGHTLINE_SERVER; else process.env.SIGHTLINE_SERVER = before;
  }
});
