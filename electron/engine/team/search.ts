// What description search reads from a team case (search/searchSource.ts SearchSource): the same
// Searcher ranks, filters and pages as for a case file. Vectors are loaded into memory incrementally per
// video: only videos stitched since the last search are (re)read (videos.stitch_seq).
import type { Pool } from 'pg';
import type { CropEvidence } from '../vision/evidence';
import { aggregateEvidence, type SightingEvidence } from '../search/fusion';
import type { SightingRow } from '../search/hits';
import type { SearchSource, VideoClock } from '../search/searchSource';
import { VectorIndex } from '../search/vectorIndex';
import { type Appearance, AppearanceCache } from '../search/consensus';
import { fromBytes, PgCaseStore } from './pgStore';
import { teamSightingRows } from './sightings';
import { teamVideoIdsOfCameras } from './videos';

interface VideoRows { seq: string; vectors: Float32Array[]; sightings: number[]; times: number[]; evidence: Map<number, CropEvidence[]> }

/** One IVT model's vectors in memory (an ensemble has one per member): per video, and the index built from them. */
interface SpaceRows { loaded: Map<number, VideoRows>; current: VectorIndex | null; evidence: Map<number, SightingEvidence | null> }

export class PgSearchSource implements SearchSource {
  /** Keyed by IVT model and evidence model: an ensemble's members are searched in turn without reloading each other's vectors. */
  private spaces = new Map<string, SpaceRows>();
  /** The evidence of the index last returned (evidenceOf answers for it). */
  private evidence = new Map<number, SightingEvidence | null>();
  private generation = 0;
  private readonly appearanceCache = new AppearanceCache(async (ids) => {
    const rows = (await this.pool.query(`SELECT d.sighting_id, r.model_id, r.vector, s.video_id, s.start_s, s.end_s
        FROM detections d JOIN reid_vectors r ON r.detection_id = d.id JOIN sightings s ON s.id = d.sighting_id
        WHERE d.sighting_id = ANY($1::bigint[]) ORDER BY d.id`, [ids])).rows as { sighting_id: string; model_id: string; vector: Buffer; video_id: string; start_s: number; end_s: number }[];
    return rows.map((r) => ({ sighting: Number(r.sighting_id), model: r.model_id, vector: fromBytes(r.vector), video: Number(r.video_id), start: r.start_s, end: r.end_s }));
  });
  private readonly store: PgCaseStore;
  // Workers index only chunks not done yet: a team case's videos are not re-indexed under another model in place.
  readonly reindexAdvice = 'a team case is not re-indexed under another model: search it with the model it was indexed with (without SIGHTLINE_IVT_MODEL a team case uses its own), or index its footage into a new team case';

  constructor(private readonly pool: Pool) { this.store = new PgCaseStore(pool); }

  async index(modelId: string, dim: number, evidenceModel: string | null): Promise<VectorIndex> {
    const key = `${modelId}/${evidenceModel}`;
    let space = this.spaces.get(key);
    if (!space) this.spaces.set(key, space = { loaded: new Map(), current: null, evidence: new Map() });
    const { loaded } = space;
    const videos = (await this.pool.query("SELECT id, stitch_seq FROM videos WHERE status = 'done' AND stitch_seq IS NOT NULL")).rows as { id: string; stitch_seq: string }[];
    let changed = !space.current;
    const live = new Set(videos.map((v) => Number(v.id)));
    for (const id of [...loaded.keys()]) if (!live.has(id)) { loaded.delete(id); changed = true; }
    for (const v of videos) {
      const id = Number(v.id);
      if (loaded.get(id)?.seq === v.stitch_seq) continue;
      const r: VideoRows = { seq: v.stitch_seq, vectors: [], sightings: [], times: [], evidence: new Map() };
      for (const row of await this.store.sightingVectors(id, modelId, evidenceModel)) {
        r.vectors.push(row.vector); r.sightings.push(row.sighting); r.times.push(row.t);
        if (row.evidence) r.evidence.set(row.sighting, [...(r.evidence.get(row.sighting) ?? []), JSON.parse(row.evidence) as CropEvidence]);
      }
      loaded.set(id, r);
      changed = true;
    }
    if (changed) this.rebuild(space, modelId, dim);
    this.evidence = space.evidence;
    return space.current!;
  }

  private rebuild(space: SpaceRows, modelId: string, dim: number): void {
    const n = [...space.loaded.values()].reduce((a, r) => a + r.vectors.length, 0);
    const vectors = new Float32Array(n * dim), sightingOf = new Int32Array(n), videoOf = new Int32Array(n), timeOf = new Float32Array(n);
    let i = 0;
    space.evidence.clear();
    for (const [videoId, r] of space.loaded) {
      r.vectors.forEach((v, k) => { vectors.set(v, i * dim); sightingOf[i] = r.sightings[k]; videoOf[i] = videoId; timeOf[i] = r.times[k]; i++; });
      for (const [s, ev] of r.evidence) space.evidence.set(s, aggregateEvidence(ev));
    }
    space.current = VectorIndex.fromArrays(modelId, dim, vectors, sightingOf, videoOf, timeOf, `team:${++this.generation}`);
  }

  async otherModels(modelId: string): Promise<string[]> {
    return (await this.pool.query('SELECT DISTINCT model_id FROM embeddings WHERE model_id != $1 LIMIT 3', [modelId])).rows.map((r) => r.model_id as string);
  }

  evidenceOf(sighting: number): SightingEvidence | null { return this.evidence.get(sighting) ?? null; }

  appearances(sightings: readonly number[]): Promise<Map<number, Appearance>> {
    // Known until a video is (re)loaded into the index (the generation changes).
    return this.appearanceCache.get(sightings, this.generation);
  }

  sightingRows(ids: number[]): Promise<Map<number, SightingRow>> { return teamSightingRows(this.pool, ids); }

  videoIdsOfCameras(cameras: Set<string>): Promise<number[]> { return teamVideoIdsOfCameras(this.pool, cameras); }

  async videoClocks(): Promise<VideoClock[]> {
    return (await this.pool.query('SELECT id, true_start_time, creation_time FROM videos')).rows.map((r) => ({ ...r, id: Number(r.id) }) as VideoClock);
  }

  async rejectedCount(): Promise<number> { return Number((await this.pool.query('SELECT count(*) AS n FROM rejections')).rows[0].n); }
}
