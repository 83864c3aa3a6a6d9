import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iou, nms, nmsPerClass, type ScoredBox } from '../../electron/engine/vision/nms';

const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('iou: hand-computed overlaps', () => {
  near(iou([0, 0, 10, 10], [5, 0, 10, 10]), 50 / 150); // half overlap side by side
  near(iou([0, 0, 10, 10], [0, 0, 5, 5]), 25 / 100); // containment
  near(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  near(iou([0, 0, 10, 10], [5, 5, 10, 10]), 25 / 175); // corner overlap
  near(iou([0, 0, 10, 10], [10, 0, 10, 10]), 0); // touching edges
  near(iou([0, 0, 10, 10], [20, 20, 3, 3]), 0);
  near(iou([0, 0, 0, 0], [0, 0, 0, 0]), 0); // empty boxes never divide by zero
});

test('nms: keeps the best, drops overlaps above the threshold, sorts by score', () => {
  const a: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.9 };
  const b: ScoredBox = { bbox: [1, 0, 10, 10], score: 0.8 }; // IoU with a = 90/110
  const c: ScoredBox = { bbox: [5, 0, 10, 10], score: 0.7 }; // IoU with a = 1/3, with b = 60/140
  const far: ScoredBox = { bbox: [50, 50, 10, 10], score: 0.95 };
  assert.deepEqual(nms([c, b, a, far], 0.5), [far, a, c]);
  assert.deepEqual(nms([c, b, a, far], 0.3), [far, a]);
  assert.deepEqual(nms([c, b, a, far], 0.9), [far, a, b, c]);
  assert.deepEqual(nms([c, b, a, far], 0.5, 2), [far, a]);
  assert.deepEqual(nms([], 0.5), []);
});

test('nms: a suppressed box does not suppress others (greedy order)', () => {
  const a: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.9 };
  const b: ScoredBox = { bbox: [4, 0, 10, 10], score: 0.8 }; // IoU(a,b) = 60/140 ≈ 0.43
  const c: ScoredBox = { bbox: [8, 0, 10, 10], score: 0.7 }; // IoU(a,c) = 20/180, IoU(b,c) ≈ 0.43
  assert.deepEqual(nms([a, b, c], 0.4), [a, c]);
});

test('nms: IoU exactly at the threshold is kept', () => {
  const a: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.9 };
  const b: ScoredBox = { bbox: [0, 0, 10, 5], score: 0.8 }; // IoU = 0.5
  assert.deepEqual(nms([a, b], 0.5), [a, b]);
  assert.deepEqual(nms([a, b], 0.49), [a]);
});

test('nmsPerClass: classes do not suppress each other', () => {
  const p1: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.9, classId: 0 };
  const p2: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.6, classId: 0 };
  const car: ScoredBox = { bbox: [0, 0, 10, 10], score: 0.8, classId: 2 };
  assert.deepEqual(nmsPerClass([p2, car, p1], 0.5), [p1, car]);
});
