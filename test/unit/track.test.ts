import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { boxAt, segments } from '../../electron/common/track';
import type { TrackPoint } from '../../electron/common/contract';

const pts: TrackPoint[] = [
  { t: 1, bbox: [100, 50, 40, 120] },
  { t: 1.5, bbox: [140, 60, 44, 124] },
  { t: 2.5, bbox: [240, 60, 40, 120] },
];

test('box is linear in x, y, w, h between the two detections around t', () => {
  assert.deepEqual(boxAt(pts, 1), [100, 50, 40, 120]);
  assert.deepEqual(boxAt(pts, 1.25), [120, 55, 42, 122]);
  assert.deepEqual(boxAt(pts, 1.5), [140, 60, 44, 124]);
  assert.deepEqual(boxAt(pts, 2), [190, 60, 42, 122]);
  assert.deepEqual(boxAt(pts, 2.5), [240, 60, 40, 120]);
});

test('no box outside the sighting, a single detection holds only at its instant', () => {
  assert.equal(boxAt(pts, 0.99), null);
  assert.equal(boxAt(pts, 2.51), null);
  assert.equal(boxAt([], 1), null);
  assert.deepEqual(boxAt([pts[0]], 1), pts[0].bbox);
  assert.equal(boxAt([pts[0]], 1.2), null);
});

test('segments pair consecutive detections and skip repeated instants', () => {
  const s = segments([...pts.slice(0, 2), { t: 1.5, bbox: [0, 0, 1, 1] }, pts[2]]);
  assert.deepEqual(s.map((x) => [x.a.t, x.b.t]), [[1, 1.5], [1.5, 2.5]]);
});
