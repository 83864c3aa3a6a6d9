import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectionQuality, motionScore, Tracker } from '../../electron/engine/indexing/tracker';
import type { BBox } from '../../electron/engine/contract';

const unit = (...xs: number[]): Float32Array => {
  const v = Float32Array.from(xs);
  const n = Math.hypot(...xs);
  return v.map((x) => x / n);
};
const RED = unit(1, 0, 0), BLUE = unit(0, 1, 0);

test('motion score: a walker half a second later is plausible, a jump across the frame is not', () => {
  assert.ok(motionScore([100, 100, 40, 100], [130, 102, 40, 100], 0.5) > 0.3);
  assert.equal(motionScore([100, 100, 40, 100], [600, 100, 40, 100], 0.5), 0);
  assert.equal(motionScore([100, 100, 40, 100], [110, 100, 20, 40], 0.5), 0, 'very different size');
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
      { t, bbox: a, score: 0.8, embedding: RED },
      { t, bbox: b, score: 0.8, embedding: BLUE },
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
      { t, bbox: blue, score: 0.8, embedding: BLUE },
      { t, bbox: red, score: 0.8, embedding: RED },
    ]);
    ofRed.add(assignments.find((x) => x.detection.embedding === RED)!.track);
  }
  assert.equal(ofRed.size, 1);
});

test('someone who looks different is a new sighting even where the last person left', () => {
  const tracker = new Tracker();
  const first = tracker.step(0, [{ t: 0, bbox: [600, 100, 40, 100], score: 0.9, embedding: RED }]).assignments[0].track;
  const next = tracker.step(1, [{ t: 1, bbox: [600, 100, 40, 100], score: 0.9, embedding: BLUE }]).assignments[0];
  assert.equal(next.isNew, true);
  assert.notEqual(next.track, first);
});

test('a gap longer than maxGapS closes the track and starts a new sighting', () => {
  const tracker = new Tracker();
  const first = tracker.step(0, [{ t: 0, bbox: [0, 0, 40, 100], score: 0.9, embedding: RED }]).assignments[0].track;
  const later = tracker.step(10, [{ t: 10, bbox: [0, 0, 40, 100], score: 0.9, embedding: RED }]);
  assert.deepEqual(later.closed, [first]);
  assert.notEqual(later.assignments[0].track, first);
});

test('weak detections extend a track but never start one', () => {
  const tracker = new Tracker();
  assert.equal(tracker.step(0, [{ t: 0, bbox: [0, 0, 40, 100], score: 0.2, embedding: RED }]).assignments.length, 0);
  const tr = tracker.step(0.5, [{ t: 0.5, bbox: [0, 0, 40, 100], score: 0.9, embedding: RED }]).assignments[0].track;
  const weak = tracker.step(1, [{ t: 1, bbox: [10, 0, 40, 100], score: 0.2, embedding: RED }]).assignments;
  assert.equal(weak.length, 1);
  assert.equal(weak[0].track, tr);
});

test('quality prefers large, confident, uncut boxes', () => {
  assert.ok(detectionQuality([100, 100, 50, 120], 0.9, 640, 360) > detectionQuality([100, 100, 25, 60], 0.9, 640, 360));
  assert.ok(detectionQuality([100, 100, 50, 120], 0.9, 640, 360) > detectionQuality([0, 100, 50, 120], 0.9, 640, 360));
});
