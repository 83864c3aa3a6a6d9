// Description search over a team case: the IVT text encoder and fused ranking of the single-user
// search (search/fusion.ts), over vectors loaded from the server into the in-memory index. Loading is
// incremental per video: only videos stitched since the last search are (re)read.
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { BBox, RejectReason } from '../contract';
import { interpretQuery, loadIvtVocabulary } from '../query/interpret';
import { aggregateEvidence, checksOf, fuse, meanStd, type SightingEvidence } from '../search/fusion';
import { VectorIndex } from '../search/vectorIndex';
import type { CropEvidence } from '../vision/evidence';
import { IvtTextEncoder } from '../vision/ivt';
import { embeddingSpace, loadAttributesManifest } from '../vision/manifest';
import type { ProviderPreference } from '../vision/providers';
import { PgCaseStore } from './pgStore';

export interface TeamHit {
  sighting: number; videoId: number; video: string; camera: string; time: number; bbox: BBox; start: number; end: number;
  score: number; similarity: number; confidence: string; chips: { label: string; ok: boolean }[];
  /** Whether the stitch pass stored a thumbnail; why the investigator rejected the result, if so. */
  thumbnail: boolean; rejected: RejectReason | null;
}

interface VideoRows { seq: string; vectors: Float32Array[]; sightings: number[]; times: number[]; evidence: Map<number, CropEvidence[]> }

const SHORTLIST = 2000;
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

export class TeamSearcher {
  private loaded = new Map<number, VideoRows>();
  private index: VectorIndex | null = null;
  private evidence = new Map<number, SightingEvidence | null>();
  private readonly vocabulary: Set<string>;
  private readonly evidenceModel: string | null;
  private readonly store: PgCaseStore;

  private constructor(private pool: Pool, readonly encoder: IvtTextEncoder) {
    this.store = new PgCaseStore(pool);
    const m = encoder.manifest;
    this.vocabulary = loadIvtVocabulary(path.join(m.dir, m.tokenizer.vocab));
    let attr: string | null = null;
    try { attr = embeddingSpace(loadAttributesManifest()); } catch { attr = null; }
    this.evidenceModel = attr;
  }

  static async open(pool: Pool, provider: ProviderPreference = 'auto'): Promise<TeamSearcher> {
    return new TeamSearcher(pool, await IvtTextEncoder.load(undefined, provider));
  }

  get modelId(): string { return embeddingSpace(this.encoder.manifest); }

  /** Reads the vectors of videos stitched since the last call; returns how many videos were (re)loaded. */
  async refresh(): Promise<number> {
    const videos = (await this.pool.query("SELECT id, stitch_seq FROM videos WHERE status = 'done' AND stitch_seq IS NOT NULL")).rows as { id: string; stitch_seq: string }[];
    let changed = 0;
    for (const v of videos) {
      const id = Number(v.id);
      if (this.loaded.get(id)?.seq === v.stitch_seq) continue;
      const r: VideoRows = { seq: v.stitch_seq, vectors: [], sightings: [], times: [], evidence: new Map() };
      for (const row of await this.store.sightingVectors(id, this.modelId, this.evidenceModel)) {
        r.vectors.push(row.vector); r.sightings.push(row.sighting); r.times.push(row.t);
        if (row.evidence) r.evidence.set(row.sighting, [...(r.evidence.get(row.sighting) ?? []), JSON.parse(row.evidence) as CropEvidence]);
      }
      this.loaded.set(id, r);
      changed++;
    }
    if (changed || !this.index) this.rebuild();
    return changed;
  }

  private rebuild(): void {
    const dim = this.encoder.manifest.embeddingDim;
    const n = [...this.loaded.values()].reduce((a, r) => a + r.vectors.length, 0);
    const vectors = new Float32Array(n * dim), sightingOf = new Int32Array(n), videoOf = new Int32Array(n), timeOf = new Float32Array(n);
    let i = 0;
    this.evidence.clear();
    for (const [videoId, r] of this.loaded) {
      r.vectors.forEach((v, k) => { vectors.set(v, i * dim); sightingOf[i] = r.sightings[k]; videoOf[i] = videoId; timeOf[i] = r.times[k]; i++; });
      for (const [s, ev] of r.evidence) this.evidence.set(s, aggregateEvidence(ev));
    }
    this.index = VectorIndex.fromArrays(this.modelId, dim, vectors, sightingOf, videoOf, timeOf);
  }

  get size(): number { return this.index?.size ?? 0; }

  async search(text: string, top = 10): Promise<{ hits: TeamHit[]; unknownWords: string[]; crops: number }> {
    await this.refresh();
    const interp = interpretQuery(text, { ivtVocabulary: this.vocabulary, maxTokens: this.encoder.manifest.text.maxTokens });
    const q = await this.encoder.embed(interp.ivtText || text);
    const index = this.index!;
    const shortlist = index.nearestSightings(q.vector, SHORTLIST);
    const scored = fuse(shortlist, (s) => this.evidence.get(s) ?? null, checksOf(interp.constraints));
    const { mean, std } = meanStd(shortlist.map((s) => s.score));
    const page = scored.slice(0, top);
    const rows = page.length
      ? (await this.pool.query(`SELECT s.id, s.video_id, s.start_s, s.end_s, s.best_s, s.best_x, s.best_y, s.best_w, s.best_h, s.thumbnail IS NOT NULL AS has_thumbnail,
            v.path, v.camera, r.reason AS rejected
          FROM sightings s JOIN videos v ON v.id = s.video_id LEFT JOIN rejections r ON r.sighting_id = s.id WHERE s.id = ANY($1::bigint[])`, [page.map((p) => p.sighting)])).rows
      : [];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const hits = page.filter((p) => byId.has(p.sighting)).map((p): TeamHit => {
      const r = byId.get(p.sighting)!;
      return {
        sighting: p.sighting, videoId: Number(r.video_id), video: r.path, camera: r.camera, time: round(r.best_s),
        bbox: [r.best_x, r.best_y, r.best_w, r.best_h].map((x: number) => Math.round(x)) as BBox, start: round(r.start_s), end: round(r.end_s),
        score: round(Math.max(-1, Math.min(1, mean + std * p.fused)), 4), similarity: round(p.similarity, 4), confidence: p.confidence, chips: p.chips,
        thumbnail: r.has_thumbnail, rejected: r.rejected,
      };
    });
    return { hits, unknownWords: [...new Set([...interp.notUnderstood, ...q.unknownWords])], crops: index.size };
  }

  async close(): Promise<void> { await this.encoder.close(); }
}
