// TypeScript halves of the TS/Python twins (docs/twins.md) against fixtures computed by the Python
// halves (native-models/tests/twins.py; native-models/tests/test_twins.py checks those are current).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cropToTensor } from '../../electron/engine/vision/crop';
import { decodeNanodet } from '../../electron/engine/vision/detector-decode';
import { loadIvtManifest } from '../../electron/engine/vision/manifest';
import { ROOT } from '../helpers/cli';

const fixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/twins', name), 'utf8')) as T;

interface CropFixture {
  mean: number[]; std: number[];
  image: { width: number; height: number; rgb: number[] };
  cases: { width: number; height: number; rgb: number[]; checksum: number }[];
}

test('crop: cropToTensor over a whole image equals training\'s read_image + normalise', () => {
  const fx = fixture<CropFixture>('crop.json');
  const img = { width: fx.image.width, height: fx.image.height, data: Uint8Array.from(fx.image.rgb) };
  const norm = { mean: fx.mean, std: fx.std };
  for (const c of fx.cases) {
    const plane = c.width * c.height;
    const out = new Float32Array(3 * plane);
    cropToTensor(img, [0, 0, img.width, img.height], c.width, c.height, norm, out, 0);
    // Python rounds to uint8 before normalising (cv2 fixed point); TS keeps the exact bilinear value.
    // So compare in 0–255 units: within one level everywhere, well under half a level on average.
    let worst = 0, total = 0;
    for (let ch = 0; ch < 3; ch++) {
      for (let i = 0; i < plane; i++) {
        const ts = (out[ch * plane + i] * fx.std[ch] + fx.mean[ch]) * 255;
        const d = Math.abs(ts - c.rgb[ch * plane + i]);
        worst = Math.max(worst, d);
        total += d;
      }
    }
    assert.ok(worst <= 1.0, `${c.width}×${c.height}: a pixel differs by ${worst.toFixed(3)} levels`);
    assert.ok(total / (3 * plane) < 0.35, `${c.width}×${c.height}: mean difference ${(total / (3 * plane)).toFixed(3)} levels`);
    const sum = out.reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(sum - c.checksum) / (3 * plane) < 0.02, `${c.width}×${c.height}: tensor sum ${sum} vs ${c.checksum}`);
  }
});

test('crop: the shipped IVT manifest normalises as training did', () => {
  const fx = fixture<CropFixture>('crop.json');
  const m = loadIvtManifest('ivt-small-synth-v1'); // the model crop.json was written from (1.2.0's training)
  assert.deepEqual(m.image.mean, fx.mean);
  assert.deepEqual(m.image.std, fx.std);
});

interface NanodetFixture {
  params: { inputSize: number; numClasses: number; regMax: number; classId: number; scoreThreshold: number; centerOffset: number; scoresAreProbabilities: boolean };
  levels: { stride: number; cls: number[]; reg: number[] }[];
  boxes: [number, number, number, number][];
  scores: number[];
}

test('NanoDet decode: decodeNanodet gives the Python decoder\'s boxes and scores, in order', () => {
  const fx = fixture<NanodetFixture>('nanodet-decode.json');
  const p = fx.params;
  const got = decodeNanodet(
    fx.levels.map((l) => ({ stride: l.stride, cls: Float32Array.from(l.cls), reg: Float32Array.from(l.reg) })),
    {
      inputWidth: p.inputSize, inputHeight: p.inputSize, numClasses: p.numClasses, regMax: p.regMax, centerOffset: p.centerOffset,
      scoresAreProbabilities: p.scoresAreProbabilities, classIds: [p.classId], scoreThreshold: p.scoreThreshold,
    },
  );
  assert.ok(fx.boxes.length > 20, 'the fixture exercises many boxes');
  assert.equal(got.length, fx.boxes.length);
  got.forEach((d, i) => {
    const [x1, y1, x2, y2] = fx.boxes[i];
    const want = [x1, y1, x2 - x1, y2 - y1];
    d.bbox.forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 1e-6, `box ${i}[${k}]: ${v} vs ${want[k]}`));
    assert.ok(Math.abs(d.score - fx.scores[i]) < 1e-7, `score ${i}`);
    assert.equal(d.classId, p.classId);
  });
});
