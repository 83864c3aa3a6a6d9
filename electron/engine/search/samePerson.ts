// "Same person": from one sighting, the sightings of every video of the case that show the same
// person, by person re-identification (the ReID vectors stored per detection at index time), not by
// the text model. A sighting's appearance is the mean of its detections' ReID vectors; sightings are
// ranked by the cosine of those means. The "follow" timeline puts the confident matches in corrected
// wall-clock order, with the gap between one camera and the next.
import type { Db } from '../case/caseFile';
import { videoIdsOfCameras } from '../case/videos';
import { LIMITS, type FollowStep, type SamePersonResult, type SearchHit, type SimilarRequest } from '../../common/contract';
import { blobVector } from '../indexing/store';
import { cosine } from '../vision/reid';
import { sightingRows, toHit } from './hits';
import { SearchError } from './search';

/** Cosine of two sightings' mean ReID vectors above which they are taken as one person in the follow timeline (vtest: same person ≈ 0.8, others < 0.6). */
export const SAME_PERSON_MIN = 0.7;

/** Mean ReID vector (unit length) of each sighting with vectors of `modelId`, optionally only in some videos. */
export function sightingAppearances(db: Db, modelId: string, videoIds?: ReadonlySet<number>): Map<number, Float32Array> {
  const sums = new Map<number, Float32Array>();
  const rows = db.prepare('SELECT r.sighting_id, s.video_id, r.vector FROM reid_vectors r JOIN sightings s ON s.id = r.sighting_id WHERE r.model_id = ?')
    .iterate(modelId) as IterableIterator<{ sighting_id: number; video_id: number; vector: Buffer }>;
  for (const r of rows) {
    if (videoIds && !videoIds.has(r.video_id)) continue;
    const v = blobVector(r.vector);
    const sum = sums.get(r.sighting_id);
    if (!sum) sums.set(r.sighting_id, Float32Array.from(v));
    else for (let i = 0; i < v.length; i++) sum[i] += v[i];
  }
  for (const v of sums.values()) {
    const n = Math.hypot(...v) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= n;
  }
  return sums;
}

/** Ranks candidate appearances by cosine to a query appearance, best first. */
export function rankByAppearance(query: Float32Array, candidates: ReadonlyMap<number, Float32Array>, exclude?: number): { sighting: number; score: number }[] {
  const out: { sighting: number; score: number }[] = [];
  for (const [sighting, v] of candidates) if (sighting !== exclude) out.push({ sighting, score: cosine(query, v) });
  return out.sort((a, b) => b.score - a.score || a.sighting - b.sighting);
}

/** The ReID model the sighting's vectors were made with (the case is indexed with one). */
function modelOf(db: Db, sightingId: number): string {
  const m = db.prepare('SELECT model_id FROM reid_vectors WHERE sighting_id = ? LIMIT 1').pluck().get(sightingId) as string | undefined;
  if (m) return m;
  const exists = db.prepare('SELECT 1 FROM sightings WHERE id = ?').get(sightingId);
  if (!exists) throw new SearchError(`sighting ${sightingId}: not in this case`);
  throw new SearchError(`sighting ${sightingId} has no re-identification vectors (indexed by an older version): index the case again (sightline index <any video of the case> --db <case>)`);
}

/** The wall-clock order and gaps of the confident matches (and the sighting asked about). */
export function followTimeline(steps: readonly SearchHit[]): FollowStep[] {
  const at = (h: SearchHit): number | null => (h.wallClock ? Date.parse(h.wallClock) - (h.time - h.start) * 1000 : null);
  const sorted = [...steps].sort((a, b) => (at(a) ?? Infinity) - (at(b) ?? Infinity) || a.videoId - b.videoId || a.start - b.start);
  let prev: SearchHit | null = null;
  return sorted.map((h) => {
    const start = at(h);
    const prevEnd = prev && at(prev) !== null ? at(prev)! + (prev.end - prev.start) * 1000 : null;
    const step: FollowStep = {
      sighting: h.sighting, videoId: h.videoId, camera: h.camera, score: h.score,
      wallClock: start === null ? null : new Date(start).toISOString(),
      gapS: start !== null && prevEnd !== null ? Math.round((start - prevEnd) / 100) / 10 : null,
      cameraChanged: prev !== null && (prev.camera !== h.camera || (prev.camera === '' && prev.videoId !== h.videoId)),
    };
    prev = h;
    return step;
  });
}

/** Sightings of the same person as `req.sightingId`, in every video (or the filtered ones), by ReID. */
export function samePerson(db: Db, req: SimilarRequest): SamePersonResult {
  const started = performance.now();
  const modelId = modelOf(db, req.sightingId);
  let videoIds: Set<number> | undefined = req.videoIds?.length ? new Set(req.videoIds) : undefined;
  if (req.cameras?.length) {
    const cams = videoIdsOfCameras(db, new Set(req.cameras));
    videoIds = new Set(videoIds ? cams.filter((id) => videoIds!.has(id)) : cams);
  }
  const all = sightingAppearances(db, modelId);
  const query = all.get(req.sightingId)!;
  const candidates = videoIds ? new Map([...all].filter(([id]) => videoIds!.has(videoOf(db, id)))) : all;
  const top = req.top ?? LIMITS.defaultTop;
  const offset = req.offset ?? 0;
  const matching = rankByAppearance(query, candidates, req.sightingId)
    .filter((r) => req.minScore === undefined || r.score >= req.minScore);
  const ranked = matching.slice(offset, offset + top);
  const nextOffset = matching.length > offset + top && offset + top <= LIMITS.maxOffset ? offset + top : null;
  const rows = sightingRows(db, [req.sightingId, ...ranked.map((r) => r.sighting)]);
  const hits = ranked.filter((r) => rows.has(r.sighting)).map((r) => toHit(rows.get(r.sighting)!, r.score));
  const self = toHit(rows.get(req.sightingId)!, 1);
  const follow = followTimeline([self, ...hits.filter((h) => h.score >= SAME_PERSON_MIN)]);
  return { hits, unknownWords: [], modelId, tookMs: Math.round((performance.now() - started) * 10) / 10, nextOffset, follow };
}

function videoOf(db: Db, sightingId: number): number {
  return db.prepare('SELECT video_id FROM sightings WHERE id = ?').pluck().get(sightingId) as number;
}

/** Every sighting (of one video, or all) with its detections, for inspecting tracks. */
export function listSightings(db: Db, videoId?: number): import('../../common/contract').SightingTrack[] {
  const sightings = (videoId === undefined
    ? db.prepare('SELECT s.id, s.video_id, v.path, s.start_s, s.end_s FROM sightings s JOIN videos v ON v.id = s.video_id ORDER BY s.video_id, s.start_s, s.id').all()
    : db.prepare('SELECT s.id, s.video_id, v.path, s.start_s, s.end_s FROM sightings s JOIN videos v ON v.id = s.video_id WHERE s.video_id = ? ORDER BY s.start_s, s.id').all(videoId)) as
    { id: number; video_id: number; path: string; start_s: number; end_s: number }[];
  const dets = db.prepare('SELECT t_s, x, y, w, h, score FROM detections WHERE sighting_id = ? ORDER BY t_s, id');
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return sightings.map((s) => {
    const d = dets.all(s.id) as { t_s: number; x: number; y: number; w: number; h: number; score: number }[];
    return {
      id: s.id, videoId: s.video_id, video: s.path, start: r3(s.start_s), end: r3(s.end_s),
      detections: d.map((x) => ({ time: r3(x.t_s), bbox: [Math.round(x.x), Math.round(x.y), Math.round(x.w), Math.round(x.h)] as [number, number, number, number], score: r3(x.score) })),
    };
  });
}
