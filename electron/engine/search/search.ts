// Description → tokenizer → IVT text encoder → top-k over crop embeddings (exact, or int8 scan + exact
// re-rank for large cases) → per-sighting ranking.
import type { Db } from '../case/caseFile';
import { LIMITS, type QueryReading, type SearchRequest, type SearchResult } from '../../common/contract';
import { IvtTextEncoder } from '../vision/ivt';
import type { ProviderPreference } from '../vision/providers';
import { embeddingSpace } from '../vision/manifest';
import { videoIdsOfCameras } from '../case/videos';
import { sightingRows, toHit, wallClock } from './hits';
import { Filter, SightingScore, VectorIndex } from './vectorIndex';

export const DEFAULT_TOP = LIMITS.defaultTop;

export class SearchError extends Error {}

type Paging = Pick<SearchRequest, 'top' | 'offset' | 'minScore' | 'includeRejected'>;

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

  private filterOf(req: { videoIds?: number[]; cameras?: string[]; from?: number; to?: number; fromWall?: string; toWall?: string }): Filter {
    let videoIds = req.videoIds?.length ? new Set(req.videoIds) : undefined;
    if (req.cameras?.length) {
      const cams = new Set(req.cameras);
      const ids = videoIdsOfCameras(this.db, cams);
      videoIds = new Set(videoIds ? ids.filter((id) => videoIds!.has(id)) : ids);
    }
    return { videoIds, from: req.from, to: req.to, ranges: this.wallRanges(req.fromWall, req.toWall) };
  }

  /** A wall-clock range as each clocked video's own seconds (the clock as hits show it: correction, else creation_time). */
  private wallRanges(fromWall?: string, toWall?: string): Map<number, [number, number]> | undefined {
    if (fromWall === undefined && toWall === undefined) return undefined;
    const ranges = new Map<number, [number, number]>();
    const rows = this.db.prepare('SELECT id, true_start_time, creation_time FROM videos').all() as { id: number; true_start_time: string | null; creation_time: string | null }[];
    for (const v of rows) {
      const base = wallClock(v.true_start_time, v.creation_time, 0);
      if (!base) continue;
      const t0 = Date.parse(base);
      ranges.set(v.id, [fromWall ? (Date.parse(fromWall) - t0) / 1000 : -Infinity, toWall ? (Date.parse(toWall) - t0) / 1000 : Infinity]);
    }
    return ranges;
  }

  /**
   * How deep to rank for one page: past the skipped results, one more (to know whether a next page
   * exists) and, unless rejected results are wanted, past as many as were rejected (they drop out).
   */
  private depth(req: Paging): number {
    const rejected = req.includeRejected ? 0 : (this.db.prepare('SELECT count(*) AS n FROM rejections').get() as { n: number }).n;
    return (req.offset ?? 0) + (req.top ?? DEFAULT_TOP) + 1 + rejected;
  }

  private result(ranked: SightingScore[], req: Paging, unknownWords: string[], started: number, query?: QueryReading): SearchResult {
    const kept = ranked.filter((r) => req.minScore === undefined || r.score >= req.minScore);
    const rows = sightingRows(this.db, kept.map((r) => r.sighting));
    const all = kept.filter((r) => rows.has(r.sighting) && (req.includeRejected || rows.get(r.sighting)!.rejected === null));
    const offset = req.offset ?? 0;
    const top = req.top ?? DEFAULT_TOP;
    const hits = all.slice(offset, offset + top).map((r) => toHit(rows.get(r.sighting)!, r.score));
    const nextOffset = all.length > offset + top && offset + top <= LIMITS.maxOffset ? offset + top : null;
    return { hits, unknownWords, ...(query ? { query } : {}), modelId: this.modelId, tookMs: Math.round((performance.now() - started) * 10) / 10, nextOffset };
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const text = req.text.trim();
    if (!text) throw new SearchError('empty description: type what the person looks like');
    const q = await this.encoder.embed(text);
    const ranked = this.currentIndex().nearestSightings(q.vector, this.depth(req), this.filterOf(req));
    return this.result(ranked, req, q.unknownWords, started, q.reading);
  }

  async close(): Promise<void> { await this.encoder.close(); }
}
