// Description → tokenizer → IVT text encoder → top-k over crop embeddings (exact, or int8 scan + exact
// re-rank for large cases) → per-sighting ranking.
import type { Db } from '../case/caseFile';
import { LIMITS, type Interpretation, type QueryReading, type SearchHit, type SearchRequest, type SearchResult, type SimilarRequest } from '../../common/contract';
import * as path from 'node:path';
import { interpretQuery, loadIvtVocabulary } from '../query/interpret';

import type { CropEvidence } from '../vision/evidence';
import { aggregateEvidence, checksOf, filterChecks, fuse, FUSION_WEIGHTS, type FusionWeights, meanStd, type Scored, type SightingEvidence } from './fusion';
import { IvtTextEncoder } from '../vision/ivt';
import type { ProviderPreference } from '../vision/providers';
import { embeddingSpace, loadAttributesManifest } from '../vision/manifest';
import { videoIdsOfCameras } from '../case/videos';
import { sightingRows, toHit } from './hits';
import { Filter, SightingScore, VectorIndex } from './vectorIndex';

export const DEFAULT_TOP = LIMITS.defaultTop;

export class SearchError extends Error {}

/** Sightings re-ranked by fused score: the IVT shortlist, which also gives the similarity's standing in the case. */
const SHORTLIST = 2000;

/** How a description search ranks; the defaults are the product. The benchmark's ablation (test/bench/real-devset.ts) changes them. */
export interface SearchTuning {
  /** Encode the words as typed instead of the interpretation's rewrite. */
  rawText: boolean;
  /** Which evidence checks count: none (IVT only), attribute probabilities, garment colours, or all. */
  evidence: 'none' | 'attributes' | 'colours' | 'all';
  weights: FusionWeights;
}

export class Searcher {
  private index: VectorIndex | null = null;
  /** Aggregated evidence per sighting, valid for one index version. */
  private evidence = new Map<number, SightingEvidence | null>();
  private evidenceVersion = '';
  private readonly vocabulary: Set<string>;
  /** id@version of the attribute model whose evidence is read (null: none installed, IVT alone). */
  private readonly evidenceModel: string | null;
  tuning: SearchTuning = { rawText: false, evidence: 'all', weights: FUSION_WEIGHTS };

  private constructor(private db: Db, readonly encoder: IvtTextEncoder) {
    const m = encoder.manifest;
    this.vocabulary = loadIvtVocabulary(path.join(m.dir, m.tokenizer.vocab));
    let attr: string | null = null;
    try { attr = embeddingSpace(loadAttributesManifest()); } catch { attr = null; }
    this.evidenceModel = attr;
  }

  static async open(db: Db, ivtModel?: string, provider: ProviderPreference = 'auto'): Promise<Searcher> {
    return new Searcher(db, await IvtTextEncoder.load(ivtModel, provider));
  }

  /** A sighting's evidence, aggregated over its detections (cached until indexing adds rows). */
  private evidenceOf(sighting: number): SightingEvidence | null {
    const version = String(this.index?.version ?? '');
    if (version !== this.evidenceVersion) { this.evidence.clear(); this.evidenceVersion = version; }
    if (this.evidence.has(sighting)) return this.evidence.get(sighting)!;
    const rows = this.evidenceModel
      ? this.db.prepare('SELECT evidence FROM detection_evidence WHERE sighting_id = ? AND model_id = ?').pluck().all(sighting, this.evidenceModel) as string[]
      : [];
    const ev = aggregateEvidence(rows.map((r) => JSON.parse(r) as CropEvidence));
    this.evidence.set(sighting, ev);
    return ev;
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

  /** What the search makes of a description (shown with every result). */
  interpret(text: string): ReturnType<typeof interpretQuery> {
    return interpretQuery(text, { ivtVocabulary: this.vocabulary, maxTokens: this.encoder.manifest.text.maxTokens });
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const text = req.text.trim();
    if (!text) throw new SearchError('empty description: type what the person looks like');
    const interp = this.interpret(text);
    // The encoder reads the description rewritten into its own words; with none left, the words as typed.
    const q = await this.encoder.embed(this.tuning.rawText ? text : interp.ivtText || text);
    const unknownWords = [...new Set([...interp.notUnderstood, ...q.unknownWords])];
    const top = req.top ?? DEFAULT_TOP;
    const shortlist = this.currentIndex().nearestSightings(q.vector, Math.max(SHORTLIST, top), this.filterOf(req));
    const filters = filterChecks(req.attributes);
    const ev = this.tuning.evidence;
    const described = checksOf(interp.constraints).filter((c) => ev === 'all' || (ev === 'colours' ? c.kind === 'colour' : ev === 'attributes' && c.kind !== 'colour'));
    const checks = [...described, ...filters];
    let scored = fuse(shortlist, (id) => this.evidenceOf(id), checks, this.tuning.weights);
    // Clicked filters keep only sightings whose evidence agrees (the chips of the filters come last).
    if (filters.length) scored = scored.filter((s) => s.chips.length === checks.length && s.chips.slice(checks.length - filters.length).every((c) => c.ok));
    // The fused score in similarity units (mean + std × fused z), held in the contract's score range [-1, 1]
    // (bookmarks and --min-score take it): comparable with --min-score and with "similar" searches.
    const { mean, std } = meanStd(shortlist.map((s) => s.score));
    const asScore = (s: Scored): number => Math.max(LIMITS.minScore, Math.min(LIMITS.maxScore, mean + std * s.fused));
    const kept = scored.filter((s) => req.minScore === undefined || asScore(s) >= req.minScore).slice(0, top);
    const rows = sightingRows(this.db, kept.map((r) => r.sighting));
    const hits: SearchHit[] = kept.filter((r) => rows.has(r.sighting)).map((r) => ({
      ...toHit(rows.get(r.sighting)!, asScore(r)),
      similarity: Math.round(r.similarity * 1e4) / 1e4, confidence: r.confidence, chips: r.chips,
    }));
    return {
      hits, unknownWords, query: q.reading, interpretation: publicInterpretation(interp),
      noStrongMatch: !hits.some((h) => h.confidence === 'strong'),
      modelId: this.modelId, tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** "More like this": sightings that look like a given one. */
  similar(req: SimilarRequest): SearchResult {
    const started = performance.now();
    const index = this.currentIndex();
    const q = index.sightingVector(req.sightingId);
    if (!q) throw new SearchError(`sighting ${req.sightingId}: not in this case's index`);
    const ranked = index.nearestSightings(q, req.top ?? DEFAULT_TOP, this.filterOf(req), req.sightingId);
    return this.result(ranked, req.minScore, [], started);
  }

  async close(): Promise<void> { await this.encoder.close(); }
}

function publicInterpretation(i: ReturnType<typeof interpretQuery>): Interpretation {
  return { summary: i.summary, mapped: i.mapped, notUnderstood: i.notUnderstood, ivtText: i.ivtText, constraints: i.constraints as unknown as Record<string, unknown> };
}
