// Per-crop time of the ReID and attribute networks and of the IVT image encoders (the embed stage:
// the shipped default, and IVT 2.0 / SIGHTLINE_IVT_MODEL when present (an ensemble: all its members, as the
// embed stage runs them), with their ratio in the same run)
// as the app runs them (crop + resize + ORT), batch 8, on the committed vtest crops, and of the
// garment-colour regions (vision/evidence.ts) that complete the attributes stage: the budget
// is network + colours ≤ 3 ms CPU per crop.
//   npx tsc -p tsconfig.json && SIGHTLINE_THREADS=1 node dist/test/bench/crop-models.js [rounds]
// Last: the embed + reid stages together, with and without the shared 0288 trunk (IVT 2.0 members).
// SIGHTLINE_THREADS sets ORT's intra-op threads (providers.ts). Prints wall ms/crop (median, best)
// and CPU ms/crop; for 0288 also the crop + resize alone (no network) and batch sizes 1–32.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AttributeModel } from '../../electron/engine/vision/attributes';
import { IvtImageEncoders } from '../../electron/engine/vision/ivt';
import { modelDir, packageRoot } from '../../electron/engine/vision/manifest';
import { cropEvidence } from '../../electron/engine/vision/evidence';
import { type Crop, cropBatch } from '../../electron/engine/vision/onnxModel';
import { ReidEncoder } from '../../electron/engine/vision/reid';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'openvino');
const BATCH = 8;

function crops(n = BATCH): Crop[] {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops.json'), 'utf8')) as { crops: Record<string, { file: string; width: number; height: number }> };
  const list = Object.values(meta.crops).map((c) => {
    const data = new Uint8Array(gunzipSync(fs.readFileSync(path.join(FIXTURES, c.file))));
    return { image: { width: c.width, height: c.height, data }, bbox: [0, 0, c.width, c.height] as [number, number, number, number] };
  });
  return Array.from({ length: n }, (_, i) => list[i % list.length]);
}

/** Nearest-neighbour ×2.5 of a crop. */
function upscale(c: Crop): Crop {
  const { width, height, data } = c.image;
  const w = Math.round(width * 2.5), h = Math.round(height * 2.5);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (Math.floor(y / 2.5) * width + Math.floor(x / 2.5)) * 3, d = (y * w + x) * 3;
      out[d] = data[s]; out[d + 1] = data[s + 1]; out[d + 2] = data[s + 2];
    }
  }
  return { image: { width: w, height: h, data: out }, bbox: [0, 0, w, h] };
}

async function time(name: string, run: () => unknown, rounds: number, batchSize = BATCH): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  // CPU time (all threads of this process) per crop: what the crop costs the machine, and less
  // sensitive than wall time to other processes sharing the cores.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6 / batchSize);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / rounds / batchSize;
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(46)} wall ${ms[ms.length >> 1].toFixed(2).padStart(6)} ms/crop median, ${ms[0].toFixed(2).padStart(6)} best; CPU ${cpuMs.toFixed(2).padStart(6)} ms/crop  (batch ${batchSize}, ${rounds} rounds)`);
  return cpuMs;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2]) || 20;
  const batch = crops();
  console.log(`threads ${process.env.SIGHTLINE_THREADS ?? '(default)'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} cores`);
  for (const id of ['person-reidentification-retail-0288', 'person-reidentification-retail-0287']) {
    const reid = await ReidEncoder.load(id, { provider: 'cpu' });
    await time(id, () => reid.embed(batch), rounds);
    await reid.close();
  }
  // What the ReID stage is made of: cutting + resizing the crops into the input tensor (JS), and the
  // network; and how the batch size changes the network's cost per crop.
  const small = await ReidEncoder.load('person-reidentification-retail-0288', { provider: 'cpu' });
  await time('0288 crop + resize only (no network)', () => cropBatch(batch, small.manifest.input), rounds);
  await small.close();
  for (const b of [1, 4, 16, 32]) {
    const reid = await ReidEncoder.load('person-reidentification-retail-0288', { provider: 'cpu', maxBatch: b });
    const many = crops(b);
    await time(`0288 batch ${b}`, () => reid.embed(many), Math.max(3, Math.round((rounds * BATCH) / b)), b);
    await reid.close();
  }
  const attrs = await AttributeModel.load(undefined, { provider: 'cpu' });
  await time(attrs.manifest.id, () => attrs.predict(batch), rounds);
  const predicted = await attrs.predict(batch);
  await attrs.close();
  // The colour regions on the same crops, and on the same crops scaled ×2.5 (a 1080p person is
  // ~100×250 px; the committed crops are vtest's ~40×100): the region read is bounded by samples, not size.
  const large = batch.map(upscale);
  await time('garment colours (vtest-size crops)', async () => batch.forEach((c, i) => cropEvidence(c.image, c.bbox, predicted[i])), rounds * 10);
  await time('garment colours (1080p-size crops)', async () => large.forEach((c, i) => cropEvidence(c.image, c.bbox, predicted[i])), rounds * 10);
  // IVT image encoders: the old 1.2.0 and the model under test, same crops, same run.
  const other = process.env.SIGHTLINE_IVT_MODEL || (fs.existsSync(modelDir('ivt-osnet-v2')) ? 'ivt-osnet-v2' : undefined);
  const cpuOf: number[] = [];
  for (const id of ['ivt-small-synth-v1', ...(other ? [other] : [])]) {
    const enc = await IvtImageEncoders.load(id, 'cpu');
    cpuOf.push(await time(`${enc.space} (image)`, () => enc.embedCrops(batch), rounds));
    await enc.close();
  }
  if (cpuOf.length === 2) console.log(`IVT image encoder CPU per crop: ${(cpuOf[1] / cpuOf[0]).toFixed(1)}x the 1.2.0 encoder`);
  if (other) await sharedTrunk(other, batch, rounds);
}

/**
 * embed + reid stages together per crop, as perceive.ts runs them: 1.2.0 + ReID (the default), the model
 * under test with its whole encoders + ReID, and the same with members built on the 0288 trunk running only
 * their head on the ReID pass's feature map (IvtManifest.image.sharedTrunk; the committed crops are whole
 * images, so the IVT and ReID crops are one box here).
 */
async function sharedTrunk(id: string, batch: Crop[], rounds: number): Promise<void> {
  const reid = await ReidEncoder.load('person-reidentification-retail-0288', { provider: 'cpu' });
  const base = await IvtImageEncoders.load('ivt-small-synth-v1', 'cpu');
  const full = await IvtImageEncoders.load(id, 'cpu');
  const shared = await IvtImageEncoders.load(id, 'cpu', reid.manifest);
  const trunk = shared.trunkOutput;
  if (!trunk) {
    console.log(`${shared.space}: no member reads the ${reid.manifest.id} trunk (image.sharedTrunk): nothing shared`);
  } else {
    const b = await time(`embed+reid: ${base.space} + 0288`, async () => { await base.embedCrops(batch); await reid.embed(batch); }, rounds);
    const f = await time(`embed+reid: ${full.space} + 0288 (whole encoders)`, async () => { await full.embedCrops(batch); await reid.embed(batch); }, rounds);
    const s = await time(`embed+reid: ${shared.space} + 0288 (shared trunk)`, async () => {
      const pass = await reid.embedWithTrunk(batch, trunk);
      await shared.embedCrops(batch, pass.trunk);
    }, rounds);
    console.log(`embed+reid CPU per crop over ${base.space} + 0288: whole encoders +${(f - b).toFixed(2)} ms, shared trunk +${(s - b).toFixed(2)} ms (${(s / f).toFixed(2)}x the whole-encoder path)`);
  }
  for (const m of [reid, base, full, shared]) await m.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
