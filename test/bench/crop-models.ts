// Per-crop time of the ReID and attribute networks and of the IVT image encoders (the embed stage:
// the shipped default, and IVT 2.0 / SIGHTLINE_IVT_MODEL when present, with their ratio in the same run)
// as the app runs them (crop + resize + ORT), batch 8, on the committed vtest crops:
//   npx tsc -p tsconfig.json && SIGHTLINE_THREADS=1 node dist/test/bench/crop-models.js [rounds]
// SIGHTLINE_THREADS sets ORT's intra-op threads (providers.ts). Prints wall ms/crop (median, best)
// and CPU ms/crop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AttributeModel } from '../../electron/engine/vision/attributes';
import { ImageEncoder } from '../../electron/engine/vision/ivt';
import { modelDir, packageRoot } from '../../electron/engine/vision/manifest';
import type { Crop } from '../../electron/engine/vision/onnxModel';
import { ReidEncoder } from '../../electron/engine/vision/reid';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'openvino');
const BATCH = 8;

function crops(): Crop[] {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops.json'), 'utf8')) as { crops: Record<string, { file: string; width: number; height: number }> };
  const list = Object.values(meta.crops).map((c) => {
    const data = new Uint8Array(gunzipSync(fs.readFileSync(path.join(FIXTURES, c.file))));
    return { image: { width: c.width, height: c.height, data }, bbox: [0, 0, c.width, c.height] as [number, number, number, number] };
  });
  return Array.from({ length: BATCH }, (_, i) => list[i % list.length]);
}

async function time(name: string, run: () => Promise<unknown>, rounds: number): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  // CPU time (all threads of this process) per crop: what the crop costs the machine, and less
  // sensitive than wall time to other processes sharing the cores.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6 / BATCH);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / rounds / BATCH;
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(46)} wall ${ms[ms.length >> 1].toFixed(2).padStart(6)} ms/crop median, ${ms[0].toFixed(2).padStart(6)} best; CPU ${cpuMs.toFixed(2).padStart(6)} ms/crop  (batch ${BATCH}, ${rounds} rounds)`);
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
  const attrs = await AttributeModel.load(undefined, { provider: 'cpu' });
  await time(attrs.manifest.id, () => attrs.predict(batch), rounds);
  await attrs.close();
  // IVT image encoders: the old 1.2.0 and the model under test, same crops, same run.
  const other = process.env.SIGHTLINE_IVT_MODEL || (fs.existsSync(modelDir('ivt-osnet-v2')) ? 'ivt-osnet-v2' : undefined);
  const cpuOf: number[] = [];
  for (const id of ['ivt-small-synth-v1', ...(other ? [other] : [])]) {
    const enc = await ImageEncoder.load(id, 'cpu');
    cpuOf.push(await time(`${enc.manifest.id}@${enc.manifest.version} (image)`, () => enc.embedCrops(batch), rounds));
    await enc.close();
  }
  if (cpuOf.length === 2) console.log(`IVT image encoder CPU per crop: ${(cpuOf[1] / cpuOf[0]).toFixed(1)}x the 1.2.0 encoder`);
}

main().catch((e) => { console.error(e); process.exit(1); });
