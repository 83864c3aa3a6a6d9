// Detection tiles (vision/tiles.ts): which frames are tiled, how, and how the passes' boxes merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTileDetections, planTiles, tileImage, type Tile } from '../../electron/engine/vision/tiles';
import type { BBox } from '../../electron/engine/contract';

const INPUT = { width: 416, height: 416 };

test('only frames the detector input shrinks too much are tiled: whole frame first, then overlapping full-height tiles', () => {
  assert.deepEqual(planTiles(768, 576, INPUT, 'auto'), [{ x: 0, y: 0, width: 768, height: 576 }], 'vtest size: one pass');
  assert.deepEqual(planTiles(1280, 720, INPUT, 'off'), [{ x: 0, y: 0, width: 1280, height: 720 }], 'off: one pass');
  const t = planTiles(1280, 720, INPUT, 'auto');
  assert.equal(t.length, 3);
  assert.deepEqual(t[0], { x: 0, y: 0, width: 1280, height: 720 });
  for (const tile of t.slice(1)) assert.equal(tile.height, 720);
  assert.equal(t[1].x, 0);
  assert.equal(t[t.length - 1].x + t[t.length - 1].width, 1280, 'the last tile ends at the frame edge');
  assert.ok(t[1].x + t[1].width - t[2].x >= 0.15 * t[1].width, 'neighbouring tiles overlap');
  // Tall frames are not tiled sideways (full-height tiles would be the frame itself).
  assert.equal(planTiles(720, 1280, INPUT, 'auto').length, 1);
});

test('tileImage copies the tile\'s pixels (and returns the frame itself for the whole-frame tile)', () => {
  const frame = { width: 4, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => i) };
  assert.equal(tileImage(frame, { x: 0, y: 0, width: 4, height: 2 }), frame);
  const t = tileImage(frame, { x: 2, y: 0, width: 2, height: 2 });
  assert.deepEqual([...t.data], [6, 7, 8, 9, 10, 11, 18, 19, 20, 21, 22, 23]);
});

test('merging: one box per person seen by two passes; partial boxes at a tile\'s inner edge dropped; others kept', () => {
  const whole: Tile = { x: 0, y: 0, width: 1280, height: 720 };
  const left: Tile = { x: 0, y: 0, width: 720, height: 720 };
  const right: Tile = { x: 560, y: 0, width: 720, height: 720 };
  const d = (bbox: BBox, score: number, id: string) => ({ bbox, score, id });
  const merged = mergeTileDetections([
    { tile: whole, detections: [d([100, 100, 40, 120], 0.6, 'a-whole')] },
    { tile: left, detections: [d([102, 98, 40, 122], 0.8, 'a-left'), d([690, 200, 30, 90], 0.7, 'b-cut-by-left-edge'), d([300, 300, 20, 50], 0.5, 'c')] },
    { tile: right, detections: [d([680, 200, 45, 92], 0.65, 'b-whole'), d([900, 300, 20, 50], 0.55, 'e')] },
  ], 1280, 0.5);
  assert.deepEqual(merged.map((m) => m.id).sort(), ['a-left', 'b-whole', 'c', 'e']);
});
