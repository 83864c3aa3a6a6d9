// What description search reads from a case, and the case file's answer. One Searcher (search/search.ts)
// ranks, filters and pages for both backends; a team case answers the same questions from PostgreSQL
// (team/search.ts PgSearchSource).
import type { Db } from '../case/caseFile';
import { videoIdsOfCameras } from '../case/videos';
import type { CropEvidence } from '../vision/evidence';
import { blobVector } from '../indexing/store';
import { type Appearance, AppearanceCache, type AppearanceRow } from './consensus';
import { aggregateEvidence, type SightingEvidence } from './fusion';
import { sightingRows, type SightingRow } from './hits';
import { VectorIndex } from './vectorIndex';

/** A video's clock as hits show it: the investigator's correction, else the container's creation time. */
export interface VideoClock { id: number; true_start_time: string | null; creation_time: string | null }

export interface SearchSource {
  /**
   * The crop vectors of `modelId` as an in-memory index, reloaded only when indexing has changed them;
   * evidenceOf then answers with the evidence of `evidenceModel` (null: none is read).
   */
  index(modelId: string, dim: number, evidenceModel: string | null): Promise<VectorIndex>;
  /** Other embedding models the case holds when it holds none of `modelId` (to say "index it again"). */
  otherModels(modelId: string): Promise<string[]>;
  /** The way out of a case indexed with another model, as the stale-case error gives it. */
  readonly reindexAdvice: string;
  /** A sighting's evidence, aggregated over its detections (for the index last returned). */
  evidenceOf(sighting: number): SightingEvidence | null;
  /** The appearance (mean ReID vector, video, times) of each of `sightings` that has ReID vectors (search/consensus.ts). */
  appearances(sightings: readonly number[]): Promise<Map<number, Appearance>>;
  sightingRows(ids: number[]): Promise<Map<number, SightingRow>>;
  videoIdsOfCameras(cameras: Set<string>): Promise<number[]>;
  videoClocks(): Promise<VideoClock[]>;
  rejectedCount(): Promise<number>;
}

export class SqliteSearchSource implements SearchSource {
  /** The index last returned (evidence is cached against its version). */
  private current: VectorIndex | null = null;
  /** One index per IVT model (an ensemble searches each member's). */
  private loaded = new Map<string, VectorIndex>();
  private evidence = new Map<number, SightingEvidence | null>();
  private evidenceVersion = '';
  private evidenceModel: string | null = null;
  private appearanceCache = new AppearanceCache(async (ids) => {
    const rows: AppearanceRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const r of this.db.prepare(`SELECT r.sighting_id AS sighting, r.model_id AS model, r.vector, s.video_id AS video, s.start_s AS start, s.end_s AS "end"
        FROM reid_vectors r JOIN sightings s ON s.id = r.sighting_id WHERE r.sighting_id IN (${chunk.map(() => '?').join(',')}) ORDER BY r.detection_id`)
        .all(...chunk) as (Omit<AppearanceRow, 'vector'> & { vector: Buffer })[]) rows.push({ ...r, vector: blobVector(r.vector) });
    }
    return rows;
  });

  readonly reindexAdvice = 'index it again (sightline index <any video of the case> --db <case>) to re-index with the current model';

  constructor(private readonly db: Db) {}

  async index(modelId: string, dim: number, evidenceModel: string | null): Promise<VectorIndex> {
    const version = VectorIndex.version(this.db, modelId);
    let index = this.loaded.get(modelId);
    if (!index || index.version !== version) this.loaded.set(modelId, index = VectorIndex.load(this.db, modelId, dim));
    this.current = index;
    this.evidenceModel = evidenceModel;
    return this.current;
  }

  async otherModels(modelId: string): Promise<string[]> {
    return this.db.prepare('SELECT DISTINCT model_id FROM embeddings WHERE model_id != ? LIMIT 3').pluck().all(modelId) as string[];
  }

  evidenceOf(sighting: number): SightingEvidence | null {
    // Cached until indexing adds rows (the index version changes).
    const version = `${this.current?.version ?? ''}/${this.evidenceModel}`;
    if (version !== this.evidenceVersion) { this.evidence.clear(); this.evidenceVersion = version; }
    if (this.evidence.has(sighting)) return this.evidence.get(sighting)!;
    const rows = this.evidenceModel
      ? this.db.prepare('SELECT evidence FROM detection_evidence WHERE sighting_id = ? AND model_id = ?').pluck().all(sighting, this.evidenceModel) as string[]
      : [];
    const ev = aggregateEvidence(rows.map((r) => JSON.parse(r) as CropEvidence));
    this.evidence.set(sighting, ev);
    return ev;
  }

  async appearances(sightings: readonly number[]): Promise<Map<number, Appearance>> {
    return this.appearanceCache.get(sightings, this.current?.version ?? '');
  }

  async sightingRows(ids: number[]): Promise<Map<number, SightingRow>> { return sightingRows(this.db, ids); }
  async videoIdsOfCameras(cameras: Set<string>): Promise<number[]> { return videoIdsOfCameras(this.db, cameras); }
  async videoClocks(): Promise<VideoClock[]> { return this.db.prepare('SELECT id, true_start_time, creation_time FROM videos').all() as VideoClock[]; }
  async rejectedCount(): Promise<number> { return (this.db.prepare('SELECT count(*) AS n FROM rejections').get() as { n: number }).n; }
}
