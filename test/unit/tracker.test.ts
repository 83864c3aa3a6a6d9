import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRACKER, detectionQuality, motionScore, type TrackedDetection, Tracker } from '../../electron/engine/indexing/tracker';
import { plausiblePeople } from '../../electron/engine/indexing/personFilter';
import type { BBox } from '../../electron/engine/contract';

const unit = (...xs: number[]): Float32Array => {
  const v = Float32Array.from(xs);
  const n = Math.hypot(...xs);
  return v.map((x) => x / n);
};
const RED = unit(1, 0, 0), BLUE = unit(0, 1, 0);

test('motion score: a walker half a second later is plausible, a jump across the frame is not', () => {
  const at = (b: BBox) => ({ lastBox: b, vx: 0, vy: 0 });
  assert.ok(motionScore(at([100, 100, 40, 100]), [130, 102, 40, 100], 0.5) > 0.3);
  assert.equal(motionScore(at([100, 100, 40, 100]), [600, 100, 40, 100], 0.5), 0);
  assert.equal(motionScore(at([100, 100, 40, 100]), [110, 100, 20, 40], 0.5), 0, 'very different size');
});

test('a person walking across 10 sampled frames is one sighting; a second person stays separate', () => {
  const tracker = new Tracker();
  const tracks = new Set<object>();
  const tracksB = new Set<object>();
  for (let i = 0; i < 10; i++) {
    const t = i * 0.5;
    const a: BBox = [50 + i * 30, 100, 40, 100];
    const b: BBox = [600 - i * 30, 110, 42, 104];
    const { assignments } = tracker.step(t, [
      { t, bbox: a, score: 0.8, appearance: RED },
      { t, bbox: b, score: 0.8, appearance: BLUE },
    ]);
    assert.equal(assignments.length, 2);
    tracks.add(assignments.find((x) => x.detection.bbox === a)!.track);
    tracksB.add(assignments.find((x) => x.detection.bbox === b)!.track);
  }
  assert.equal(tracks.size, 1);
  assert.equal(tracksB.size, 1);
  assert.notDeepEqual([...tracks][0], [...tracksB][0]);
});

test('crossing people of different appearance keep their own tracks', () => {
  const tracker = new Tracker();
  const ofRed = new Set<object>();
  for (let i = 0; i < 8; i++) {
    const t = i * 0.5;
    const red: BBox = [100 + i * 25, 100, 40, 100];
    const blue: BBox = [275 - i * 25, 100, 40, 100];
    const { assignments } = tracker.step(t, [
      { t, bbox: blue, score: 0.8, appearance: BLUE },
      { t, bbox: red, score: 0.8, appearance: RED },
    ]);
    ofRed.add(assignments.find((x) => x.detection.appearance === RED)!.track);
  }
  assert.equal(ofRed.size, 1);
});

test('someone who looks different is a new sighting even where the last person left', () => {
  const tracker = new Tracker();
  const first = tracker.step(0, [{ t: 0, bbox: [600, 100, 40, 100], score: 0.9, appearance: RED }]).assignments[0].track;
  const next = tracker.step(1, [{ t: 1, bbox: [600, 100, 40, 100], score: 0.9, appearance: BLUE }]).assignments[0];
  assert.equal(next.isNew, true);
  assert.notEqual(next.track, first);
});

test('a gap longer than maxGapS closes the track and starts a new sighting', () => {
  const tracker = new Tracker();
  const first = tracker.step(0, [{ t: 0, bbox: [0, 0, 40, 100], score: 0.9, appearance: RED }]).assignments[0].track;
  const later = tracker.step(12, [{ t: 12, bbox: [0, 0, 40, 100], score: 0.9, appearance: RED }]);
  assert.deepEqual(later.closed, [first]);
  assert.notEqual(later.assignments[0].track, first);
});

test('weak detections extend a track but never start one', () => {
  const tracker = new Tracker();
  assert.equal(tracker.step(0, [{ t: 0, bbox: [0, 0, 40, 100], score: 0.2, appearance: RED }]).assignments.length, 0);
  const tr = tracker.step(0.5, [{ t: 0.5, bbox: [0, 0, 40, 100], score: 0.9, appearance: RED }]).assignments[0].track;
  const weak = tracker.step(1, [{ t: 1, bbox: [10, 0, 40, 100], score: 0.2, appearance: RED }]).assignments;
  assert.equal(weak.length, 1);
  assert.equal(weak[0].track, tr);
});

test('quality prefers large, confident, uncut boxes', () => {
  assert.ok(detectionQuality([100, 100, 50, 120], 0.9, 640, 360) > detectionQuality([100, 100, 25, 60], 0.9, 640, 360));
  assert.ok(detectionQuality([100, 100, 50, 120], 0.9, 640, 360) > detectionQuality([0, 100, 50, 120], 0.9, 640, 360));
});

// ── crafted scenes with ReID-like vectors: two people look alike at cosine ≈ 0.3, one person at ≈ 0.85 ──

/** A unit vector at cosine `c` to `base` (orthogonal component along `other`). */
const near = (base: Float32Array, other: Float32Array, c: number): Float32Array => {
  const v = base.map((x, i) => c * x + Math.sqrt(1 - c * c) * other[i]);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const e = (i: number, n = 8): Float32Array => { const v = new Float32Array(n); v[i] = 1; return v; };
const P1 = near(e(0), e(1), 0.95), P2 = near(e(1), e(7), 0.95); // cosine(P1, P2) ≈ 0.3

/** Runs frames through a tracker; returns the sighting (track) of each labelled detection. */
function run(frames: { t: number; dets: (TrackedDetection & { who: string })[] }[], tracker = new Tracker()) {
  const tracksOf = new Map<string, Set<object>>();
  const whoOf = new Map<object, Set<string>>();
  for (const f of frames) {
    for (const a of tracker.step(f.t, f.dets).assignments) {
      const who = (a.detection as TrackedDetection & { who: string }).who;
      if (!tracksOf.has(who)) tracksOf.set(who, new Set());
      tracksOf.get(who)!.add(a.track);
      if (!whoOf.has(a.track)) whoOf.set(a.track, new Set());
      whoOf.get(a.track)!.add(who);
    }
  }
  return { tracksOf, whoOf };
}
const det = (who: string, t: number, bbox: BBox, appearance: Float32Array, score = 0.8) => ({ who, t, bbox, score, appearance });
const pure = (whoOf: Map<object, Set<string>>): boolean => [...whoOf.values()].every((s) => s.size === 1);

test('two people crossing at 2 fps: each keeps one sighting, no sighting holds both', () => {
  const frames = Array.from({ length: 12 }, (_, i) => {
    const t = i * 0.5;
    return { t, dets: [
      det('a', t, [100 + i * 30, 200, 40, 100], near(P1, e(2), 0.9 + 0.01 * (i % 3))),
      det('b', t, [430 - i * 30, 205, 42, 100], near(P2, e(3), 0.9 + 0.01 * (i % 2))),
    ] };
  });
  const { tracksOf, whoOf } = run(frames);
  assert.ok(pure(whoOf), 'a sighting holds two people');
  assert.equal(tracksOf.get('a')!.size, 1);
  assert.equal(tracksOf.get('b')!.size, 1);
});

test('one person leaves as another enters at the same place: two sightings', () => {
  const frames = [
    ...Array.from({ length: 6 }, (_, i) => ({ t: i * 0.5, dets: [det('a', i * 0.5, [500 + i * 20, 200, 40, 100], P1)] })),
    ...Array.from({ length: 6 }, (_, i) => ({ t: 3 + i * 0.5, dets: [det('b', 3 + i * 0.5, [600 - i * 20, 200, 40, 100], P2)] })),
  ];
  const { tracksOf, whoOf } = run(frames);
  assert.ok(pure(whoOf));
  assert.equal(tracksOf.get('a')!.size, 1);
  assert.equal(tracksOf.get('b')!.size, 1);
});

test('occlusion: a person hidden for 2 s behind a pillar continues the same sighting', () => {
  const at = (i: number): BBox => [100 + i * 25, 200, 40, 100];
  const frames = [0, 1, 2, 3, 8, 9, 10].map((i) => ({ t: i * 0.5, dets: [det('a', i * 0.5, at(i), near(P1, e(4), 0.93))] }));
  const { tracksOf } = run(frames);
  assert.equal(tracksOf.get('a')!.size, 1);
});

test('occlusion gap: someone else appearing where the hidden person was expected starts a new sighting', () => {
  const at = (i: number): BBox => [100 + i * 25, 200, 40, 100];
  const frames = [
    ...[0, 1, 2, 3].map((i) => ({ t: i * 0.5, dets: [det('a', i * 0.5, at(i), P1)] })),
    ...[8, 9, 10].map((i) => ({ t: i * 0.5, dets: [det('b', i * 0.5, at(i), P2)] })),
  ];
  const { whoOf, tracksOf } = run(frames);
  assert.ok(pure(whoOf));
  assert.equal(tracksOf.get('b')!.size, 1);
});

test('re-entry: the same person back after 6 s continues the sighting only when they clearly look the same', () => {
  const leave = [0, 1, 2].map((i) => ({ t: i * 0.5, dets: [det('a', i * 0.5, [600 + i * 20, 200, 40, 100], P1)] }));
  const back = (v: Float32Array, who: string) => [14, 15].map((i) => ({ t: i * 0.5, dets: [det(who, i * 0.5, [640 - (i - 14) * 20, 200, 40, 100], v)] }));
  const same = run([...leave, ...back(near(P1, e(5), 0.95), 'a')]);
  assert.equal(same.tracksOf.get('a')!.size, 1, 'a clear re-identification continues the sighting');
  // Moderately alike (cosine 0.65): good enough a moment later, not after 6 s away.
  const doubtful = run([...leave, ...back(near(P1, e(5), 0.65), 'a2')]);
  assert.ok(pure(doubtful.whoOf));
  assert.equal(doubtful.whoOf.size, 2);
});

test('a track rebuilt from its stored detections (resume) continues exactly as the live one', () => {
  const dets = Array.from({ length: 5 }, (_, i) => ({ t: i * 0.5, bbox: [100 + i * 30, 200, 40, 100] as BBox, score: 0.8, appearance: near(P1, e(6), 0.9 + 0.02 * i) }));
  const live = new Tracker();
  for (const d of dets) live.step(d.t, [d]);
  const restored = Tracker.restore(7, dets);
  const a = live.active[0];
  assert.deepEqual([restored.lastT, restored.lastBox, restored.vx, restored.vy, restored.hits], [a.lastT, a.lastBox, a.vx, a.vy, a.hits]);
  assert.deepEqual([...restored.appearance!], [...a.appearance!]);
  assert.deepEqual(restored.recent.map((v) => [...v]), a.recent.map((v) => [...v]));
  assert.ok(DEFAULT_TRACKER.gallery >= 1);
});

test('person filter: a traffic-cone box (18×20) and a box far smaller than people at the same depth are dropped', () => {
  const people = [
    { bbox: [100, 300, 40, 110] as BBox, score: 0.8 },
    { bbox: [300, 290, 38, 120] as BBox, score: 0.7 },
    { bbox: [162, 187, 18, 20] as BBox, score: 0.47 }, // cone (vtest.avi)
    { bbox: [500, 380, 12, 30] as BBox, score: 0.6 }, // tall but tiny beside people whose feet are level with it
    { bbox: [600, 100, 30, 70] as BBox, score: 0.6 }, // far away (small but alone at its depth): a person
  ];
  assert.deepEqual(plausiblePeople(people, 768, 576).map((p) => p.bbox[0]), [100, 300, 600]);
});
