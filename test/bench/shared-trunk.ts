// IVT 2.0 (ivt-osnet-v2) image vectors through the shared 0288 trunk (ReID model.onnx's "trunk" output +
// image_head.onnx) against the whole image encoder, on real crops: people the detector finds in a real
// video (default vtest.avi, sampled at 1 fps), cut as indexing cuts them (indexing/perceive.ts: the IVT
// crop has the CROP_MARGIN margin, the ReID crop is the detector's box itself).
//   npx tsc -p tsconfig.json && node dist/test/bench/shared-trunk.js [video] [seconds]
// Prints max |Δ| and min cosine of the L2-normalised 256-d vectors for: the same crop both ways (the
// parity of the split), and the trunk of the ReID crop vs the encoder on the IVT crop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { BBox } from '../../electron/engine/contract';
import { cropBox } from '../../electron/engine/indexing/thumbnail';
import { plausiblePeople } from '../../electron/engine/indexing/personFilter';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { clipBox } from '../../electron/engine/vision/crop';
import { Detector } from '../../electron/engine/vision/detector';
import { ImageEncoder } from '../../electron/engine/vision/ivt';
import { ReidEncoder } from '../../electron/engine/vision/reid';

const VTEST = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';

/** Max |Δ| over all values, min and mean cosine of two lists of L2-normalised vectors. */
export function compare(a: Float32Array[], b: Float32Array[]): { maxAbs: number; minCos: number; meanCos: number } {
  let maxAbs = 0, minCos = 1, sum = 0;
  a.forEach((v, i) => {
    let dot = 0;
    for (let k = 0; k < v.length; k++) { maxAbs = Math.max(maxAbs, Math.abs(v[k] - b[i][k])); dot += v[k] * b[i][k]; }
    minCos = Math.min(minCos, dot);
    sum += dot;
  });
  return { maxAbs, minCos, meanCos: sum / Math.max(1, a.length) };
}

async function main(): Promise<void> {
  const video = process.argv[2] || VTEST;
  const seconds = Number(process.argv[3]) || 30;
  if (!fs.existsSync(video)) { console.log(`${video} not found: skipped`); return; }
  const detector = await Detector.load(undefined, 'cpu');
  const reid = await ReidEncoder.load('person-reidentification-retail-0288', { provider: 'cpu' });
  const full = await ImageEncoder.load('ivt-osnet-v2', 'cpu');
  const head = await ImageEncoder.load('ivt-osnet-v2', 'cpu', reid.manifest);
  const ivtCrops: { image: Frame; bbox: BBox }[] = [];
  const reidCrops: { image: Frame; bbox: BBox }[] = [];
  for await (const f of sampleFrames(video, { ffmpegPath: resolveFfmpeg().ffmpeg, fps: 1 })) {
    if (f.timeS > seconds) break;
    for (const d of plausiblePeople((await detector.detect([f]))[0], f.width, f.height)) {
      ivtCrops.push({ image: f, bbox: cropBox(f, d.bbox) });
      reidCrops.push({ image: f, bbox: clipBox(d.bbox, f.width, f.height, 0) });
    }
  }
  const trunkOf = async (crops: typeof ivtCrops): Promise<Float32Array[]> => head.embedTrunk((await reid.embedWithTrunk(crops, head.trunk!.output)).trunk);
  const encIvt = await full.embedCrops(ivtCrops), encReid = await full.embedCrops(reidCrops);
  const sharedIvt = await trunkOf(ivtCrops), sharedReid = await trunkOf(reidCrops);
  const fmt = (r: ReturnType<typeof compare>): string => `max |Δ| ${r.maxAbs.toExponential(2)}, cosine min ${r.minCos.toFixed(6)} mean ${r.meanCos.toFixed(6)}`;
  console.log(`${new Date().toISOString()} load ${os.loadavg()[0].toFixed(1)}; ${video} first ${seconds} s at 1 fps: ${ivtCrops.length} person crops`);
  console.log(`same crop (IVT crop, margin):      trunk+head vs encoder: ${fmt(compare(sharedIvt, encIvt))}`);
  console.log(`same crop (ReID crop, no margin):  trunk+head vs encoder: ${fmt(compare(sharedReid, encReid))}`);
  console.log(`as indexing cuts them: trunk of the ReID crop + head vs encoder on the IVT crop: ${fmt(compare(sharedReid, encIvt))}`);
  // The other way to one crop: the ReID network on the IVT crop (its vectors change; tracking would need re-measuring).
  const reidTight = (await reid.embedWithTrunk(reidCrops)).embeddings, reidMargin = (await reid.embedWithTrunk(ivtCrops)).embeddings;
  console.log(`ReID vectors, IVT crop vs ReID crop: ${fmt(compare(reidMargin, reidTight))}`);
  await Promise.all([detector.close(), reid.close(), full.close(), head.close()]);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
