import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNanodet, decodeYolov8 } from '../../electron/engine/vision/detector-decode';
import { planInput, preprocessInto, toFrameDetections } from '../../electron/engine/vision/detector';
import type { DetectorManifest } from '../../electron/engine/vision/manifest';

const close = (a: number, b: number, eps = 1e-4): void => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);
const closeBox = (a: readonly number[], b: readonly number[], eps = 1e-4): void => a.forEach((v, i) => close(v, b[i], eps));

/** [4 + C, N] tensor from per-anchor rows [cx, cy, w, h, s0, s1, …]. */
function yoloTensor(anchors: number[][]): Float32Array {
  const ch = anchors[0].length;
  const n = anchors.length;
  const t = new Float32Array(ch * n);
  anchors.forEach((row, a) => row.forEach((v, c) => (t[c * n + a] = v)));
  return t;
}

test('decodeYolov8: person rows above threshold become [x, y, w, h] boxes', () => {
  const anchors = [
    [100, 200, 40, 80, 0.9, 0.1, 0.0], // person
    [50, 60, 10, 20, 0.2, 0.95, 0.0], // other class only
    [300, 100, 20, 60, 0.5, 0.0, 0.7], // person at 0.5
    [10, 10, 4, 4, 0.3, 0.0, 0.0], // below threshold
  ];
  const boxes = decodeYolov8(yoloTensor(anchors), [7, 4], { numClasses: 3, classIds: [0], scoreThreshold: 0.35 });
  assert.equal(boxes.length, 2);
  closeBox(boxes[0].bbox, [80, 160, 40, 80]);
  close(boxes[0].score, 0.9);
  closeBox(boxes[1].bbox, [290, 70, 20, 60]);
  close(boxes[1].score, 0.5);
  assert.ok(boxes.every((b) => b.classId === 0));

  // the transposed [N, 4 + C] layout decodes to the same boxes
  const transposed = new Float32Array(anchors.flat());
  assert.deepEqual(decodeYolov8(transposed, [4, 7], { numClasses: 3, classIds: [0], scoreThreshold: 0.35 }), boxes);
  assert.throws(() => decodeYolov8(transposed, [4, 6], { numClasses: 3, classIds: [0], scoreThreshold: 0.35 }));
});

test('decodeNanodet: cell centres, softmax distances × stride, sigmoid when asked', () => {
  // 16x16 input, stride 8 -> 2x2 cells, 2 classes, reg_max 3 (4 bins per side)
  const bins = 4;
  const cls = new Float32Array([0.1, 0.0, 0.2, 0.9, 0.3, 0.0, 0.8, 0.0]);
  const reg = new Float32Array(4 * 4 * bins); // all-zero logits: uniform -> mean bin 1.5
  const oneHot = (cell: number, side: number, bin: number): void => {
    for (let k = 0; k < bins; k++) reg[cell * 4 * bins + side * bins + k] = k === bin ? 30 : 0;
  };
  // cell 3 (col 1, row 1): centre (12, 12); l=1, t=2, r=0, b=3 bins
  oneHot(3, 0, 1); oneHot(3, 1, 2); oneHot(3, 2, 0); oneHot(3, 3, 3);
  const params = {
    inputWidth: 16, inputHeight: 16, numClasses: 2, regMax: 3, centerOffset: 0.5,
    scoresAreProbabilities: true, classIds: [0], scoreThreshold: 0.25,
  };
  const boxes = decodeNanodet([{ stride: 8, cls, reg }], params);
  assert.equal(boxes.length, 2);
  // cell 2 (col 0, row 1): centre (4, 12), uniform distances 1.5 * 8 = 12 on every side
  closeBox(boxes[0].bbox, [4 - 12, 12 - 12, 24, 24]);
  close(boxes[0].score, 0.3);
  closeBox(boxes[1].bbox, [12 - 8, 12 - 16, 8 + 0, 16 + 24]);
  close(boxes[1].score, 0.8);

  // logits: sigmoid(0.8) ≈ 0.69 and sigmoid(0.3) ≈ 0.574 pass 0.6 only for cell 3
  const logits = decodeNanodet([{ stride: 8, cls, reg }], { ...params, scoresAreProbabilities: false, scoreThreshold: 0.6 });
  assert.equal(logits.length, 1);
  close(logits[0].score, 1 / (1 + Math.exp(-0.8)));
  // centre offset 0 (NanoDet-Plus style priors) shifts the box by half a stride
  const noOffset = decodeNanodet([{ stride: 8, cls, reg }], { ...params, centerOffset: 0 });
  closeBox(noOffset[1].bbox, [8 - 8, 8 - 16, 8, 40]);
  assert.throws(() => decodeNanodet([{ stride: 8, cls, reg: reg.subarray(1) }], params));
});

const input = (over: Partial<DetectorManifest['input']>): DetectorManifest['input'] => ({
  name: 'input', width: 4, height: 4, layout: 'NCHW', colorOrder: 'RGB', mean: [0, 0, 0], std: [1, 1, 1], resize: 'stretch', ...over,
});

test('preprocessInto: colour order, mean/std and layout', () => {
  // 2x1 frame: red-ish pixel, blue-ish pixel; identity resize (2x1 -> 2x1)
  const frame = { width: 2, height: 1, data: new Uint8Array([200, 10, 20, 30, 40, 250]) };
  const spec = input({ width: 2, height: 1, colorOrder: 'BGR', mean: [1, 2, 3], std: [2, 4, 8] });
  const nchw = new Float32Array(6);
  preprocessInto(frame, spec, nchw, 0);
  // planes B, G, R
  assert.deepEqual(Array.from(nchw), [(20 - 1) / 2, (250 - 1) / 2, (10 - 2) / 4, (40 - 2) / 4, (200 - 3) / 8, (30 - 3) / 8]);
  const nhwc = new Float32Array(8);
  preprocessInto(frame, { ...spec, layout: 'NHWC' }, nhwc, 2);
  assert.deepEqual(Array.from(nhwc.subarray(2)), [(20 - 1) / 2, (10 - 2) / 4, (200 - 3) / 8, (250 - 1) / 2, (40 - 2) / 4, (30 - 3) / 8]);
});

test('preprocessInto: bilinear stretch and letterbox fill', () => {
  // 2x1 frame 0 | 100 (grey) stretched to 4x1: half-pixel taps 0, 25, 75, 100
  const frame = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 100, 100, 100]) };
  const out = new Float32Array(12);
  preprocessInto(frame, input({ width: 4, height: 1 }), out, 0);
  assert.deepEqual(Array.from(out.subarray(0, 4)), [0, 25, 75, 100]);
  // 4x2 frame into a 4x4 letterbox: drawn 4x2 at padY 1, rows 0 and 3 are the fill colour 114
  const wide = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 3).fill(7) };
  const lb = new Float32Array(48);
  const tr = preprocessInto(wide, input({ resize: 'letterbox' }), lb, 0);
  assert.deepEqual(tr, { scaleX: 1, scaleY: 1, padX: 0, padY: 1, drawWidth: 4, drawHeight: 2 });
  assert.deepEqual(Array.from(lb.subarray(0, 16)), [114, 114, 114, 114, 7, 7, 7, 7, 7, 7, 7, 7, 114, 114, 114, 114]);
});

test('planInput + toFrameDetections map input pixels back to the frame and clip', () => {
  const stretch = planInput(768, 576, input({ width: 416, height: 416 }));
  const [d] = toFrameDetections([{ bbox: [208, 104, 52, 104], score: 0.8 }], stretch, 768, 576);
  closeBox(d.bbox, [384, 144, 96, 144]);
  // letterbox 1280x720 -> 640x640: scale 0.5, drawn 640x360 at padY 140
  const lb = planInput(1280, 720, input({ width: 640, height: 640, resize: 'letterbox' }));
  assert.deepEqual(lb, { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 140, drawWidth: 640, drawHeight: 360 });
  const boxes = toFrameDetections([
    { bbox: [100, 150, 50, 100], score: 0.9 },
    { bbox: [-20, 120, 60, 40], score: 0.7 }, // sticks out top-left: clipped
    { bbox: [10, 0, 30, 100], score: 0.6 }, // entirely in the top padding: dropped
  ], lb, 1280, 720);
  assert.equal(boxes.length, 2);
  closeBox(boxes[0].bbox, [200, 20, 100, 200]);
  closeBox(boxes[1].bbox, [0, 0, 80, 40]);
});
