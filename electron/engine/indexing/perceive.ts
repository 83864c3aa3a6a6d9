// What the networks see in one batch of sampled frames: person boxes (detector + person filter), and per
// box its IVT embedding, ReID vector and attribute/colour evidence. Shared by the single-process
// pipeline (indexVideo.ts) and the team server's chunk workers (team/chunkIndexer.ts), so both index alike.
import type { BBox } from '../contract';
import type { Frame } from '../video/sampler';
import type { RgbImage } from '../vision/frame';
import type { TileKeeper } from '../vision/tiles';
import { clipBox } from '../vision/crop';
import { cropEvidence, type CropEvidence } from '../vision/evidence';
import { plausiblePeople } from './personFilter';
import { cropBox, REID_CROP_MARGIN } from './thumbnail';
import type { StageClock } from './stages';
import type { IndexModels } from './indexVideo';

/** One person box of a frame; `source` is in source-video pixels, `bbox`/`tight` in frame pixels. */
export interface PersonCrop { image: RgbImage; bbox: BBox; tight: BBox; frame: Frame; score: number; source: BBox }

export interface Perception {
  /** In frame order, and within a frame in the detector's order. */
  crops: PersonCrop[];
  /** IVT image vectors: [member of the IVT model][crop]. */
  vectors: Float32Array[][];
  appearances: Float32Array[];
  /** Empty without an attribute model. */
  evidence: (CropEvidence | undefined)[];
  /** Per frame of `seen`: whether any person was found (motion gating holds on people). */
  sawPeople: boolean[];
}

/** `tiles`: one video's adaptive-tiles keeper (vision/tiles.ts), when the detector tiles adaptively; without it every wide frame is tiled. */
export async function perceive(seen: Frame[], models: IndexModels, clock: StageClock, tiles?: TileKeeper): Promise<Perception> {
  const adaptive = tiles && { keeper: tiles, times: seen.map((f) => f.timeS), plausible: plausiblePeople };
  // Boxes that do not look like people (traffic cones) are dropped before anything is spent on them.
  const frameBoxes = (seen.length ? await models.detector.detect(seen, adaptive) : []).map((boxes, fi) => plausiblePeople(boxes, seen[fi].width, seen[fi].height));
  clock.lap('detect');
  // Boxes come in sampled-frame pixels; the index stores source-video pixels.
  const crops: PersonCrop[] = [];
  frameBoxes.forEach((boxes, fi) => {
    const f = seen[fi];
    for (const d of boxes) {
      const src: BBox = [d.bbox[0] / f.scale, d.bbox[1] / f.scale, d.bbox[2] / f.scale, d.bbox[3] / f.scale];
      crops.push({ image: f, bbox: cropBox(f, d.bbox), tight: clipBox(d.bbox, f.width, f.height, REID_CROP_MARGIN), frame: f, score: d.score, source: src });
    }
  });
  // ReID sees the detector's box itself (no margin), as the network was trained on.
  const reidCrops = crops.map((c) => ({ image: c.image, bbox: c.tight }));
  const trunk = models.encoder.trunkOutput;
  let vectors: Float32Array[][], appearances: Float32Array[];
  if (!trunk) {
    vectors = await models.encoder.embedCrops(crops);
    clock.lap('embed');
    appearances = await models.reid.embed(reidCrops);
    clock.lap('reid');
  } else {
    // An IVT member built on the ReID network's trunk (job.ts loads it so only when the two crops are
    // the same box): the ReID pass also hands out the trunk's map, the member runs its head on it.
    const pass = await models.reid.embedWithTrunk(reidCrops, trunk);
    appearances = pass.embeddings;
    clock.lap('reid');
    vectors = await models.encoder.embedCrops(crops, pass.trunk);
    clock.lap('embed');
  }
  const evidence: (CropEvidence | undefined)[] = models.attributes
    ? (await models.attributes.predict(crops)).map((a, i) => cropEvidence(crops[i].image, crops[i].bbox, a))
    : [];
  clock.lap('attributes');
  return { crops, vectors, appearances, evidence, sawPeople: frameBoxes.map((b) => b.length > 0) };
}
