// IVT 2.0 (ivt-osnet-v2) on the ReID network's trunk: person-reidentification-retail-0288's model.onnx hands
// out its layer-1126 feature map ("trunk") next to the unchanged embedding, and the member's image_head.onnx
// turns that map into the same vector its whole image encoder gives (real ONNX Runtime, the committed
// vtest crops, the bundled sample video through perceive.ts). Indexing shares the trunk only when the IVT
// and ReID crops are one box (thumbnail.ts CROPS_AGREE); otherwise, or with another ReID model, the whole
// encoder runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { perceive } from '../../electron/engine/indexing/perceive';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { newStageTimes, StageClock } from '../../electron/engine/indexing/stages';
import { CROPS_AGREE } from '../../electron/engine/indexing/thumbnail';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { ImageEncoder, IvtImageEncoders } from '../../electron/engine/vision/ivt';
import { loadIvtManifest, loadReidManifest, packageRoot } from '../../electron/engine/vision/manifest';
import type { Crop } from '../../electron/engine/vision/onnxModel';
import { ReidEncoder } from '../../electron/engine/vision/reid';
import { compare } from '../bench/shared-trunk';
import { SAMPLE_VIDEO } from '../helpers/cli';

const ENSEMBLE = 'ivt-ensemble-v1';
const V2 = 'ivt-osnet-v2';
const REID = 'person-reidentification-retail-0288';
const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'openvino');

/** The committed vtest.avi crops (whole images: the IVT and the ReID crop are one box). */
function vtestCrops(): Crop[] {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops.json'), 'utf8')) as { crops: Record<string, { file: string; width: number; height: number }> };
  return Object.values(meta.crops).map((c) => ({
    image: { width: c.width, height: c.height, data: new Uint8Array(gunzipSync(fs.readFileSync(path.join(FIXTURES, c.file)))) },
    bbox: [0, 0, c.width, c.height],
  }));
}

function bitwiseEqual(a: Float32Array[], b: Float32Array[], what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.deepEqual(Buffer.from(v.buffer, v.byteOffset, v.byteLength), Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength), `${what}: crop ${i}`));
}

test('the 0288 ReID network hands out its trunk map from the same pass, and its embedding is unchanged to the bit', { timeout: 60_000 }, async () => {
  const reid = await ReidEncoder.load(REID, { provider: 'cpu' });
  try {
    const crops = vtestCrops();
    const alone = await reid.embed(crops);
    const pass = await reid.embedWithTrunk(crops, 'trunk');
    bitwiseEqual(pass.embeddings, alone, 'embedding with and without the trunk output');
    assert.equal(reid.manifest.outputs.trunk.name, '1126');
    assert.deepEqual(reid.manifest.outputs.trunk.shape, [128, 16, 8]);
    assert.equal(pass.trunk.length, crops.length);
    for (const m of pass.trunk) assert.equal(m.length, 128 * 16 * 8);
    assert.ok(pass.trunk[0].some((x) => x > 0) && pass.trunk[0].every((x) => x >= 0), 'a ReLU output: non-negative, not all zero');
    assert.throws(() => reid.trunkOutput('nope'), /person-reidentification-retail-0288[\\/]manifest\.json: person-reidentification-retail-0288 has no inner output "nope" \(has embedding, trunk\)/);
  } finally {
    await reid.close();
  }
});

test('IVT 2.0 image head on the trunk map = its whole image encoder on the committed vtest crops (cosine ≥ 0.9999)', { timeout: 60_000 }, async () => {
  const reid = await ReidEncoder.load(REID, { provider: 'cpu' });
  const whole = await ImageEncoder.load(V2, 'cpu');
  const head = await ImageEncoder.load(V2, 'cpu', reid.manifest);
  try {
    const crops = vtestCrops();
    const want = await whole.embedCrops(crops);
    const got = await head.embedTrunk((await reid.embedWithTrunk(crops, head.trunk!.output)).trunk);
    const d = compare(got, want);
    assert.ok(d.minCos >= 0.9999 && d.maxAbs < 1e-5, `max |Δ| ${d.maxAbs}, min cosine ${d.minCos}`);
    // Not a degenerate pass: different people give different vectors.
    assert.ok(compare([want[0]], [want[1]]).minCos < 0.99);
    // Each path refuses the other's input.
    await assert.rejects(head.embedCrops(crops), /ivt-osnet-v2: loaded as its image head, it embeds person-reidentification-retail-0288 feature maps/);
    await assert.rejects(whole.embedTrunk([new Float32Array(16384)]), /loaded as the whole image encoder/);
    await assert.rejects(head.embedTrunk([new Float32Array(10)]), /feature map of 10 values, person-reidentification-retail-0288 "trunk" is 128×16×8/);
  } finally {
    await Promise.all([reid.close(), whole.close(), head.close()]);
  }
});

test('only members built on that ReID network load as heads: 1.2.0 and any member with 0287 keep their whole encoder', { timeout: 60_000 }, async () => {
  const on0288 = await IvtImageEncoders.load(ENSEMBLE, 'cpu', loadReidManifest(REID));
  const on0287 = await IvtImageEncoders.load(ENSEMBLE, 'cpu', loadReidManifest('person-reidentification-retail-0287'));
  try {
    assert.equal(on0288.trunkOutput, 'trunk');
    assert.deepEqual(on0288.members.map((m) => m.trunk?.head), [undefined, 'image_head.onnx']);
    assert.equal(on0287.trunkOutput, undefined);
    assert.deepEqual(on0287.members.map((m) => m.trunk), [undefined, undefined]);
    await assert.rejects(on0288.embedCrops(vtestCrops()), /ivt-osnet-v2: runs on the person-reidentification-retail-0288 trunk: needs its feature map of each of the 6 crops/);
    await assert.rejects(ImageEncoder.load(loadIvtManifest('ivt-small-synth-v1'), 'cpu', loadReidManifest(REID)), /ivt-small-synth-v1[\\/]manifest\.json: image\.sharedTrunk does not name a \[C, H, W\] output of person-reidentification-retail-0288/);
  } finally {
    await on0288.close();
    await on0287.close();
  }
});

test('indexing loads the trunk-sharing path only when the IVT and ReID crops are one box', { timeout: 120_000 }, async () => {
  const models = await loadIndexModels({ provider: 'cpu', ivtModel: ENSEMBLE });
  try {
    // Today the IVT crop has a margin and the ReID crop has none: the 2.0.0 member runs its whole encoder.
    assert.equal(CROPS_AGREE, false);
    assert.equal(models.encoder.trunkOutput, undefined);
    assert.deepEqual(models.encoder.memberSpaces, ['ivt-small-synth-v1@1.2.0', 'ivt-osnet-v2@2.0.0']);
  } finally {
    await closeIndexModels(models);
  }
});

test('perceive with the shared trunk: same ReID and 1.2.0 vectors to the bit, 2.0.0 = its whole encoder on the ReID crop, time charged to reid and embed', { timeout: 300_000 }, async () => {
  const models = await loadIndexModels({ provider: 'cpu', ivtModel: ENSEMBLE });
  const shared = { ...models, encoder: await IvtImageEncoders.load(ENSEMBLE, 'cpu', models.reid.manifest) };
  const whole = await ImageEncoder.load(V2, 'cpu');
  try {
    const frames: Frame[] = [];
    for await (const f of sampleFrames(SAMPLE_VIDEO, { ffmpegPath: resolveFfmpeg().ffmpeg, fps: 1 })) if (frames.push(f) >= 6) break;
    const wholeTimes = newStageTimes(), sharedTimes = newStageTimes();
    const a = await perceive(frames, models, new StageClock(wholeTimes));
    const b = await perceive(frames, shared, new StageClock(sharedTimes));
    assert.ok(a.crops.length >= 4, `${a.crops.length} person crops`);
    assert.deepEqual(b.crops.map((c) => c.bbox), a.crops.map((c) => c.bbox));
    bitwiseEqual(b.appearances, a.appearances, 'ReID vectors');
    bitwiseEqual(b.vectors[0], a.vectors[0], '1.2.0 vectors');
    // The whole path embeds the IVT crop (margin); the shared one the ReID crop it shares.
    bitwiseEqual(a.vectors[1], await whole.embedCrops(a.crops), '2.0.0 vectors of the whole path');
    const d = compare(b.vectors[1], await whole.embedCrops(a.crops.map((c) => ({ image: c.image, bbox: c.tight }))));
    assert.ok(d.minCos >= 0.9999 && d.maxAbs < 1e-5, `shared 2.0.0 vs whole encoder on the ReID crop: max |Δ| ${d.maxAbs}, min cosine ${d.minCos}`);
    for (const t of [wholeTimes, sharedTimes]) assert.ok(t.embed > 0 && t.reid > 0 && t.detect > 0 && t.attributes > 0, JSON.stringify(t));
  } finally {
    await shared.encoder.close();
    await whole.close();
    await closeIndexModels(models);
  }
});
