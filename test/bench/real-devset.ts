// Search quality on the real-footage development set (test/fixtures/real-footage/devset.json), with the
// ablation of the fused search: IVT only (the words as typed) / + vocabulary (the interpretation's
// rewrite) / + attributes / + colours / fused (both). All devset footage goes into ONE case (as an
// investigator's case would hold several cameras), indexed at 2 fps; every description is searched and
// scored with groundTruth.ts (rank of the first judged hit showing the person). R@k is reported per
// split: "dev" (the fusion's weights may be fitted on it) and "test" (never fitted on).
// Also: descriptions of people who are NOT in the footage, and how many "strong" results they get.
//
// Reads the footage from ../shared/real-footage/ (relative to the repository root) and skips cleanly
// when it is absent. Stills become 1-frame videos in a temp dir (ffmpeg). The indexed case is kept in
// $SIGHTLINE_DEVSET_CASE (default: a temp dir) so a second run only searches.
// Run: npm run bench:devset [-- --json] [-- --fit] [-- --ranks] [-- --dev-only] [-- --pooling=KIND[:PARAM]] [-- --z=BY[:PRIOR]] [-- --consensus=off|MINCOS:WEIGHT[:DEPTH[:video|case]]]
// --ranks prints, for the shipped ranking (the last step), each *dev* description's rank and the absent
// descriptions that got a strong result: what one may look at while tuning. Test ranks are never printed
// one by one, so nobody tunes on them. --dev-only leaves the test split out of the table (for trying a
// candidate: its test aggregate is looked at only once it is kept). --pooling tries another way a
// sighting scores from its crops (search/sightingScore.ts): max, topMean:K, meanVector, shrunkMax:BETA;
// --z=shortlist|video:PRIOR what its similarity is standardised against (search/fusion.ts).
// --ensemble DIR [--ensemble-model=ID]: DIR holds the same footage indexed with a second IVT model
// (default ivt-osnet-v2; index it with SIGHTLINE_DEVSET_CASE=DIR SIGHTLINE_IVT_MODEL=ID npm run bench:devset);
// prints IVT-only and fused rows for this model, the second one and their pre-registered ensemble
// (electron/engine/search/ensemble.ts), after checking that both cases hold the same sightings.
// --ensemble-scale=none|members: how the averaged standing is scaled (search/ensemble.ts EnsembleScale).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Engine } from '../../electron/engine/api';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { Searcher, type SearchTuning } from '../../electron/engine/search/search';
import { type Confidence, checksOf, meanStd, FUSION_WEIGHTS, RELIABILITY, STANDARDISATION, type Standardisation } from '../../electron/engine/search/fusion';
import { DESCRIPTION_POOLING, poolingName, type SightingPooling } from '../../electron/engine/search/sightingScore';
import { embeddingSpace, loadAttributesManifest, loadIvtModel, packageRoot } from '../../electron/engine/vision/manifest';
import { SqliteSearchSource } from '../../electron/engine/search/searchSource';
import { appearanceConsensus, CONSENSUS, type Consensus } from '../../electron/engine/search/consensus';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sightingRows, toHit } from '../../electron/engine/search/hits';
import type { Db } from '../../electron/engine/case/caseFile';
import { matchSightings, type SightingKey } from './ensemble';
import { ENSEMBLE_SCALE, type EnsembleScale, ensembleRank, type ModelSimilarities } from '../../electron/engine/search/ensemble';
import { type Annotations, peopleOfSightings } from './real-footage';
import { vtestAvi } from './fixtures';
import { type Devset, type DevPerson, type Hit, isJudged, loadDevset, rankOfPerson, recallAt } from './groundTruth';

/** People nobody saw in this footage, written without looking at any result: none may be called "strong". */
export const ABSENT_DESCRIPTIONS = [
  'man in a bright orange hi-vis vest and a white hard hat',
  'woman in a yellow raincoat carrying a pink umbrella',
  'man in a purple suit with a green tie',
  'woman in a long red evening dress',
  'child in a green dinosaur costume',
  'man in a pink hoodie and pink trousers',
  'woman in a bright green coat and yellow trousers',
  'man in a white lab coat with a red backpack',
];

/** The product's ranking step by step; `consensus`: the step that averages same-person sightings (search/consensus.ts). */
const ABLATION: { name: string; tuning: Omit<SearchTuning, 'weights' | 'pooling' | 'standardisation' | 'consensus'>; consensus?: true }[] = [
  { name: 'IVT only (raw text)', tuning: { rawText: true, evidence: 'none' } },
  { name: '+ vocabulary (ivtText)', tuning: { rawText: false, evidence: 'none' } },
  { name: '+ attributes', tuning: { rawText: false, evidence: 'attributes' } },
  { name: '+ colours', tuning: { rawText: false, evidence: 'colours' } },
  { name: 'fused', tuning: { rawText: false, evidence: 'all' } },
  { name: '+ appearance consensus', tuning: { rawText: false, evidence: 'all' }, consensus: true },
];
/** The shipped ranking: the last step, whose ranks --ranks prints. */
const SHIPPED = ABLATION[ABLATION.length - 1];

/** --pooling=max | topMean:K | meanVector | shrunkMax:BETA (default: the product's DESCRIPTION_POOLING). */
function poolingArg(): SightingPooling {
  const arg = process.argv.find((a) => a.startsWith('--pooling='));
  if (!arg) return DESCRIPTION_POOLING;
  const [kind, param] = arg.slice('--pooling='.length).split(':');
  const x = Number(param);
  if (kind === 'max') return { kind };
  if (kind === 'meanVector') return { kind };
  if (kind === 'topMean' && Number.isInteger(x) && x >= 1) return { kind, k: x };
  if (kind === 'shrunkMax' && Number.isFinite(x) && x >= 0) return { kind, beta: x };
  throw new Error(`${arg}: expected --pooling=max, topMean:K (K ≥ 1), meanVector or shrunkMax:BETA (BETA ≥ 0)`);
}

/** --consensus=off | MINCOS:WEIGHT[:DEPTH[:video|case]] (default: the product's CONSENSUS). */
function consensusArg(): Consensus | null {
  const arg = process.argv.find((a) => a.startsWith('--consensus='));
  if (!arg) return CONSENSUS;
  const v = arg.slice('--consensus='.length);
  if (v === 'off') return null;
  const [minCosineS, weightS, depthS, scope = CONSENSUS.scope] = v.split(':');
  const [minCosine, weight, depth] = [Number(minCosineS), Number(weightS), Number(depthS ?? CONSENSUS.depth)];
  if ([minCosine, weight, depth].every(Number.isFinite) && weight >= 0 && depth >= 1 && (scope === 'video' || scope === 'case')) return { minCosine, weight, depth, scope };
  throw new Error(`${arg}: expected --consensus=off or MINCOS:WEIGHT[:DEPTH[:video|case]]`);
}

/** --z=shortlist | video:PRIOR (default: the product's STANDARDISATION). */
function standardisationArg(): Standardisation {
  const arg = process.argv.find((a) => a.startsWith('--z='));
  if (!arg) return STANDARDISATION;
  const [by, param] = arg.slice('--z='.length).split(':');
  const prior = Number(param);
  if (by === 'shortlist') return { by };
  if (by === 'video' && Number.isFinite(prior) && prior >= 0) return { by, prior };
  throw new Error(`${arg}: expected --z=shortlist or video:PRIOR (PRIOR ≥ 0)`);
}

/** A ranking of the primary case's sightings for one description (a Searcher's, or the ensemble's). */
type Ranked = { sighting: number; confidence?: Confidence };
type Ranker = (text: string, tuning: SearchTuning) => Promise<Ranked[]>;

/** A Searcher's ranking, its sighting ids put into the primary case's numbering (the identity for the primary itself). */
function searcherRanker(s: Searcher, idOf: (id: number) => number | undefined = (id) => id): Ranker {
  return async (text, tuning) => {
    s.tuning = tuning;
    return (await s.search({ text, top: 10_000 })).hits.flatMap((h) => { const id = idOf(h.sighting); return id === undefined ? [] : [{ sighting: id, confidence: h.confidence }]; });
  };
}

/** A ranker that keeps each search's wall time. */
function timedRanker(rank: Ranker): { rank: Ranker; n: number; median(): number } {
  const ms: number[] = [];
  return {
    rank: async (text, tuning) => { const t0 = performance.now(); const out = await rank(text, tuning); ms.push(performance.now() - t0); return out; },
    get n() { return ms.length; },
    median: () => [...ms].sort((a, b) => a - b)[ms.length >> 1] ?? NaN,
  };
}

/** The shipped ensemble's weights (native-models/ivt-ensemble-v1/manifest.json, pre-registered: equal). */
const ENSEMBLE_WEIGHTS = loadIvtModel('ivt-ensemble-v1').weights;

/** The ensemble of two Searchers (second's ids mapped into the first's case), evidence from the first case. */
function ensembleRanker(a: Searcher, aSource: SqliteSearchSource, b: Searcher, bToA: Map<number, number>, zSpread: number[] = []): Ranker {
  return async (text, tuning) => {
    if (tuning.evidence !== 'none' && tuning.evidence !== 'all') throw new Error(`ensemble: evidence '${tuning.evidence}' is not measured (none or all)`);
    const models: ModelSimilarities[] = [];
    for (const [s, idOf] of [[a, (id: number) => id], [b, (id: number) => bToA.get(id)]] as const) {
      const q = await s.encoder.embed(tuning.rawText ? text : s.interpret(text).ivtText || text);
      const index = await s.currentIndex();
      models.push({ similarities: index.nearestSightings(q.vector, 10_001, {}, undefined, 'auto', tuning.pooling).flatMap((x) => { const id = idOf(x.sighting); return id === undefined ? [] : [{ sighting: id, score: x.score }]; }) });
    }
    const checks = tuning.evidence === 'all' ? checksOf(a.interpret(text).constraints, tuning.weights.reliability) : [];
    const index = await a.currentIndex();
    let scored = ensembleRank(models, (id) => aSource.evidenceOf(id), checks, tuning.weights, tuning.standardisation, (id) => index.videoOfSighting(id), ENSEMBLE_WEIGHTS, ensembleScaleArg());
    if (tuning.consensus) scored = appearanceConsensus(scored, await aSource.appearances(scored.slice(0, tuning.consensus.depth).map((x) => x.sighting)), tuning.consensus);
    zSpread.push(meanStd(scored.map((x) => x.z)).std); // one model's z has spread ≈ 1; the mean of two less unless they agree
    return scored.map((x) => ({ sighting: x.sighting, confidence: x.confidence }));
  };
}

/** Each sighting's identity across cases: its video (inside the case folder: relative), times and every detection. */
function sightingKeys(db: Db, caseDir: string): SightingKey[] {
  const dets = new Map<number, string[]>();
  for (const d of db.prepare('SELECT sighting_id, t_s, x, y, w, h FROM detections ORDER BY sighting_id, t_s, x, y').all() as { sighting_id: number; t_s: number; x: number; y: number; w: number; h: number }[]) {
    dets.set(d.sighting_id, [...(dets.get(d.sighting_id) ?? []), `${d.t_s}:${d.x},${d.y},${d.w},${d.h}`]);
  }
  const fileOf = (p: string): string => (p.startsWith(caseDir + path.sep) ? path.relative(caseDir, p) : p);
  return (db.prepare('SELECT s.id, v.path, s.start_s, s.end_s, s.detection_count FROM sightings s JOIN videos v ON v.id = s.video_id').all() as { id: number; path: string; start_s: number; end_s: number; detection_count: number }[])
    .map((r) => ({ id: r.id, key: `${fileOf(r.path)}|${r.start_s}|${r.end_s}|${r.detection_count}|${(dets.get(r.id) ?? []).join(';')}` }));
}

/** --ensemble-scale=none|members (search/ensemble.ts EnsembleScale; default: the shipped ENSEMBLE_SCALE). */
function ensembleScaleArg(): EnsembleScale {
  const v = process.argv.find((a) => a.startsWith('--ensemble-scale='))?.slice('--ensemble-scale='.length) ?? ENSEMBLE_SCALE;
  if (v !== 'none' && v !== 'members') throw new Error(`--ensemble-scale: expected none or members, got ${v}`);
  return v;
}

/** --ensemble DIR or --ensemble=DIR. */
function ensembleArg(): string | undefined {
  const i = process.argv.findIndex((a) => a === '--ensemble' || a.startsWith('--ensemble='));
  if (i < 0) return undefined;
  const v = process.argv[i].startsWith('--ensemble=') ? process.argv[i].slice('--ensemble='.length) : process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error('--ensemble: expected the folder of the second model\'s cases (--ensemble DIR)');
  return path.resolve(v);
}

function footageFiles(d: Devset): string[] {
  return [...new Set(d.people.flatMap((p) => p.appearances.map((a) => a.file)))].sort();
}

/**
 * A still as a one-frame video (t = 0, the annotated moment); a GIF (the importer refuses it as a still
 * image) re-encoded with its frame times kept; videos are indexed as they are.
 */
function asVideo(ffmpeg: string, src: string, dir: string): string {
  const still = /\.(jpe?g|png|bmp)$/i.test(src);
  if (!still && !/\.gif$/i.test(src)) return src;
  const out = path.join(dir, `${path.basename(src)}.mp4`);
  const even = ['-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p'];
  if (!fs.existsSync(out)) {
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...(still ? ['-loop', '1', '-i', src, '-t', '0.5', '-r', '2'] : ['-i', src]), ...even, out]);
  }
  return out;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const showRanks = process.argv.includes('--ranks');
  const devOnly = process.argv.includes('--dev-only');
  const pooling = poolingArg();
  const standardisation = standardisationArg();
  const consensus = consensusArg();
  /** An ablation step's whole tuning. */
  const tuned = (a: (typeof ABLATION)[number]): SearchTuning => ({ ...a.tuning, weights, pooling, standardisation, consensus: a.consensus ? consensus : null });
  // The model the cases are indexed with (Engine reads the same variable) must also embed the queries.
  const ivtModel = process.env.SIGHTLINE_IVT_MODEL || undefined;
  const root = path.resolve(packageRoot(), '..', 'shared', 'real-footage');
  const devset = loadDevset(path.join(packageRoot(), 'test', 'fixtures', 'real-footage', 'devset.json'));
  const files = footageFiles(devset);
  const missing = files.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length) { console.log(`bench:devset skipped: ${root} lacks ${missing.length} annotated file(s), e.g. ${missing[0]}`); return; }

  const dir = process.env.SIGHTLINE_DEVSET_CASE || fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-devset-'));
  fs.mkdirSync(path.join(dir, 'stills'), { recursive: true });
  const dbFile = path.join(dir, 'devset.sqlite');
  const { ffmpeg } = resolveFfmpeg();
  // Indexed file → annotated path, by real path: a kept case (SIGHTLINE_DEVSET_CASE) may hold the footage
  // under another spelling of the same folder (a worktree's ../shared link), and the importer keeps a known file's path.
  const realOf = (p: string): string => { try { return fs.realpathSync(p); } catch { return p; } };
  const annotated = new Map<string, string>();
  const annotatedOf = { get: (p: string): string | undefined => annotated.get(realOf(p)) };
  const inputs = files.map((f) => { const v = asVideo(ffmpeg, path.join(root, f), path.join(dir, 'stills')); annotated.set(realOf(v), f); return v; });
  const engine = new Engine();
  const started = Date.now();
  if (!fs.existsSync(dbFile)) await engine.createCase({ path: dbFile, caseNumber: 'devset', investigator: 'bench' });
  else await engine.openCase(dbFile);
  const report = await engine.importPaths({ paths: inputs });
  if (report.failed.length) throw new Error(JSON.stringify(report.failed));
  const status = await engine.status();
  await engine.close();
  const indexS = (Date.now() - started) / 1000;

  // vtest.avi (the team's development footage, its own case) with the descriptions of bench:real.
  const vtestFile = path.join(dir, 'vtest.sqlite');
  const vtestEngine = new Engine();
  if (!fs.existsSync(vtestFile)) await vtestEngine.createCase({ path: vtestFile, caseNumber: 'vtest', investigator: 'bench' });
  else await vtestEngine.openCase(vtestFile);
  const vtestReport = await vtestEngine.importPaths({ paths: [vtestAvi()] });
  await vtestEngine.close();
  if (vtestReport.failed.length) throw new Error(JSON.stringify(vtestReport.failed));
  const ann = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'native-models', 'synth', 'real_eval', 'vtest_annotations.json'), 'utf8')) as Annotations;
  const vtestPeople = peopleOfSightings(vtestFile, ann);
  const vtestDb = openOrCreateCase(vtestFile, 'vtest');
  const vtestSearcher = await Searcher.open(vtestDb, ivtModel, 'cpu');
  const evaluateVtest = async (tuning: SearchTuning, rank: Ranker = searcherRanker(vtestSearcher), print = false): Promise<{ recall: Record<string, number>; strongAbsent: number }> => {
    const ranks: (number | null)[] = [];
    for (const p of ann.persons) {
      if (![...vtestPeople.values()].some((s) => s.has(p.id))) continue; // never detected: not a search question
      for (const caption of p.captions) {
        const hits = await rank(caption, tuning);
        const i = hits.findIndex((h) => vtestPeople.get(h.sighting)?.has(p.id));
        ranks.push(i < 0 ? null : i + 1);
      }
    }
    let strongAbsent = 0;
    for (const d of ABSENT_DESCRIPTIONS) {
      const strong = (await rank(d, tuning)).filter((h) => h.confidence === 'strong');
      if (strong.length && showRanks && print) console.log(`ranks: vtest absent "${d}": ${strong.length} strong (sighting ${strong.map((h) => h.sighting).join(', ')})`);
      strongAbsent += strong.length;
    }
    return { recall: recallAt(ranks), strongAbsent };
  };

  const db = openOrCreateCase(dbFile, 'devset');
  const searcher = await Searcher.open(db, ivtModel, 'cpu');
  const sightings = (db.prepare('SELECT count(*) FROM sightings').pluck().get() as number);
  // A sighting is judged by its detections at annotated moments (its best frame is rarely one): the
  // detection nearest each annotated time of its file (within 0.1 s: GIF frames fall 1/30 s off the
  // 0.5 s ticks) stands for it there. A sighting with none is judged by its best frame (stills: t = 0).
  const moments = new Map<string, number[]>();
  for (const p of devset.people) for (const a of p.appearances) moments.set(a.file, [...new Set([...(moments.get(a.file) ?? []), a.t])]);
  const videoFile = new Map((db.prepare('SELECT id, path FROM videos').all() as { id: number; path: string }[]).map((v) => [v.id, annotatedOf.get(v.path) ?? v.path]));
  const views = new Map<number, Hit[]>();
  for (const d of db.prepare('SELECT sighting_id, video_id, t_s, x, y, w, h FROM detections').all() as { sighting_id: number; video_id: number; t_s: number; x: number; y: number; w: number; h: number }[]) {
    const file = videoFile.get(d.video_id)!;
    const t = (moments.get(file) ?? []).find((m) => Math.abs(m - d.t_s) < 0.1);
    if (t === undefined) continue;
    views.set(d.sighting_id, [...(views.get(d.sighting_id) ?? []), { file, t, bbox: [d.x, d.y, d.w, d.h] }]);
  }
  /** A sighting without a judged view is judged by its best frame, as a hit shows it. */
  const bestView = (id: number): Hit[] => {
    const h = toHit(sightingRows(db, [id]).get(id)!, 0);
    return [{ file: annotatedOf.get(h.video) ?? h.video, t: h.time, bbox: h.bbox }];
  };
  const hitsOf = async (text: string, tuning: SearchTuning, rank: Ranker): Promise<{ hits: Hit[][]; strongAt: boolean[]; strong: number }> => {
    const r = await rank(text, tuning);
    return { hits: r.map((h) => views.get(h.sighting) ?? bestView(h.sighting)), strongAt: r.map((h) => h.confidence === 'strong'), strong: r.filter((h) => h.confidence === 'strong').length };
  };
  /** How the strong label treated a present person: a strong hit showing them; strong judged hits showing someone else. */
  const strongFor = (p: DevPerson, hits: Hit[][], strongAt: boolean[]): { right: boolean; wrong: number } => {
    let right = false, wrong = 0;
    hits.forEach((views, i) => {
      if (!strongAt[i]) return;
      const judged = views.filter((h) => isJudged(h, devset));
      if (judged.length === 0) return;
      if (judged.some((h) => rankOfPerson(p, [h], devset) === 1)) right = true; else wrong += 1;
    });
    return { right, wrong };
  };
  /** rankOfPerson over sightings: a sighting shows the person when one of its judged views does. */
  const rankOf = (p: DevPerson, hits: Hit[][]): number | null => {
    let rank = 0;
    for (const views of hits) {
      const judged = views.filter((h) => isJudged(h, devset));
      if (judged.length === 0) continue;
      rank += 1;
      if (judged.some((h) => rankOfPerson(p, [h], devset) === 1)) return rank;
    }
    return null;
  };

  const evaluate = async (tuning: SearchTuning, rank: Ranker = searcherRanker(searcher), print = false): Promise<{ dev: Record<string, number>; test: Record<string, number>; strongAbsent: number; strongBy: Record<'dev' | 'test', { described: number; right: number; wrong: number }>; ranks: Record<string, (number | null)[]> }> => {
    const ranks: Record<string, (number | null)[]> = { dev: [], test: [] };
    // Per split: descriptions of people who are there with at least one strong result / with a strong hit
    // showing them, and strong judged hits showing someone else (aggregates only: test is never printed one by one).
    const strongBy = { dev: { described: 0, right: 0, wrong: 0 }, test: { described: 0, right: 0, wrong: 0 } };
    for (const p of devset.people) {
      for (const d of p.descriptions) {
        const { hits, strongAt, strong } = await hitsOf(d, tuning, rank);
        const sf = strongFor(p, hits, strongAt), by = strongBy[p.split];
        if (strong) by.described += 1;
        if (sf.right) by.right += 1;
        by.wrong += sf.wrong;
        ranks[p.split].push(rankOf(p, hits));
        if (showRanks && print && p.split === 'dev') console.log(`ranks: dev ${String(ranks.dev[ranks.dev.length - 1] ?? '-').padStart(3)}  ${p.id}: "${d}"`);
      }
    }
    let strongAbsent = 0;
    for (const d of ABSENT_DESCRIPTIONS) {
      const { strong } = await hitsOf(d, tuning, rank);
      if (strong && showRanks && print) console.log(`ranks: devset absent "${d}": ${strong} strong`);
      strongAbsent += strong;
    }
    return { dev: recallAt(ranks.dev), test: recallAt(ranks.test), strongAbsent, strongBy, ranks };
  };

  // --checks: which evidence checks misfire on the dev split. For each check of each dev description:
  // the described person's satisfaction and the share of the case's other judged sightings it beats
  // (AUC: 1 = the check singles them out, 0.5 = it says nothing, below 0.5 = it points the wrong way).
  if (process.argv.includes('--checks')) {
    const source = new SqliteSearchSource(db);
    await source.index(searcher.modelId, searcher.encoder.manifest.embeddingDim, embeddingSpace(loadAttributesManifest()));
    const judged = [...views.entries()].filter(([, vs]) => vs.some((h) => isJudged(h, devset)));
    const byLabel = new Map<string, { n: number; sat: number; auc: number }>();
    for (const p of devset.people.filter((x) => x.split === 'dev')) {
      const mine = new Set(judged.filter(([, vs]) => vs.some((h) => rankOfPerson(p, [h], devset) === 1)).map(([id]) => id));
      if (!mine.size) continue;
      for (const d of p.descriptions) {
        for (const c of checksOf(searcher.interpret(d).constraints)) {
          const sat = (id: number): number | null => { const e = source.evidenceOf(id); return e ? c.satisfaction(e) : null; };
          const t = Math.max(...[...mine].map((id) => sat(id) ?? 0));
          const others = judged.filter(([id]) => !mine.has(id)).map(([id]) => sat(id)).filter((x): x is number => x !== null);
          const auc = others.reduce((a, o) => a + (t > o ? 1 : t === o ? 0.5 : 0), 0) / Math.max(1, others.length);
          console.log(`checks: dev ${p.id}: "${c.label}" (weight ${c.weight}) target ${t.toFixed(2)} beats ${(auc * 100).toFixed(0)} % of others`);
          const key = c.kind === 'colour' ? `colour (${c.label.split(' ').pop()})` : c.label;
          const g = byLabel.get(key) ?? { n: 0, sat: 0, auc: 0 };
          g.n += 1; g.sat += t; g.auc += auc;
          byLabel.set(key, g);
        }
      }
    }
    for (const [k, g] of [...byLabel].sort((a, b) => b[1].n - a[1].n)) console.log(`checks: ${k}: ${g.n} checks, mean target satisfaction ${(g.sat / g.n).toFixed(2)}, mean AUC ${(g.auc / g.n).toFixed(2)}`);
  }

  // --fit: the evidence weight by R@1 + R@5 on the dev split only (never on "test").
  let weights = FUSION_WEIGHTS;
  if (process.argv.includes('--fit')) {
    let best = -1;
    for (const evidence of [0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6]) {
      const r = await evaluate({ rawText: false, evidence: 'all', weights: { evidence }, pooling, standardisation, consensus });
      const s = r.dev['R@1'] + r.dev['R@5'];
      if (!json) console.log(`fit: evidence weight ${evidence}: dev R@1 ${pct(r.dev['R@1'])} R@5 ${pct(r.dev['R@5'])} R@10 ${pct(r.dev['R@10'])}`);
      if (s > best) { best = s; weights = { evidence }; }
    }
    if (!json) console.log(`fit: chosen evidence weight ${weights.evidence} (FUSION_WEIGHTS in search/fusion.ts is ${FUSION_WEIGHTS.evidence})`);
  }

  // --fit-reliability: each check's reliability, one at a time over a grid (coordinate ascent, two passes),
  // by R@1 + R@5 on the dev split only, never accepting a strong result for an absent person.
  if (process.argv.includes('--fit-reliability')) {
    const r: Record<string, number> = { ...RELIABILITY };
    const score = async (): Promise<number> => {
      const e = await evaluate({ rawText: false, evidence: 'all', weights: { ...weights, reliability: { ...r } }, pooling, standardisation, consensus });
      return e.strongAbsent ? -1 : e.dev['R@1'] + e.dev['R@5'];
    };
    let best = await score();
    console.log(`fit-reliability: RELIABILITY as shipped: dev R@1 + R@5 = ${best.toFixed(3)}`);
    for (let pass = 0; pass < 2; pass++) {
      for (const k of Object.keys(RELIABILITY)) {
        for (const v of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
          const was = r[k];
          r[k] = v;
          const s = await score();
          if (s > best + 1e-9) { best = s; console.log(`fit-reliability: ${k} ${was} → ${v}: dev R@1 + R@5 = ${s.toFixed(3)}`); } else r[k] = was;
        }
      }
    }
    console.log(`fit-reliability: chosen ${JSON.stringify(r)}`);
    weights = { ...weights, reliability: r };
  }

  /** What the "strong" label did on one split (aggregates only). */
  const labelLine = (by: Record<'dev' | 'test', { described: number; right: number; wrong: number }>, split: 'dev' | 'test'): string => {
    const b = by[split], n = devset.people.filter((p) => p.split === split).reduce((k, p) => k + p.descriptions.length, 0);
    return `${split}: ${b.described} of ${n} descriptions have a strong result, ${b.right} a strong hit showing the person, ${b.wrong} strong hits show someone else`;
  };
  const rows: { name: string; dev: Record<string, number>; test: Record<string, number>; vtest: Record<string, number>; strongAbsent: number; strongAbsentVtest: number }[] = [];
  const ensembleDir = ensembleArg();
  if (!ensembleDir) {
    for (const a of ABLATION) {
      // Wall time per search of each step, in the same run (the consensus step against the fused one before it).
      const devRank = timedRanker(searcherRanker(searcher)), vtestRank = timedRanker(searcherRanker(vtestSearcher));
      const r = await evaluate(tuned(a), devRank.rank, a === SHIPPED);
      const v = await evaluateVtest(tuned(a), vtestRank.rank, a === SHIPPED);
      rows.push({ name: a.name, dev: r.dev, test: r.test, vtest: v.recall, strongAbsent: r.strongAbsent, strongAbsentVtest: v.strongAbsent });
      if (!json && a.tuning.evidence === 'all') {
        console.log(`labels: ${a.name}: ${labelLine(r.strongBy, 'dev')}${devOnly ? '' : `; ${labelLine(r.strongBy, 'test')}`}`);
        console.log(`timing: ${a.name}: devset case ${devRank.n} searches, median ${devRank.median().toFixed(1)} ms; vtest case ${vtestRank.n} searches, median ${vtestRank.median().toFixed(1)} ms`);
      }
    }
  } else {
    // The second model's cases (indexed beforehand into ensembleDir), their sightings matched to this case's.
    const model2 = process.argv.find((a) => a.startsWith('--ensemble-model='))?.slice('--ensemble-model='.length) ?? 'ivt-osnet-v2';
    const db2File = path.join(ensembleDir, 'devset.sqlite'), vtest2File = path.join(ensembleDir, 'vtest.sqlite');
    for (const f of [db2File, vtest2File]) if (!fs.existsSync(f)) throw new Error(`--ensemble: ${f} is missing: index it first (SIGHTLINE_DEVSET_CASE=${ensembleDir} SIGHTLINE_IVT_MODEL=${model2} npm run bench:devset)`);
    const db2 = openOrCreateCase(db2File, 'devset'), vtestDb2 = openOrCreateCase(vtest2File, 'vtest');
    const match = matchSightings(sightingKeys(db, dir), sightingKeys(db2, ensembleDir));
    const vmatch = matchSightings(sightingKeys(vtestDb, dir), sightingKeys(vtestDb2, ensembleDir));
    console.log(`ensemble: sightings matched one to one (same video, start, end, every detection box): devset ${match.map.size} (only in ${path.basename(dir)}: ${match.onlyFirst}, only in ${path.basename(ensembleDir)}: ${match.onlySecond}); vtest ${vmatch.map.size} (${vmatch.onlyFirst} / ${vmatch.onlySecond})`);
    const searcher2 = await Searcher.open(db2, model2, 'cpu'), vtestSearcher2 = await Searcher.open(vtestDb2, model2, 'cpu');
    const evidenceModel = embeddingSpace(loadAttributesManifest());
    const source = new SqliteSearchSource(db), vtestSource = new SqliteSearchSource(vtestDb);
    await source.index(searcher.modelId, searcher.encoder.manifest.embeddingDim, evidenceModel);
    await vtestSource.index(vtestSearcher.modelId, vtestSearcher.encoder.manifest.embeddingDim, evidenceModel);
    const zSpread: number[] = [];
    const rankers: [string, Ranker, Ranker][] = [
      [searcher.modelId, searcherRanker(searcher), searcherRanker(vtestSearcher)],
      [searcher2.modelId, searcherRanker(searcher2, (id) => match.map.get(id)), searcherRanker(vtestSearcher2, (id) => vmatch.map.get(id))],
      [`ensemble ${ENSEMBLE_WEIGHTS[0]} · ${searcher.modelId} + ${ENSEMBLE_WEIGHTS[1]} · ${searcher2.modelId}`, ensembleRanker(searcher, source, searcher2, match.map, zSpread), ensembleRanker(vtestSearcher, vtestSource, vtestSearcher2, vmatch.map)],
    ];
    for (const [model, rank, vtestRank] of rankers) {
      for (const a of ABLATION.filter((x) => x.name.startsWith('IVT only') || x.name === 'fused' || x === SHIPPED)) {
        const r = await evaluate(tuned(a), rank);
        const v = await evaluateVtest(tuned(a), vtestRank);
        rows.push({ name: `${a.name}: ${model}`, dev: r.dev, test: r.test, vtest: v.recall, strongAbsent: r.strongAbsent, strongAbsentVtest: v.strongAbsent });
        if (!json) console.log(`ensemble: ${a.name}: ${model}: ${labelLine(r.strongBy, 'dev')}${devOnly ? '' : `; ${labelLine(r.strongBy, 'test')}`}`);
      }
    }
    if (!json) console.log(`ensemble: spread (std) of the averaged z over the shortlist, devset queries: mean ${(zSpread.reduce((x, y) => x + y, 0) / zSpread.length).toFixed(2)}, min ${Math.min(...zSpread).toFixed(2)}, max ${Math.max(...zSpread).toFixed(2)} (one model's: 1 by construction, up to the per-video level)`);
    await searcher2.close();
    await vtestSearcher2.close();
    db2.close();
    vtestDb2.close();
  }
  await searcher.close();
  await vtestSearcher.close();
  db.close();
  vtestDb.close();
  const descriptions = { dev: devset.people.filter((p) => p.split === 'dev').reduce((a, p) => a + p.descriptions.length, 0), test: devset.people.filter((p) => p.split === 'test').reduce((a, p) => a + p.descriptions.length, 0) };
  if (devOnly) for (const r of rows) r.test = {};
  if (json) { console.log(JSON.stringify({ videos: status.videos, sightings, indexS, descriptions, weights, pooling, standardisation, consensus, absent: ABSENT_DESCRIPTIONS.length, rows })); return; }
  const last = rows[rows.length - 1];
  console.log(`reachable (the person is in some sighting at all: the ceiling of any ranking): dev ${pct(last.dev.reachable)}, test ${devOnly ? '(left out)' : pct(last.test.reachable)}, vtest ${pct(last.vtest.reachable)}`);
  console.log(`devset: ${files.length} files, ${sightings} sightings in one case (indexed in ${indexS.toFixed(0)} s); ${descriptions.dev} dev / ${descriptions.test} test descriptions; ${ABSENT_DESCRIPTIONS.length} descriptions of absent people; evidence weight ${weights.evidence}; sighting score ${poolingName(pooling)}; z over ${standardisation.by === 'shortlist' ? 'the shortlist' : `each video (prior ${standardisation.prior})`}; appearance consensus ${consensus ? `cosine ≥ ${consensus.minCosine}, weight ${consensus.weight}, top ${consensus.depth}, within ${consensus.scope === 'video' ? 'one video' : 'the case'}` : 'off'}`);
  const testCols = devOnly ? '' : ' test R@1 | test R@5 | test R@10 |';
  console.log(`| ranking | dev R@1 | dev R@5 | dev R@10 |${testCols} vtest R@1 | vtest R@5 | vtest R@10 | strong results for absent people (devset case / vtest) |`);
  console.log(`| --- | --- | --- | --- |${devOnly ? '' : ' --- | --- | --- |'} --- | --- | --- | --- |`);
  for (const r of rows) console.log(`| ${r.name} | ${pct(r.dev['R@1'])} | ${pct(r.dev['R@5'])} | ${pct(r.dev['R@10'])} |${devOnly ? '' : ` ${pct(r.test['R@1'])} | ${pct(r.test['R@5'])} | ${pct(r.test['R@10'])} |`} ${pct(r.vtest['R@1'])} | ${pct(r.vtest['R@5'])} | ${pct(r.vtest['R@10'])} | ${r.strongAbsent} / ${r.strongAbsentVtest} |`);
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

main().catch((e) => { console.error(e); process.exit(1); });
