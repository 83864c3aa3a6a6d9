// Description → tokenizer → IVT text encoder → top-k over crop embeddings (exact, or int8 scan + exact
// re-rank for large cases) → per-sighting ranking.
import type { Db } from '../case/caseFile';
import { LIMITS, type QueryReading, type SearchRequest, type SearchResult } from '../../common/contract';
import { IvtTextEncoder } from '../vision/ivt';
import type { ProviderPreference } from '../vision/providers';
import { embeddingSpace } from '../vision/manifest';
import { videoIdsOfCameras } from '../case/videos';
import { sightingRows, toHit } from './hits';
import { Filter, SightingScore, VectorIndex } from './vectorIndex';

export const DEFAULT_TOP = LIMITS.defaultTop;

export class SearchError extends Error {}

export class Searcher {
  private index: VectorIndex | null = null;

  private constructor(private db: Db, readonly encoder: IvtTextEncoder) {}

  static async open(db: Db, ivtModel?: string, provider: ProviderPreference = 'auto'): Promise<Searcher> {
    return new Searcher(db, await IvtTextEncoder.load(ivtModel, provider));
  }

  get modelId(): string { return embeddingSpace(this.encoder.manifest); }

  /** The in-memory index, reloaded only when indexing has added embeddings since. */
  currentIndex(): VectorIndex {
    const version = VectorIndex.version(this.db, this.modelId);
    if (!this.index || this.index.version !== version) this.index = VectorIndex.load(this.db, this.modelId, this.encoder.manifest.embeddingDim);
    if (this.index.size === 0) this.refuseStaleCase();
    return this.index;
  }

  /** Embeddings of another model cannot be compared with this one's queries: say so instead of finding nothing. */
  private refuseStaleCase(): void {
    const other = this.db.prepare('SELECT DISTINCT model_id FROM embeddings WHERE model_id != ? LIMIT 3').pluck().all(this.modelId) as string[];
    if (other.length) {
      throw new SearchError(`this case was indexed with model ${other.join(', ')}, not ${this.modelId}: index it again (sightline index <any video of the case> --db <case>) to re-index with the current model`);
    }
  }

  private filterOf(req: { videoIds?: number[]; cameras?: string[]; from?: number; to?: number }): Filter {
    let videoIds = req.videoIds?.length ? new Set(req.videoIds) : undefined;
    if (req.cameras?.length) {
      const cams = new Set(req.cameras);
      const ids = videoIdsOfCameras(this.db, cams);
      videoIds = new Set(videoIds ? ids.filter((id) => videoIds!.has(id)) : ids);
    }
    return { videoIds, from: req.from, to: req.to };
  }

  private result(ranked: SightingScore[], minScore: number | undefined, unknownWords: string[], started: number, query?: QueryReading): SearchResult {
    const kept = ranked.filter((r) => minScore === undefined || r.score >= minScore);
    const rows = sightingRows(this.db, kept.map((r) => r.sighting));
    const hits = kept.filter((r) => rows.has(r.sighting)).map((r) => toHit(rows.get(r.sighting)!, r.score));
    return { hits, unknownWords, ...(query ? { query } : {}), modelId: this.modelId, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const text = req.text.trim();
    if (!text) throw new SearchError('empty description: type what the person looks like');
    const q = await this.encoder.embed(text);
    const ranked = this.currentIndex().nearestSightings(q.vector, req.top ?? DEFAULT_TOP, this.filterOf(req));
    return this.result(ranked, req.minScore, q.unknownWords, started, q.reading);
  }

  async close(): Promise<void> { await this.encoder.close(); }
}
