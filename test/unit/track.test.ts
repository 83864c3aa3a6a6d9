import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { boxAt, bridgeLimit, segments } from '../../electron/common/track';
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

test('a gap where the person was not seen (a stitched sighting) is not bridged by a sliding box', () => {
  // Sampled at 2 fps; the person is hidden from 2 s to 12 s (stitched back into one sighting).
  const gap: TrackPoint[] = [
    { t: 1.5, bbox: [100, 50, 40, 120] }, { t: 2, bbox: [120, 50, 40, 120] },
    { t: 12, bbox: [600, 80, 40, 120] }, { t: 12.5, bbox: [620, 80, 40, 120] },
  ];
  assert.equal(bridgeLimit(gap), 2.5);
  assert.deepEqual(boxAt(gap, 1.75), [110, 50, 40, 120]);
  assert.deepEqual(boxAt(gap, 2), [120, 50, 40, 120]);
  assert.equal(boxAt(gap, 2.1), null);
  assert.equal(boxAt(gap, 7), null);
  assert.deepEqual(boxAt(gap, 12), [600, 80, 40, 120]);
  assert.deepEqual(boxAt(gap, 12.25), [610, 80, 40, 120]);
  // One or two missed detections are still bridged.
  assert.deepEqual(boxAt([gap[0], { t: 3.5, bbox: [200, 50, 40, 120] }], 2.5), [150, 50, 40, 120]);
  // Sparse sampling (one frame every 2 s): consecutive detections are bridged, a longer gap is not.
  const sparse: TrackPoint[] = [{ t: 0, bbox: [0, 0, 10, 10] }, { t: 2, bbox: [20, 0, 10, 10] }, { t: 20, bbox: [40, 0, 10, 10] }];
  assert.equal(bridgeLimit(sparse), 6);
  assert.deepEqual(boxAt(sparse, 1), [10, 0, 10, 10]);
  assert.equal(boxAt(sparse, 10), null);
});
