// cropToInput writes a crop in the layout, channel order and pixel-unit normalisation a manifest asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cropToInput } from '../../electron/engine/vision/crop';
import type { ImageInputSpec } from '../../electron/engine/vision/manifest';

// 2x1 image: left pixel (10, 20, 30), right pixel (200, 100, 50)
const img = { width: 2, height: 1, data: new Uint8Array([10, 20, 30, 200, 100, 50]) };
const spec = (over: Partial<ImageInputSpec>): ImageInputSpec => ({ name: 'x', width: 2, height: 1, layout: 'NCHW', colorOrder: 'BGR', mean: [0, 0, 0], std: [1, 1, 1], ...over });

test('BGR NCHW 0-255 (OpenVINO networks): raw values, blue plane first', () => {
  const out = new Float32Array(6);
  cropToInput(img, [0, 0, 2, 1], spec({}), out, 0);
  assert.deepEqual(Array.from(out), [30, 50, 20, 100, 10, 200]);
});

test('RGB NHWC with mean/std in pixel units, written at an offset', () => {
  const out = new Float32Array(8).fill(-1);
  cropToInput(img, [0, 0, 2, 1], spec({ layout: 'NHWC', colorOrder: 'RGB', mean: [10, 20, 30], std: [2, 4, 5] }), out, 2);
  assert.deepEqual(Array.from(out), [-1, -1, 0, 0, 0, 95, 20, 4]);
});

test('a box is resampled to the input size (2x1 box -> 1x1: the average)', () => {
  const out = new Float32Array(3);
  cropToInput(img, [0, 0, 2, 1], spec({ width: 1 }), out, 0);
  assert.deepEqual(Array.from(out), [40, 60, 105]);
});
