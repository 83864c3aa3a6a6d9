// A sighting's track as a strip of crops: the person cut out of the frames of (at most STRIP_CROPS,
// evenly spread) of its detections, so an investigator sees at a glance that the sighting holds one
// person. Frames are decoded with the indexer's own sampler at the video's sampling rate, so each
// detection's box is cut from the very frame it was found in.
import type { Db } from '../case/caseFile';
import { videoRow } from '../case/videos';
import type { BBox, TrackStrip } from '../../common/contract';
import { clipBox, cropToImage } from '../vision/crop';
import { encodePng } from '../vision/png';
import { sampleFrames } from '../video/sampler';
import { DEFAULT_MAX_SIDE } from '../indexing/indexVideo';

/** Crops in a strip at most (a long sighting shows evenly spread ones). */
export const STRIP_CROPS = 12;
const CROP_HEIGHT = 96;
/** A detection and a decoded frame are the same moment when closer than this (frame times are exact pts). */
const SAME_FRAME_S = 1e-3;

/** `n` of `items`, evenly spread, first and last included. */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(0, Math.max(0, n));
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

export async function trackStrip(db: Db, sightingId: number, ffmpeg: string, signal?: AbortSignal): Promise<TrackStrip | null> {
  const s = db.prepare('SELECT video_id FROM sightings WHERE id = ?').get(sightingId) as { video_id: number } | undefined;
  if (!s) return null;
  const v = videoRow(db, s.video_id);
  if (!v) return null;
  const rows = db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = ? ORDER BY t_s, id').raw(true).all(sightingId) as number[][];
  const chosen = spread(rows.map(([t, x, y, w, h]) => ({ t, bbox: [x, y, w, h] as BBox })), STRIP_CROPS);
  const crops: TrackStrip['crops'] = [];
  if (chosen.length) {
    const last = chosen[chosen.length - 1].t;
    let next = 0;
    // The sampler yields frames after startS: a hair before the first detection's frame.
    const startS = chosen[0].t > 0.01 ? chosen[0].t - 0.01 : undefined;
    for await (const f of sampleFrames(v.path, { ffmpegPath: ffmpeg, fps: v.sample_fps, maxSide: DEFAULT_MAX_SIDE, startS, durationS: v.duration_s, signal })) {
      while (next < chosen.length && chosen[next].t < f.timeS - SAME_FRAME_S) next++; // its frame was not decoded: skip it
      if (next < chosen.length && Math.abs(chosen[next].t - f.timeS) <= SAME_FRAME_S) {
        const d = chosen[next++];
        const box = clipBox(d.bbox.map((x) => x * f.scale) as BBox, f.width, f.height, 0.05);
        crops.push({ t: d.t, bbox: d.bbox, image: `data:image/png;base64,${encodePng(cropToImage(f, box, CROP_HEIGHT)).toString('base64')}` });
      }
      if (f.timeS >= last - SAME_FRAME_S || next >= chosen.length) break;
    }
  }
  return { sighting: sightingId, videoId: v.id, detections: rows.length, crops };
}
