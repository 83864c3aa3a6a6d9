// The ReID and attribute networks (converted from OpenVINO IR by native-models/tools/ir2onnx) in
// the app's classes, on real people: hand-picked vtest.avi crops in test/fixtures/openvino
// (made by `python3 -m ir2onnx.make_fixture`; A and B are each seen at 2 s and 6 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AttributeModel, type PersonAttributes } from '../../electron/engine/vision/attributes';
import type { RgbImage } from '../../electron/engine/vision/frame';
import { ModelError, packageRoot } from '../../electron/engine/vision/manifest';
import type { Crop } from '../../electron/engine/vision/onnxModel';
import { cosine, ReidEncoder } from '../../electron/engine/vision/reid';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'openvino');
const REID_MODELS = ['person-reidentification-retail-0288', 'person-reidentification-retail-0287'];
const ATTRIBUTES = 'person-attributes-recognition-crossroad-0230';

interface FixtureMeta {
  crops: Record<string, { file: string; width: number; height: number }>;
  parity: Record<string, { file: string; width: number; height: number; outputs: Record<string, number[]> }>;
}
const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops.json'), 'utf8')) as FixtureMeta;

function image(file: string, width: number, height: number): RgbImage {
  const data = new Uint8Array(gunzipSync(fs.readFileSync(path.join(FIXTURES, file))));
  assert.equal(data.length, width * height * 3, file);
  return { width, height, data };
}
const whole = (img: RgbImage): Crop => ({ image: img, bbox: [0, 0, img.width, img.height] });
const crop = (name: string): Crop => { const c = meta.crops[name]; return whole(image(c.file, c.width, c.height)); };
const NAMES = ['A2', 'A6', 'B2', 'B6', 'C6', 'D2'];

for (const id of REID_MODELS) {
  test(`${id}: the ReidEncoder reproduces the NumPy reference of the IR on a net-sized crop`, async () => {
    const p = meta.parity[id];
    const reid = await ReidEncoder.load(id, { provider: 'cpu' });
    try {
      const [v] = await reid.embed([whole(image(p.file, p.width, p.height))]);
      const ref = Float32Array.from(p.outputs.reid_embedding);
      const norm = Math.hypot(...ref);
      assert.equal(v.length, reid.dim);
      for (let i = 0; i < v.length; i++) assert.ok(Math.abs(v[i] - ref[i] / norm) < 2e-5, `${id} [${i}]: ${v[i]} vs ${ref[i] / norm}`);
    } finally { await reid.close(); }
  });

  test(`${id}: the same person at 2 s and 6 s is closer than any two different people`, async () => {
    const reid = await ReidEncoder.load(id, { provider: 'cpu' });
    try {
      const vecs = await reid.embed(NAMES.map(crop));
      const v = Object.fromEntries(NAMES.map((n, i) => [n, vecs[i]]));
      for (const x of vecs) assert.ok(Math.abs(Math.hypot(...x) - 1) < 1e-5, 'L2-normalised');
      const same = [cosine(v.A2, v.A6), cosine(v.B2, v.B6)];
      const different: number[] = [];
      for (let i = 0; i < NAMES.length; i++) {
        for (let j = i + 1; j < NAMES.length; j++) if (NAMES[i][0] !== NAMES[j][0]) different.push(cosine(vecs[i], vecs[j]));
      }
      console.log(`# ${id}: same person ${same.map((s) => s.toFixed(2)).join(', ')}; different people max ${Math.max(...different).toFixed(2)}`);
      assert.ok(Math.min(...same) > Math.max(...different), `same ${same} vs different max ${Math.max(...different)}`);
    } finally { await reid.close(); }
  });
}

test('ReidEncoder: batches of 8, 3 and 1 give the same vectors', async () => {
  const crops = [...NAMES, ...NAMES].map(crop).slice(0, 10);
  const big = await ReidEncoder.load(undefined, { provider: 'cpu' });
  const small = await ReidEncoder.load(undefined, { provider: 'cpu', maxBatch: 3 });
  try {
    assert.equal(big.batchSize, 8);
    const [a, b] = [await big.embed(crops), await small.embed(crops)];
    const [one] = await small.embed([crops[9]]);
    assert.equal(a.length, 10);
    for (let i = 0; i < a.length; i++) assert.ok(cosine(a[i], b[i]) > 0.99999, `crop ${i}`);
    assert.ok(cosine(one, a[9]) > 0.99999);
    assert.deepEqual(await big.embed([]), []);
  } finally { await big.close(); await small.close(); }
});

test(`${ATTRIBUTES}: the AttributeModel reproduces the NumPy reference of the IR on a net-sized crop`, async () => {
  const p = meta.parity[ATTRIBUTES];
  const model = await AttributeModel.load(ATTRIBUTES, { provider: 'cpu' });
  try {
    const [a] = await model.predict([whole(image(p.file, p.width, p.height))]);
    const close = (x: number, y: number, what: string) => assert.ok(Math.abs(x - y) < 2e-5, `${what}: ${x} vs ${y}`);
    Object.values(a.probabilities).forEach((v, i) => close(v, p.outputs['453'][i], `attribute ${i}`));
    close(a.topColorPoint.x, p.outputs['456'][0], 'top x'); close(a.topColorPoint.y, p.outputs['456'][1], 'top y');
    close(a.bottomColorPoint.x, p.outputs['459'][0], 'bottom x'); close(a.bottomColorPoint.y, p.outputs['459'][1], 'bottom y');
  } finally { await model.close(); }
});

/** Mean RGB of a 5x5 patch of the crop around a point given in 0-1 crop coordinates. */
function patch(c: Crop, p: { x: number; y: number }): [number, number, number] {
  const { width, height, data } = c.image;
  const cx = Math.round(p.x * (width - 1)), cy = Math.round(p.y * (height - 1));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, cy - 2); y <= Math.min(height - 1, cy + 2); y++) {
    for (let x = Math.max(0, cx - 2); x <= Math.min(width - 1, cx + 2); x++) {
      for (let k = 0; k < 3; k++) sum[k] += data[(y * width + x) * 3 + k];
      n++;
    }
  }
  return sum.map((s) => s / n) as [number, number, number];
}

test(`${ATTRIBUTES}: what can be seen in the crops (trousers, the woman, the colour points)`, async () => {
  const model = await AttributeModel.load(ATTRIBUTES, { provider: 'cpu' });
  try {
    const crops = NAMES.map(crop);
    const out = await model.predict(crops);
    const by: Record<string, PersonAttributes> = Object.fromEntries(NAMES.map((n, i) => [n, out[i]]));
    for (const n of NAMES) {
      const a = by[n];
      console.log(`# ${n}: ${Object.entries(a.probabilities).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' ')}; top (${a.topColorPoint.x.toFixed(2)}, ${a.topColorPoint.y.toFixed(2)}) bottom (${a.bottomColorPoint.x.toFixed(2)}, ${a.bottomColorPoint.y.toFixed(2)})`);
      for (const v of Object.values(a.probabilities)) assert.ok(v >= 0 && v <= 1);
      // Everyone here wears long trousers (jeans or black trousers).
      assert.ok(a.probabilities.longPants > 0.5, `${n} longPants ${a.probabilities.longPants}`);
      // Top garment above bottom garment, both inside the crop.
      assert.ok(a.topColorPoint.y < 0.5 && a.bottomColorPoint.y > 0.5, `${n} colour points`);
      for (const p of [a.topColorPoint, a.bottomColorPoint]) assert.ok(p.x > 0 && p.x < 1 && p.y > 0 && p.y < 1);
    }
    // B is a woman (both instants); C is a man.
    assert.ok(by.B2.probabilities.isMale < 0.5 && by.B6.probabilities.isMale < 0.5, 'B is a woman');
    assert.ok(by.C6.probabilities.isMale > 0.5, 'C is a man');
    // B's long black coat is dark where the top colour is read; C's jeans are blue where the bottom colour is read.
    const bTop = patch(crops[NAMES.indexOf('B6')], by.B6.topColorPoint);
    const cBottom = patch(crops[NAMES.indexOf('C6')], by.C6.bottomColorPoint);
    console.log(`# B6 top patch rgb ${bTop.map(Math.round)}; C6 bottom patch rgb ${cBottom.map(Math.round)}`);
    assert.ok(Math.max(...bTop) < 90, `B6 top ${bTop}`);
    assert.ok(cBottom[2] > cBottom[0] + 15, `C6 bottom ${cBottom}`);
  } finally { await model.close(); }
});

test('a manifest of the wrong kind or a damaged model file is refused with the file named', async () => {
  await assert.rejects(ReidEncoder.load(ATTRIBUTES), (e: Error) => e instanceof ModelError && /manifest\.json: expected a "reid" model, found "attributes"/.test(e.message));
  const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'reid-'));
  try {
    const src = path.join(packageRoot(), 'native-models', REID_MODELS[0]);
    fs.copyFileSync(path.join(src, 'manifest.json'), path.join(tmp, 'manifest.json'));
    fs.writeFileSync(path.join(tmp, 'model.onnx'), 'not a model');
    await assert.rejects(ReidEncoder.load(tmp), (e: Error) => e instanceof ModelError && e.message.includes(path.join(tmp, 'model.onnx')) && /checksum mismatch/.test(e.message));
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
