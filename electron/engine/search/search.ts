// Description → tokenizer → IVT text encoder → top-k over crop embeddings (exact, or int8 scan + exact
// re-rank for large cases) → per-sighting ranking. An IVT ensemble (vision/manifest.ts IvtModel) does this
// once per member, each over its own embeddings, and ranks by the averaged standing (search/ensemble.ts).
import type { Db } from '../case/caseFile';
import { LIMITS, type Interpretation, type SearchHit, type SearchRequest, type SearchResult } from '../../common/contract';
import * as path from 'node:path';
import { interpretQuery, loadIvtVocabulary } from '../query/interpret';
import { checksOf, filterChecks, fuse, FUSION_WEIGHTS, type FusionWeights, meanStd, type Scored, STANDARDISATION, type Standardisation } from './fusion';
import { ensembleRank } from './ensemble';
import { appearanceConsensus, CONSENSUS, type Consensus } from './consensus';
import { IvtTextEncoder } from '../vision/ivt';
import type { ProviderPreference } from '../vision/providers';
import { embeddingSpace, type IvtModel, loadAttributesManifest, loadIvtModel } from '../vision/manifest';
import { toHit, wallClock } from './hits';
import { SqliteSearchSource, type SearchSource } from './searchSource';
import { DESCRIPTION_POOLING, type SightingPooling } from './sightingScore';
import { Filter, VectorIndex } from './vectorIndex';

export const DEFAULT_TOP = LIMITS.defaultTop;

export class SearchError extends Error {}

type Paging = Pick<SearchRequest, 'top' | 'offset' | 'minScore' | 'includeRejected'>;

/** Sightings re-ranked by fused score: the IVT shortlist, which also gives the similarity's standing in the case. */
const SHORTLIST = 2000;

/** How a description search ranks; the defaults are the product. The benchmark's ablation (test/bench/real-devset.ts) changes them. */
export interface SearchTuning {
  /** Encode the words as typed instead of the interpretation's rewrite. */
  rawText: boolean;
  /** Which evidence checks count: none (IVT only), attribute probabilities, garment colours, or all. */
  evidence: 'none' | 'attributes' | 'colours' | 'all';
  weights: FusionWeights;
  /** How a sighting scores from its crops' similarities (search/sightingScore.ts). */
  pooling: SightingPooling;
  /** Against what the similarity is standardised (fusion.ts). */
  standardisation: Standardisation;
  /** Same-person sightings' scores averaged (search/consensus.ts); null: each sighting alone. */
  consensus: Consensus | null;
}

/** One IVT model's text side as a search reads it (one per member of an ensemble). */
interface TextMember { encoder: IvtTextEncoder; vocabulary: Set<string>; space: string }

export class Searcher {
  /** id@version of the attribute model whose evidence is read (null: none installed, IVT alone). */
  private readonly evidenceModel: string | null;
  tuning: SearchTuning = { rawText: false, evidence: 'all', weights: FUSION_WEIGHTS, pooling: DESCRIPTION_POOLING, standardisation: STANDARDISATION, consensus: CONSENSUS };

  private constructor(private readonly source: SearchSource, readonly model: IvtModel, private readonly members: TextMember[]) {
    let attr: string | null = null;
    try { attr = embeddingSpace(loadAttributesManifest()); } catch { attr = null; }
    this.evidenceModel = attr;
  }

  /** A searcher over a case file, or over any other case (a team case) through its SearchSource. */
  static async open(from: Db | SearchSource, ivtModel?: string, provider: ProviderPreference = 'auto'): Promise<Searcher> {
    const model = loadIvtModel(ivtModel);
    const source = 'prepare' in from ? new SqliteSearchSource(from) : from;
    const members: TextMember[] = [];
    try {
      for (const m of model.members) {
        members.push({ encoder: await IvtTextEncoder.load(m, provider), vocabulary: loadIvtVocabulary(path.join(m.dir, m.tokenizer.vocab)), space: embeddingSpace(m) });
      }
    } catch (e) {
      for (const m of members) await m.encoder.close();
      throw e;
    }
    return new Searcher(source, model, members);
  }

  /** The (first member's) text encoder: what reads the description for the interpretation shown. */
  get encoder(): IvtTextEncoder { return this.members[0].encoder; }

  /** id@version of the IVT model (or ensemble) searched with. */
  get modelId(): string { return this.model.space; }

  /** The (first member's) in-memory index, reloaded only when indexing has added embeddings since. */
  async currentIndex(): Promise<VectorIndex> { return this.memberIndex(this.members[0]); }

  private async memberIndex(m: TextMember): Promise<VectorIndex> {
    const index = await this.source.index(m.space, m.encoder.manifest.embeddingDim, this.evidenceModel);
    if (index.size === 0) await this.refuseStaleCase(m.space);
    return index;
  }

  /** Embeddings of another model cannot be compared with this one's queries: say so instead of finding nothing. */
  private async refuseStaleCase(space: string): Promise<void> {
    const other = await this.source.otherModels(space);
    if (other.length) {
      const missing = this.model.ensemble ? `${space} (a member of the ensemble ${this.modelId})` : space;
      throw new SearchError(`this case was indexed with model ${other.join(', ')}, not ${missing}: ${this.source.reindexAdvice}`);
    }
  }

  private async filterOf(req: { videoIds?: number[]; cameras?: string[]; from?: number; to?: number; fromWall?: string; toWall?: string }): Promise<Filter> {
    let videoIds = req.videoIds?.length ? new Set(req.videoIds) : undefined;
    if (req.cameras?.length) {
      const ids = await this.source.videoIdsOfCameras(new Set(req.cameras));
      videoIds = new Set(videoIds ? ids.filter((id) => videoIds!.has(id)) : ids);
    }
    return { videoIds, from: req.from, to: req.to, ranges: await this.wallRanges(req.fromWall, req.toWall) };
  }

  /** A wall-clock range as each clocked video's own seconds (the clock as hits show it: correction, else creation_time). */
  private async wallRanges(fromWall?: string, toWall?: string): Promise<Map<number, [number, number]> | undefined> {
    if (fromWall === undefined && toWall === undefined) return undefined;
    const ranges = new Map<number, [number, number]>();
    for (const v of await this.source.videoClocks()) {
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
  private async depth(req: Paging): Promise<number> {
    const rejected = req.includeRejected ? 0 : await this.source.rejectedCount();
    return (req.offset ?? 0) + (req.top ?? DEFAULT_TOP) + 1 + rejected;
  }

  /** What the search makes of a description (shown with every result). */
  interpret(text: string): ReturnType<typeof interpretQuery> { return this.interpretFor(this.members[0], text); }

  /** Each member reads the description rewritten into its own vocabulary. */
  private interpretFor(m: TextMember, text: string): ReturnType<typeof interpretQuery> {
    return interpretQuery(text, { ivtVocabulary: m.vocabulary, maxTokens: m.encoder.manifest.text.maxTokens });
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const text = req.text.trim();
    if (!text) throw new SearchError('empty description: type what the person looks like');
    const interp = this.interpret(text);
    const top = req.top ?? DEFAULT_TOP;
    const offset = req.offset ?? 0;
    const depth = Math.max(SHORTLIST, await this.depth(req));
    const filter = await this.filterOf(req);
    // Each member's shortlist over its own embeddings (one model: one).
    const shortlists: { sighting: number; score: number }[][] = [];
    const indexes: VectorIndex[] = [];
    const unknown = new Set(interp.notUnderstood);
    let reading: SearchResult['query'] | null = null;
    for (const m of this.members) {
      // The encoder reads the description rewritten into its own words; with none left, the words as typed.
      const ivtText = m === this.members[0] ? interp.ivtText : this.interpretFor(m, text).ivtText;
      const q = await m.encoder.embed(this.tuning.rawText ? text : ivtText || text);
      for (const w of q.unknownWords) unknown.add(w);
      reading ??= q.reading;
      const index = await this.memberIndex(m);
      indexes.push(index);
      shortlists.push(index.nearestSightings(q.vector, depth, filter, undefined, 'auto', this.tuning.pooling));
    }
    const unknownWords = [...unknown];
    const videoOf = (id: number): number | undefined => indexes.map((i) => i.videoOfSighting(id)).find((v) => v !== undefined);
    const filters = filterChecks(req.attributes);
    const ev = this.tuning.evidence;
    const described = checksOf(interp.constraints, this.tuning.weights.reliability).filter((c) => ev === 'all' || (ev === 'colours' ? c.kind === 'colour' : ev === 'attributes' && c.kind !== 'colour'));
    const checks = [...described, ...filters];
    const evidenceOf = (id: number) => this.source.evidenceOf(id);
    let scored = this.model.ensemble
      ? ensembleRank(shortlists.map((similarities) => ({ similarities })), evidenceOf, checks, this.tuning.weights, this.tuning.standardisation, videoOf, this.model.weights)
      : fuse(shortlists[0], evidenceOf, checks, this.tuning.weights, this.tuning.standardisation, videoOf);
    const consensus = this.tuning.consensus;
    if (consensus) scored = appearanceConsensus(scored, await this.source.appearances(scored.slice(0, consensus.depth).map((s) => s.sighting)), consensus);
    // The similarities ranked: one model's shortlist, or the ensemble's weighted mean of its members'.
    const similarities = this.model.ensemble ? scored.map((s) => s.similarity) : shortlists[0].map((s) => s.score);
    // Clicked filters keep only sightings whose evidence agrees (the chips of the filters come last).
    if (filters.length) scored = scored.filter((s) => s.chips.length === checks.length && s.chips.slice(checks.length - filters.length).every((c) => c.ok));
    // The fused score in similarity units (mean + std × fused z), held in the contract's score range [-1, 1]
    // (bookmarks and --min-score take it): comparable with --min-score and with "similar" searches.
    const { mean, std } = meanStd(similarities);
    const asScore = (s: Scored): number => Math.max(LIMITS.minScore, Math.min(LIMITS.maxScore, mean + std * s.fused));
    const kept = scored.filter((s) => req.minScore === undefined || asScore(s) >= req.minScore);
    const rows = await this.source.sightingRows(kept.map((r) => r.sighting));
    // Results rejected in review drop out unless asked for; then the page is cut.
    const all = kept.filter((r) => rows.has(r.sighting) && (req.includeRejected || rows.get(r.sighting)!.rejected === null));
    const hits: SearchHit[] = all.slice(offset, offset + top).map((r) => ({
      ...toHit(rows.get(r.sighting)!, asScore(r)),
      similarity: Math.round(r.similarity * 1e4) / 1e4, confidence: r.confidence, chips: r.chips,
    }));
    const nextOffset = all.length > offset + top && offset + top <= LIMITS.maxOffset ? offset + top : null;
    return {
      hits, unknownWords, query: reading!, interpretation: publicInterpretation(interp),
      noStrongMatch: !hits.some((h) => h.confidence === 'strong'),
      modelId: this.modelId, tookMs: Math.round((performance.now() - started) * 10) / 10, nextOffset,
    };
  }

  async close(): Promise<void> { for (const m of this.members) await m.encoder.close(); }
}

function publicInterpretation(i: ReturnType<typeof interpretQuery>): Interpretation {
  return { summary: i.summary, mapped: i.mapped, notUnderstood: i.notUnderstood, ivtText: i.ivtText, constraints: i.constraints as unknown as Record<string, unknown> };
}
