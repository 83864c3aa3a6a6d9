// "Same person": from one sighting, the sightings of every video of the case that show the same
// person, by person re-identification (the ReID vectors stored per detection at index time), not by
// the text model. A sighting's appearance is the mean of its detections' ReID vectors; sightings are
// ranked by the cosine of those means. The "follow" timeline puts the confident matches in corrected
// wall-clock order, with the gap between one camera and the next. Either case store feeds it through
// SamePersonSource; the ranking, paging and hit shaping below are one copy for both.
import type { Db } from '../case/caseFile';
import { videoIdsOfCameras } from '../case/videos';
import { LIMITS, type FollowStep, type SamePersonResult, type SearchHit, type SightingTrack, type SimilarRequest } from '../../common/contract';
import { blobVector } from '../indexing/store';
import { cosine, meanAppearances } from '../vision/reid';
import { sightingRows, toHit, type SightingRow } from './hits';
import { SearchError } from './search';

/** Cosine of two sightings' mean ReID vectors above which they are taken as one person in the follow timeline (vtest: same person ≈ 0.8, others < 0.6). */
export const SAME_PERSON_MIN = 0.7;

/**
 * What same-person ranking reads from a case. The SQLite case file (caseFileSamePerson below) and a
 * team case (team/sightings.ts) each provide it; the ranking itself is this module's, one copy.
 */
export interface SamePersonSource {
  /** The ReID model of the sighting's vectors; null when it has none, undefined when it is not in the case. */
  reidModelOf(sightingId: number): Promise<string | null | undefined>;
  videoIdsOfCameras(cameras: ReadonlySet<string>): Promise<number[]>;
  /** Every ReID vector of `modelId` of a detection that belongs to a sighting. */
  reidVectors(modelId: string): Promise<Iterable<{ sighting: number; videoId: number; vector: Float32Array }>>;
  sightingRows(ids: number[]): Promise<Map<number, SightingRow>>;
}

export function caseFileSamePerson(db: Db): SamePersonSource {
  return {
    async reidModelOf(id) {
      const m = db.prepare('SELECT model_id FROM reid_vectors WHERE sighting_id = ? LIMIT 1').pluck().get(id) as string | undefined;
      if (m) return m;
      return db.prepare('SELECT 1 FROM sightings WHERE id = ?').get(id) ? null : undefined;
    },
    async videoIdsOfCameras(cameras) { return videoIdsOfCameras(db, new Set(cameras)); },
    async reidVectors(modelId) {
      const rows = db.prepare('SELECT r.sighting_id, s.video_id, r.vector FROM reid_vectors r JOIN sightings s ON s.id = r.sighting_id WHERE r.model_id = ?')
        .iterate(modelId) as IterableIterator<{ sighting_id: number; video_id: number; vector: Buffer }>;
      return (function* () { for (const r of rows) yield { sighting: r.sighting_id, videoId: r.video_id, vector: blobVector(r.vector) }; })();
    },
    async sightingRows(ids) { return sightingRows(db, ids); },
  };
}

/** Ranks candidate appearances by cosine to a query appearance, best first. */
export function rankByAppearance(query: Float32Array, candidates: ReadonlyMap<number, Float32Array>, exclude?: number): { sighting: number; score: number }[] {
  const out: { sighting: number; score: number }[] = [];
  for (const [sighting, v] of candidates) if (sighting !== exclude) out.push({ sighting, score: cosine(query, v) });
  return out.sort((a, b) => b.score - a.score || a.sighting - b.sighting);
}

/** The ReID model the sighting's vectors were made with (the case is indexed with one). */
async function modelOf(src: SamePersonSource, sightingId: number): Promise<string> {
  const m = await src.reidModelOf(sightingId);
  if (m) return m;
  if (m === undefined) throw new SearchError(`sighting ${sightingId}: not in this case`);
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
export async function samePerson(src: SamePersonSource, req: SimilarRequest): Promise<SamePersonResult> {
  const started = performance.now();
  const modelId = await modelOf(src, req.sightingId);
  let videoIds: Set<number> | undefined = req.videoIds?.length ? new Set(req.videoIds) : undefined;
  if (req.cameras?.length) {
    const cams = await src.videoIdsOfCameras(new Set(req.cameras));
    videoIds = new Set(videoIds ? cams.filter((id) => videoIds!.has(id)) : cams);
  }
  const vectors = await src.reidVectors(modelId);
  const videoOf = new Map<number, number>();
  const all = meanAppearances((function* () { for (const r of vectors) { videoOf.set(r.sighting, r.videoId); yield r; } })());
  const query = all.get(req.sightingId)!;
  const candidates = videoIds ? new Map([...all].filter(([id]) => videoIds!.has(videoOf.get(id)!))) : all;
  const top = req.top ?? LIMITS.defaultTop;
  const offset = req.offset ?? 0;
  const matching = rankByAppearance(query, candidates, req.sightingId)
    .filter((r) => req.minScore === undefined || r.score >= req.minScore);
  const ranked = matching.slice(offset, offset + top);
  const nextOffset = matching.length > offset + top && offset + top <= LIMITS.maxOffset ? offset + top : null;
  const rows = await src.sightingRows([req.sightingId, ...ranked.map((r) => r.sighting)]);
  const hits = ranked.filter((r) => rows.has(r.sighting)).map((r) => toHit(rows.get(r.sighting)!, r.score));
  const self = toHit(rows.get(req.sightingId)!, 1);
  const follow = followTimeline([self, ...hits.filter((h) => h.score >= SAME_PERSON_MIN)]);
  return { hits, unknownWords: [], modelId, tookMs: Math.round((performance.now() - started) * 10) / 10, nextOffset, follow };
}

/** A sighting's span and a detection of it, as either case store reads them. */
export interface SightingSpan { id: number; video_id: number; path: string; start_s: number; end_s: number }
export interface DetectionPoint { t_s: number; x: number; y: number; w: number; h: number; score: number }

/** A sighting with its detections (time order), as `sightline sightings` and the API show it. */
export function toSightingTrack(s: SightingSpan, d: readonly DetectionPoint[]): SightingTrack {
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    id: s.id, videoId: s.video_id, video: s.path, start: r3(s.start_s), end: r3(s.end_s),
    detections: d.map((x) => ({ time: r3(x.t_s), bbox: [Math.round(x.x), Math.round(x.y), Math.round(x.w), Math.round(x.h)] as [number, number, number, number], score: r3(x.score) })),
  };
}

/** Every sighting (of one video, or all) with its detections, for inspecting tracks. */
export function listSightings(db: Db, videoId?: number): SightingTrack[] {
  const sightings = (videoId === undefined
    ? db.prepare('SELECT s.id, s.video_id, v.path, s.start_s, s.end_s FROM sightings s JOIN videos v ON v.id = s.video_id ORDER BY s.video_id, s.start_s, s.id').all()
    : db.prepare('SELECT s.id, s.video_id, v.path, s.start_s, s.end_s FROM sightings s JOIN videos v ON v.id = s.video_id WHERE s.video_id = ? ORDER BY s.start_s, s.id').all(videoId)) as SightingSpan[];
  const dets = db.prepare('SELECT t_s, x, y, w, h, score FROM detections WHERE sighting_id = ? ORDER BY t_s, id');
  return sightings.map((s) => toSightingTrack(s, dets.all(s.id) as DetectionPoint[]));
}
