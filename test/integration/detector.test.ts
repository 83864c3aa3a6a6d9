// The real detector (onnxruntime-node, committed nanodet-m-coco) on a committed synthetic street
// scene with known person boxes (test/fixtures/detector, made by
// native-models/tools/tfjs2onnx/make_detector_fixture.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BBox } from '../../electron/engine/contract';
import { Detector, type Detection } from '../../electron/engine/vision/detector';
import type { RgbImage } from '../../electron/engine/vision/frame';
import { packageRoot } from '../../electron/engine/vision/manifest';
import { iou } from '../../electron/engine/vision/nms';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'detector');
// Tight enough that a half-stride shift of the priors or a wrong resize mapping fails.
const MIN_IOU = 0.75;

interface SceneMeta { width: number; height: number; people: BBox[]; reference: Detection[] }

function loadScene(): { frame: RgbImage; people: BBox[]; reference: Detection[] } {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'street.json'), 'utf8')) as SceneMeta;
  const data = new Uint8Array(gunzipSync(fs.readFileSync(path.join(FIXTURES, 'street.rgb.gz'))));
  assert.equal(data.length, meta.width * meta.height * 3);
  return { frame: { width: meta.width, height: meta.height, data }, people: meta.people, reference: meta.reference };
}

function mirror(f: RgbImage): RgbImage {
  const data = new Uint8Array(f.data.length);
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const s = (y * f.width + x) * 3;
      const d = (y * f.width + (f.width - 1 - x)) * 3;
      data[d] = f.data[s]; data[d + 1] = f.data[s + 1]; data[d + 2] = f.data[s + 2];
    }
  }
  return { width: f.width, height: f.height, data };
}

/** The frame pasted at (ox, oy) into a larger grey canvas: a different size and aspect ratio. */
function embed(f: RgbImage, width: number, height: number, ox: number, oy: number): RgbImage {
  const data = new Uint8Array(width * height * 3).fill(128);
  for (let y = 0; y < f.height; y++) data.set(f.data.subarray(y * f.width * 3, (y + 1) * f.width * 3), ((y + oy) * width + ox) * 3);
  return { width, height, data };
}

/** Every truth box has its own detection with IoU >= MIN_IOU, and nothing else was found. */
function assertMatches(found: Detection[], truth: BBox[], frame: RgbImage, label: string): void {
  assert.equal(found.length, truth.length, `${label}: ${found.length} detections for ${truth.length} people: ${JSON.stringify(found)}`);
  const used = new Set<number>();
  for (const t of truth) {
    let best = -1;
    let bestIou = 0;
    found.forEach((d, i) => {
      const v = iou(d.bbox, t);
      if (!used.has(i) && v > bestIou) { best = i; bestIou = v; }
    });
    assert.ok(bestIou >= MIN_IOU, `${label}: person ${JSON.stringify(t)} best IoU ${bestIou.toFixed(3)}`);
    used.add(best);
  }
  for (const d of found) {
    const [x, y, w, h] = d.bbox;
    assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= frame.width && y + h <= frame.height, `${label}: box outside frame ${d.bbox}`);
    assert.ok(d.score > 0 && d.score <= 1);
  }
}

test('detector finds the people of the fixture scene with tight boxes', async () => {
  const { frame, people } = loadScene();
  const det = await Detector.load(undefined, 'cpu');
  try {
    assert.equal(det.provider, 'cpu');
    assert.equal(det.manifest.format, 'nanodet');
    const found = await det.detectFrame(frame);
    assertMatches(found, people, frame, 'scene');
    for (const d of found) assert.ok(d.score >= det.manifest.scoreThreshold);
    for (let i = 1; i < found.length; i++) assert.ok(found[i - 1].score >= found[i].score, 'sorted by score');
  } finally {
    await det.close();
  }
});

test('detections agree with the independent Python pipeline (OpenCV + NumPy graph interpreter)', async () => {
  // reference = make_detector_fixture.py: cv2 resize, NumPy TF.js interpreter, NumPy decode.
  // Differences come only from resize arithmetic; a wrong colour order, mean/std, resize mode
  // or decode step moves scores by several hundredths and boxes by pixels.
  const { frame, reference } = loadScene();
  const det = await Detector.load(undefined, 'cpu');
  try {
    const found = await det.detectFrame(frame);
    assert.equal(found.length, reference.length);
    reference.forEach((r, i) => {
      assert.ok(Math.abs(found[i].score - r.score) < 0.002, `score ${i}: ${found[i].score} vs reference ${r.score}`);
      r.bbox.forEach((v, k) => assert.ok(Math.abs(found[i].bbox[k] - v) < 0.25, `box ${i}[${k}]: ${found[i].bbox[k]} vs reference ${v}`));
    });
  } finally {
    await det.close();
  }
});

test('batched frames of different sizes give the same boxes as single runs', async () => {
  const { frame, people } = loadScene();
  const mirrored = mirror(frame);
  const mirroredTruth = people.map(([x, y, w, h]): BBox => [frame.width - x - w, y, w, h]);
  const big = embed(frame, 1280, 720, 300, 200);
  const bigTruth = people.map(([x, y, w, h]): BBox => [x + 300, y + 200, w, h]);
  const det = await Detector.load(undefined, { provider: 'cpu', maxBatch: 2 });
  try {
    const [a, b, c] = await det.detect([frame, mirrored, big]); // runs as a batch of 2, then 1
    assertMatches(a, people, frame, 'batch[0]');
    assertMatches(b, mirroredTruth, mirrored, 'batch[1] mirrored');
    assertMatches(c, bigTruth, big, 'batch[2] embedded in 1280x720');
    // concurrent calls share one input buffer: they must not corrupt each other
    const [single, again] = await Promise.all([det.detectFrame(frame), det.detectFrame(mirrored)]);
    assertMatches(again, mirroredTruth, mirrored, 'concurrent mirrored');
    assert.equal(single.length, a.length);
    single.forEach((d, i) => {
      assert.ok(Math.abs(d.score - a[i].score) < 1e-4);
      d.bbox.forEach((v, k) => assert.ok(Math.abs(v - a[i].bbox[k]) < 1e-2, `box ${i} coord ${k}: ${v} vs ${a[i].bbox[k]}`));
    });
  } finally {
    await det.close();
  }
});

test('an empty grey frame has no people', async () => {
  const det = await Detector.load(undefined, 'cpu');
  try {
    const grey: RgbImage = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(120) };
    assert.deepEqual(await det.detectFrame(grey), []);
  } finally {
    await det.close();
  }
});

test('YOLOv8-format model: output lookup, batch slicing, letterbox mapping, threshold and NMS', async () => {
  // yolo-stub (make_yolo_stub.py) always outputs the same 5 anchors in 64x64 input pixels;
  // the boxes below are those anchors mapped back by hand.
  const det = await Detector.load(path.join(FIXTURES, 'yolo-stub'), { provider: 'cpu', maxBatch: 4 });
  try {
    assert.equal(det.manifest.format, 'yolov8');
    const wide: RgbImage = { width: 128, height: 64, data: new Uint8Array(128 * 64 * 3) }; // scale 0.5, padY 16
    const tall: RgbImage = { width: 64, height: 128, data: new Uint8Array(64 * 128 * 3) }; // scale 0.5, padX 16
    const [a, b] = await det.detect([wide, tall]);
    assert.deepEqual(a.map((d) => d.score.toFixed(2)), ['0.90', '0.60']); // 0.80 duplicate suppressed, 0.20 below threshold
    assert.deepEqual(a.map((d) => d.bbox), [[32, 8, 16, 48], [86, 8, 20, 40]]);
    assert.deepEqual(b.map((d) => d.bbox), [[0, 40, 16, 48], [54, 40, 10, 40]]); // second box clipped at x = 64
  } finally {
    await det.close();
  }
});
