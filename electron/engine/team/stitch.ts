// Sightings of a team case's video, once all its chunks are done: the tracker replays every stored
// detection (boxes, scores, ReID vectors) in the order a single-process run saw them, so a person
// crossing a chunk boundary is one sighting, and the result equals the single-process index.
// Replaying only frames with detections is exact: a track closes when the next frame is more than
// maxGapS after its last detection, which the next frame with detections decides just the same.
// Then the fragments of one person are joined by the same tracklet stitching a single-process run
// applies at the end of a video (indexing/stitcher.ts, as indexing/stitchSightings.ts merges them).
// Each sighting's thumbnail is cut from its best frame, decoded again from the footage (the indexer's crop).
import { stitch as stitchTracklets } from '../indexing/stitcher';
import { detectionQuality, Tracker, type Track, type TrackedDetection } from '../indexing/tracker';
import { DEFAULT_MAX_SIDE } from '../indexing/indexVideo';
import { thumbnailOfSource } from '../indexing/thumbnail';
import { framesAt } from '../video/framesAt';
import type { ChunkStore, StitchedSighting, StoredDetection, TeamVideo } from './caseStore';

export function stitch(detections: readonly StoredDetection[], frameW: number, frameH: number): StitchedSighting[] {
  const tracker = new Tracker();
  const byTrack = new Map<Track, StitchedSighting>();
  const order: StitchedSighting[] = [];
  const tracked = new Map<StitchedSighting, TrackedDetection[]>();
  for (let i = 0; i < detections.length;) {
    const t = detections[i].t;
    const frame: StoredDetection[] = [];
    while (i < detections.length && detections[i].t === t) frame.push(detections[i++]);
    const of = new Map<TrackedDetection, StoredDetection>();
    for (const d of frame) of.set({ t: d.t, bbox: d.bbox, score: d.score, appearance: d.reid }, d);
    for (const a of tracker.step(t, [...of.keys()]).assignments) {
      const d = of.get(a.detection)!;
      const quality = detectionQuality(d.bbox, d.score, frameW, frameH);
      let s = byTrack.get(a.track);
      if (!s) {
        s = { detectionIds: [], startS: d.t, endS: d.t, best: { t: d.t, bbox: d.bbox, quality } };
        byTrack.set(a.track, s);
        order.push(s);
        tracked.set(s, []);
      } else if (quality > s.best.quality) {
        // Strictly better only: the first best detection stays the face, as in indexing/store.ts.
        s.best = { t: d.t, bbox: d.bbox, quality };
      }
      s.detectionIds.push(d.id);
      s.endS = Math.max(s.endS, d.t);
      tracked.get(s)!.push(a.detection);
    }
  }
  return joinFragments(order, tracked);
}

/** Each group of one person's fragments becomes its first fragment (stitchSightings.ts mergeSightings' rules). */
function joinFragments(order: StitchedSighting[], tracked: Map<StitchedSighting, TrackedDetection[]>): StitchedSighting[] {
  const groups = stitchTracklets(order.map((s, id) => ({ id, detections: tracked.get(s)! })));
  const joined = new Set<number>();
  for (const [keep, ...others] of groups) {
    const k = order[keep];
    for (const id of others) {
      const o = order[id];
      if (o.best.quality > k.best.quality) k.best = o.best;
      k.detectionIds.push(...o.detectionIds);
      k.startS = Math.min(k.startS, o.startS);
      k.endS = Math.max(k.endS, o.endS);
      joined.add(id);
    }
  }
  return order.filter((_, i) => !joined.has(i));
}

/**
 * Stitches a video and writes its sightings. With `footage` (the video as this worker reads it), each
 * sighting gets its thumbnail, cut as the indexer cuts it from the frame decoded again at its best time.
 */
export async function stitchVideo(store: ChunkStore, v: TeamVideo, reidModel: string, footage?: { file: string; ffmpeg: string; signal?: AbortSignal }): Promise<number> {
  const sightings = stitch(await store.videoDetections(v.id, reidModel), v.width, v.height);
  if (footage) await addThumbnails(sightings, v, footage);
  await store.writeSightings(v.id, sightings);
  return sightings.length;
}

async function addThumbnails(sightings: StitchedSighting[], v: TeamVideo, footage: { file: string; ffmpeg: string; signal?: AbortSignal }): Promise<void> {
  const byTime = [...sightings].sort((a, b) => a.best.t - b.best.t);
  const frames = framesAt(footage.file, byTime.map((s) => s.best.t), { ffmpeg: footage.ffmpeg, fps: v.sampleFps, maxSide: DEFAULT_MAX_SIDE, durationS: v.durationS, signal: footage.signal });
  for await (const { index, frame } of frames) byTime[index].thumbnail = thumbnailOfSource(frame, byTime[index].best.bbox);
}
