// A sighting's track as a strip of crops: the person cut out of the frames of (at most STRIP_CROPS,
// evenly spread) of its detections, so an investigator sees at a glance that the sighting holds one
// person. Frames are decoded with the indexer's own sampler at the video's sampling rate, so each
// detection's box is cut from the very frame it was found in. The data comes from either case store.
import type { Db } from '../case/caseFile';
import { videoRow } from '../case/videos';
import type { BBox, TrackStrip } from '../../common/contract';
import { clipBox, cropToImage } from '../vision/crop';
import { encodePng } from '../vision/png';
import { framesAt } from '../video/framesAt';
import { DEFAULT_MAX_SIDE } from '../indexing/indexVideo';

/** Crops in a strip at most (a long sighting shows evenly spread ones). */
export const STRIP_CROPS = 12;
const CROP_HEIGHT = 96;

/** `n` of `items`, evenly spread, first and last included. */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(0, Math.max(0, n));
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

/** What a strip is made from: the sighting's video (as the footage is read here) and its detections [t, x, y, w, h] in time order. */
export interface StripSource {
  video: { id: number; path: string; sample_fps: number; duration_s: number };
  detections: number[][];
}

export async function stripOf(sightingId: number, src: StripSource, ffmpeg: string, signal?: AbortSignal): Promise<TrackStrip> {
  const { video: v, detections: rows } = src;
  const chosen = spread(rows.map(([t, x, y, w, h]) => ({ t, bbox: [x, y, w, h] as BBox })), STRIP_CROPS);
  const crops: TrackStrip['crops'] = [];
  for await (const { index, frame: f } of framesAt(v.path, chosen.map((d) => d.t), { ffmpeg, fps: v.sample_fps, maxSide: DEFAULT_MAX_SIDE, durationS: v.duration_s, signal })) {
    const d = chosen[index];
    const box = clipBox(d.bbox.map((x) => x * f.scale) as BBox, f.width, f.height, 0.05);
    crops.push({ t: d.t, bbox: d.bbox, image: `data:image/png;base64,${encodePng(cropToImage(f, box, CROP_HEIGHT)).toString('base64')}` });
  }
  return { sighting: sightingId, videoId: v.id, detections: rows.length, crops };
}

export async function trackStrip(db: Db, sightingId: number, ffmpeg: string, signal?: AbortSignal): Promise<TrackStrip | null> {
  const s = db.prepare('SELECT video_id FROM sightings WHERE id = ?').get(sightingId) as { video_id: number } | undefined;
  if (!s) return null;
  const v = videoRow(db, s.video_id);
  if (!v) return null;
  const detections = db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = ? ORDER BY t_s, id').raw(true).all(sightingId) as number[][];
  return stripOf(sightingId, { video: v, detections }, ffmpeg, signal);
}
