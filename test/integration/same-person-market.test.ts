// "Same person" across two cameras on real footage: the woman in the white dress of Market-1501
// (test/fixtures/real-footage/devset.json, annotated in camera 1 and camera 3). Her camera-1 boxes
// are the query (a sighting's mean ReID vector, as samePerson does); the gallery is every person the
// detector finds in the camera-3 frames plus the annotated people there. She must rank in the top 3.
// Research-only footage, read at test time from ../shared (never committed): skipped where absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BBox } from '../../electron/engine/contract';
import { rankByAppearance } from '../../electron/engine/search/samePerson';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { clipBox } from '../../electron/engine/vision/crop';
import { Detector } from '../../electron/engine/vision/detector';
import { ReidEncoder } from '../../electron/engine/vision/reid';
import { cameraOf, groundTruthFile, type Hit, loadDevset, rankOfSamePerson, realFootageDir } from '../bench/groundTruth';
import { ROOT } from '../helpers/cli';

const real = realFootageDir(ROOT);
const skip = real && fs.existsSync(path.join(real, 'market1501-frames')) ? false : '../shared/real-footage/market1501-frames absent';

async function still(file: string): Promise<Frame> {
  for await (const f of sampleFrames(file, { ffmpegPath: resolveFfmpeg().ffmpeg, fps: 1, maxSide: 4096 })) return f;
  throw new Error(`${file}: no frame decoded`);
}

test('same person: the white-dress woman from camera 1 is in the top 3 of camera 3, by ReID', { skip, timeout: 10 * 60_000 }, async () => {
  const devset = loadDevset(groundTruthFile(ROOT, 'devset'));
  const woman = devset.people.find((p) => p.id === 'm1501-woman-white-dress')!;
  const reid = await ReidEncoder.load(undefined, { provider: 'cpu' });
  const detector = await Detector.load(undefined, 'cpu');
  try {
    const embed = async (file: string, boxes: BBox[]): Promise<Float32Array[]> => {
      const f = await still(path.join(real!, file));
      return reid.embed(boxes.map((b) => ({ image: f, bbox: clipBox(b, f.width, f.height, 0) })));
    };
    const homeCam = 'c1';
    const query = new Float32Array(reid.dim);
    for (const a of woman.appearances.filter((x) => cameraOf(x.file) === homeCam)) {
      const [v] = await embed(a.file, [a.bbox]);
      for (let i = 0; i < v.length; i++) query[i] += v[i];
    }
    const n = Math.hypot(...query);
    for (let i = 0; i < query.length; i++) query[i] /= n;

    // Gallery: camera-3 frames, every detected person and every annotated one.
    const files = [...new Set(devset.people.flatMap((p) => p.appearances).map((a) => a.file).filter((f) => f.startsWith('market1501-frames/') && cameraOf(f) !== homeCam))];
    const gallery = new Map<number, Float32Array>();
    const hitOf = new Map<number, Hit>();
    for (const file of files) {
      const f = await still(path.join(real!, file));
      const boxes: BBox[] = [
        ...(await detector.detectFrame(f)).map((d) => d.bbox),
        ...devset.people.flatMap((p) => p.appearances).filter((a) => a.file === file).map((a) => a.bbox),
      ];
      const vectors = await reid.embed(boxes.map((b) => ({ image: f, bbox: clipBox(b, f.width, f.height, 0) })));
      vectors.forEach((v, i) => { const id = gallery.size + 1; gallery.set(id, v); hitOf.set(id, { file, t: 0, bbox: boxes[i] }); });
    }
    assert.ok(gallery.size >= 6, `gallery of ${gallery.size} people`);
    const ranked = rankByAppearance(query, gallery).map((r) => hitOf.get(r.sighting)!);
    const queryAppearance = woman.appearances.find((a) => cameraOf(a.file) === homeCam)!;
    const rank = rankOfSamePerson(woman, queryAppearance, ranked);
    assert.ok(rank !== null && rank <= 3, `the same woman in camera 3 ranked ${rank} of ${gallery.size}`);
    console.log(`same person (Market-1501 c1 → c3): rank ${rank} of ${gallery.size} gallery boxes`);
  } finally {
    await reid.close();
    await detector.close();
  }
});
