// `npm run bench [-- --quick] [-- --json] [-- --only=index,gate,case,search,query,coarse,workers] [-- --table=run.json]`: indexing speed against
// decode-only, motion gating on a realistic CCTV clip (gated vs ungated, sightings recall; --only=gate), search latency at 10k/100k/1M crops (exact and approximate, with recall), text
// embedding latency and peak memory, each measured in the same run on this machine; team-server workers 1/2/3 and team-case search latency against a case file
// (--only=workers, not in the default set: it starts its own PostgreSQL; test/bench/workers.ts). Not a test:
// it prints figures; docs/benchmarks.md records them.
//
// Models: the default detector and IVT model, or SIGHTLINE_IVT_MODEL / SIGHTLINE_DETECTOR_MODEL
// (an id or a folder). Threads: SIGHTLINE_THREADS (ONNX Runtime intra-op).
import * as fs from 'node:fs';
import * as os from 'node:os';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { type IvtModel, loadIvtModel } from '../../electron/engine/vision/manifest';
import { CCTV_CAMERA, CCTV_HARD, cctvRealistic, cutOf, street1080p, vtestAvi } from './fixtures';
import { benchGating, benchIndexing, GatingFigures, IndexFigures } from './indexing';
import { benchCoarse, COARSE_VARIANTS, type CoarseFigures } from './coarse';
import { benchCase, type CaseFigures } from './caseThroughput';
import { benchTextEmbedding } from './query';
import { benchQueryParsing } from './query-parse';
import { benchSearch, SearchFigures } from './search';
import { benchWorkers, type TeamSearchFigures, type WorkerRun } from './workers';
import { formatStageTimes, STAGES } from '../../electron/engine/indexing/stages';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = new Set(onlyArg ? onlyArg.slice(7).split(',') : ['index', 'gate', 'case', 'search', 'query']);
const log = (s: string): void => { process.stderr.write(`${s}\n`); };

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const sizeName = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

function machine(): Record<string, unknown> {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  return { cpu, cores: os.cpus().length, ramGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, onnxThreads: process.env.SIGHTLINE_THREADS ?? `${Math.max(1, os.availableParallelism() - 1)} (engine default: cores − 1)` };
}

async function main(): Promise<void> {
  // --table=run.json: print the table of a saved --json run (for docs/benchmarks.md).
  const saved = args.find((a) => a.startsWith('--table='));
  if (saved) return printTable(JSON.parse(fs.readFileSync(saved.slice(8), 'utf8')));
  const ivtModel = process.env.SIGHTLINE_IVT_MODEL || undefined;
  const detectorModel = process.env.SIGHTLINE_DETECTOR_MODEL || undefined;
  let model: IvtModel;
  try {
    model = loadIvtModel(ivtModel);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n(set SIGHTLINE_IVT_MODEL to an IVT model folder to benchmark another model)`);
  }
  // Search latency is per member's vector space (an ensemble scans each member's: one scan per member).
  const ivt = model.members[0];
  const out: Record<string, any> = { date: new Date().toISOString(), quick, machine: machine(), loadAtStart: load(), models: { ivt: model.space, ivtDir: ivt.dir } };

  if (only.has('index')) {
    const tools = resolveFfmpeg();
    const models = await loadIndexModels({ provider: 'cpu', detectorModel, ivtModel });
    out.models.detector = models.modelKey;
    const clips: [string, string][] = [['vtest', vtestAvi()], ['street1080p', street1080p(tools.ffmpeg, quick ? 30 : 300)]];
    const videos: (IndexFigures & { load: string })[] = [];
    // BENCH_CLIPS=name,…: only those clips (by prefix, e.g. street1080p).
    const pick = process.env.BENCH_CLIPS?.split(',');
    for (const [name, file] of clips.filter(([n]) => !pick || pick.some((p) => n.startsWith(p)))) {
      log(`index: ${name} (${file}) …`);
      const f = await benchIndexing(name, file, models, tools);
      videos.push({ ...f, load: load() });
      log(`  ${f.rtf.toFixed(2)}× real time, decode-only ${f.decodeOnlyRtf.toFixed(2)}×, ${f.overDecode.toFixed(2)}× decode time; ${f.detections} detections`);
      // Where the CPU goes, per video second: ffmpeg's CPU in the pipeline (decoding), and node's CPU shared out over the
      // stages after decoding in proportion to their wall time (they run one after another on node's thread, each
      // network's ORT threads included; waiting for ffmpeg costs node next to nothing). Robust to load, unlike the walls.
      const after = STAGES.filter((st) => st.name !== 'decode');
      const wall = after.reduce((a, st) => a + f.stages[st.name], 0);
      log(`  CPU s per video s: ffmpeg ${f.indexFfmpegCpuPerVideoS.toFixed(3)}, node ${f.indexNodeCpuPerVideoS.toFixed(3)} = ${after.map((st) => `${st.label} ${((f.indexNodeCpuPerVideoS * f.stages[st.name]) / wall).toFixed(3)}`).join(', ')}; decode-only run ${f.decodeOnlyCpuPerVideoS.toFixed(3)}`);
    }
    if (!only.has('gate')) await closeIndexModels(models);
    const by = (key: keyof IndexFigures): Record<string, number> => Object.fromEntries(videos.map((v) => [v.clip, Math.round((v[key] as number) * 100) / 100]));
    out.index = { sampleFps: 2, rtf: by('rtf'), decodeOnlyRtf: by('decodeOnlyRtf'), overDecode: by('overDecode'), cpuCeilingRtf: by('cpuCeilingRtf'), videos };
    out.memory = { peakRssMb: Math.max(...videos.map((v) => v.peakRssMb)), during: 'indexing (node + ffmpeg)' };
  }

  if (only.has('gate')) {
    // Motion gating: the realistic CCTV clip (mostly empty, people passing) and vtest (always busy).
    const tools = resolveFfmpeg();
    const models = await loadIndexModels({ provider: 'cpu', detectorModel, ivtModel });
    const clips: [string, string][] = [['vtest', vtestAvi()], ['cctv-realistic-1080p', cctvRealistic(tools.ffmpeg)]];
    out.gate = [];
    for (const [name, file] of clips) {
      log(`gate: ${name} (${file}) …`);
      const g = await benchGating(name, file, models, tools);
      out.gate.push(g);
      log(`  gated ${g.rtfGated.toFixed(2)}× real time, ungated ${g.rtfUngated.toFixed(2)}×, decode-only ${g.decodeOnlyRtf.toFixed(2)}×; detector saw ${g.gatedDetectedFrames}/${g.frames} frames; sightings recall ${g.recall.sightingRecall.toFixed(3)} (${g.recall.recalledSightings}/${g.recall.sightings}), detection recall ${g.recall.detectionRecall.toFixed(3)}; load ${g.loads.map((l) => l.toFixed(1)).join('/')}`);
    }
    await closeIndexModels(models);
  }

  if (only.has('case')) {
    // Many files at once: a 4-file case, one file at a time vs the case scheduler (default settings: gate + coarse pass).
    const tools = resolveFfmpeg();
    const seconds = quick ? 20 : 60;
    log(`case: 4 files × ${seconds} s of 1080p … load ${load()}`);
    out.case = await benchCase(tools, seconds, { motionGate: true, coarsePass: true }, log);
  }

  if (only.has('coarse')) {
    // Keyframe-first coarse pass and skip_loop_filter against the ungated pipeline (--only=coarse; not in the default set: ~4 full runs of a 10-min clip).
    const tools = resolveFfmpeg();
    const models = await loadIndexModels({ provider: 'cpu', detectorModel, ivtModel });
    // The realistic clip in both encodings (fixtures.ts: the hard ~14 Mbit/s one, and as a camera records, VBR ≤ 4 Mbit/s);
    // --quick: the first 180 s of each (60 s empty, 20 s of people, 100 s empty).
    const realistic = [CCTV_HARD, CCTV_CAMERA].map((enc): [string, string] => (quick
      ? [`${enc.name}-first180s`, cutOf(tools.ffmpeg, cctvRealistic(tools.ffmpeg, enc), 0, 180)]
      : [enc.name, cctvRealistic(tools.ffmpeg, enc)]));
    const clips: [string, string][] = [['vtest', vtestAvi()], ...realistic];
    // BENCH_CLIPS=name,…: only those clips (by prefix: `cctv` = both realistic ones, `cctv-camera` = the camera one).
    const pick = process.env.BENCH_CLIPS?.split(',');
    out.coarse = [];
    for (const [name, file] of clips.filter(([n]) => !pick || pick.some((p) => n.startsWith(p)))) {
      log(`coarse: ${name} (${file}) … load ${load()}`);
      // BENCH_VARIANTS=name,…: only those variants after the ungated reference (test/bench/coarse.ts COARSE_VARIANTS).
      const variants = process.env.BENCH_VARIANTS ? COARSE_VARIANTS.filter((v) => process.env.BENCH_VARIANTS!.split(',').includes(v.name)) : COARSE_VARIANTS;
      out.coarse.push(await benchCoarse(name, file, models, tools, variants, 2, log));
    }
    await closeIndexModels(models);
  }

  if (only.has('query')) {
    log('query: text embedding …');
    const t = await benchTextEmbedding(ivtModel, quick ? 50 : 200);
    const p = benchQueryParsing(ivtModel, quick ? 10 : 50);
    out.query = { textEmbedMs: t.medianMs, textEmbedP95Ms: t.p95Ms, runs: t.runs, parseMs: p.medianMs, parseP95Ms: p.p95Ms, parseQueries: p.queries, load: load() };
  }

  if (only.has('search')) {
    const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    out.search = {};
    for (const n of sizes) {
      log(`search: ${sizeName(n)} × ${ivt.embeddingDim} …`);
      const f: SearchFigures = benchSearch(n, ivt.embeddingDim, { exact: n >= 1e6 ? 20 : 50, ann: quick ? 50 : 200 });
      out.search[sizeName(n)] = { ...f, load: load() };
      log(`  exact p95 ${f.exact.p95Ms} ms, approximate p95 ${f.ann.p95Ms} ms (recall@10 ${f.ann.recall10})`);
    }
    out.search.rssAfterMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  }
  if (only.has('workers')) out.workers = await benchWorkers({ quick, log });
  out.loadAtEnd = load();

  if (json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else printTable(out);
}

function printTable(o: Record<string, any>): void {
  const rows: string[][] = [['figure', 'value', 'lower bound / reference', 'load (1/5/15 min)']];
  for (const v of (o.index?.videos ?? []) as (IndexFigures & { load: string })[]) {
    const st = v.stages;
    rows.push([`index.rtf ${v.clip} (${v.width}×${v.height}, ${v.durationS.toFixed(0)} s, ${v.sampleFps} fps)`, `${v.rtf.toFixed(2)}×`, `decode-only ${v.decodeOnlyRtf.toFixed(2)}× (index = ${v.overDecode.toFixed(2)}× decode time)`, v.load]);
    rows.push([`  CPU s per video s ${v.clip}`, `${v.indexCpuPerVideoS.toFixed(3)}`, `decode-only ${v.decodeOnlyCpuPerVideoS.toFixed(3)} (node + ffmpeg); idle-cores ceiling ${v.cpuCeilingRtf?.toFixed(1)}×`, '']);
    rows.push([`  stages ${v.clip} (s)`, formatStageTimes(st), `${v.frames} frames, ${v.detections} detections`, '']);
  }
  for (const g of (o.gate ?? []) as GatingFigures[]) {
    rows.push([`gate.rtf ${g.clip} (${g.durationS.toFixed(0)} s) gated / ungated`, `${g.rtfGated.toFixed(2)}× / ${g.rtfUngated.toFixed(2)}×`, `decode-only ${g.decodeOnlyRtf.toFixed(2)}× (gated = ${g.gatedOverDecode.toFixed(2)}× decode time)`, g.loads.map((l) => l.toFixed(1)).join(' / ')]);
    rows.push([`  gate recall ${g.clip} (sightings / detections)`, `${g.recall.sightingRecall.toFixed(3)} / ${g.recall.detectionRecall.toFixed(3)}`, `${g.recall.recalledSightings}/${g.recall.sightings} sightings; detector saw ${g.gatedDetectedFrames}/${g.frames} frames`, '']);
    rows.push([`  stages gated ${g.clip} (s)`, formatStageTimes(g.gatedStages), `ungated: ${formatStageTimes(g.ungatedStages)}`, '']);
  }
  for (const c of (o.coarse ?? []) as CoarseFigures[]) {
    for (const v of [c.ungated, ...c.variants]) {
      rows.push([`coarse ${c.clip} ${v.name}`, `${v.rtf.toFixed(2)}× (${v.speedup.toFixed(2)}× ungated)`, `decode-only ${c.decodeOnlyRtf.toFixed(2)}× (time ${v.overDecode.toFixed(2)}× decode-only); ${v.cpuPerVideoS.toFixed(3)} CPU s per video s; sightings recall ${v.recall.sightingRecall.toFixed(3)} (${v.recall.recalledSightings}/${v.recall.sightings}), detections ${v.recall.detectionRecall.toFixed(3)}; ${v.frames} frames decoded, detector ${v.detectedFrames}${v.coarse ? `; skipped ${v.coarse.skippedS.toFixed(0)} s (GOP ${v.coarse.gopS.toFixed(1)} s, keyframe pass ${v.coarse.s.toFixed(1)} s)` : ''}`, v.load.toFixed(1)]);
    }
  }
  if (o.case) {
    const c = o.case as CaseFigures;
    for (const r of c.runs) rows.push([`case ${c.files} files × ${(c.videoS / c.files).toFixed(0)} s, ${r.name}`, `${r.cameraHoursPerWallHour.toFixed(2)} camera-hours per wall hour`, `budget: ${r.budget?.cores} cores, ${r.budget?.files} files at once, ${r.budget?.decodeThreads} decoder + ${r.budget?.onnxThreads} ONNX threads (decode share ${r.budget?.decodeShare.toFixed(2)}); ${r.cpuPerVideoS.toFixed(3)} CPU s per video s, peak RSS ${r.peakRssMb} MB`, r.load.toFixed(1)]);
    rows.push([`  case scheduler speed-up`, `${c.speedup.toFixed(2)}×`, 'one file at a time = 1', '']);
  }
  if (o.memory) rows.push(['memory.peakRssMb (indexing, node + ffmpeg)', `${o.memory.peakRssMb} MB`, '≤ 2048 MB', '']);
  if (o.query) rows.push(['query.textEmbedMs (median)', `${o.query.textEmbedMs} ms`, `p95 ${o.query.textEmbedP95Ms} ms`, o.query.load]);
  if (o.query?.parseMs !== undefined) rows.push(['query.parseMs (median, parse + interpretation)', `${o.query.parseMs} ms`, `p95 ${o.query.parseP95Ms} ms; target ≤ 5 ms`, '']);
  for (const [size, f] of Object.entries(o.search ?? {}) as [string, SearchFigures & { load: string }][]) {
    if (typeof f !== 'object') continue;
    rows.push([`search ${size} exact p50 / p95`, `${f.exact.p50Ms} / ${f.exact.p95Ms} ms`, 'reference', f.load]);
    rows.push([`search ${size} approximate p50 / p95`, `${f.ann.p50Ms} / ${f.ann.p95Ms} ms`, `recall@10 ${f.ann.recall10}, int8 build ${f.ann.buildMs} ms; auto → ${f.auto}`, '']);
  }
  for (const r of (o.workers?.runs ?? []) as WorkerRun[]) {
    rows.push([`workers ${r.workers} (${o.workers.footage}, ${r.footageS.toFixed(0)} s, ${r.chunks} × ${o.workers.chunkS} s chunks)`, `${r.rtf}× real time`,
      `${r.speedup}× one worker; node CPU ${r.cpuPerVideoS} s per video s; queue gap per chunk median ${r.queueGapMs.median} ms (max ${r.queueGapMs.max}); retried ${r.retried}`, r.load]);
  }
  const ts = o.workers?.search as TeamSearchFigures | null | undefined;
  if (ts) {
    rows.push([`team search p50 / p95 (${ts.crops} crops, ${ts.queries} queries)`, `${ts.team.p50Ms} / ${ts.team.p95Ms} ms`,
      `case file of the same footage ${ts.caseFile.p50Ms} / ${ts.caseFile.p95Ms} ms (${(ts.team.p50Ms / ts.caseFile.p50Ms).toFixed(2)}× its p50); first search ${ts.team.coldMs} vs ${ts.caseFile.coldMs} ms`, ts.load]);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log(`${o.date}  ${o.machine.cpu}, ${o.machine.cores} cores, ${o.machine.ramGb} GB; IVT ${o.models.ivt}${o.quick ? '  (--quick)' : ''}`);
  console.log(line(rows[0]));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
