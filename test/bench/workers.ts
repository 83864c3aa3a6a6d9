// Team server throughput (`npm run bench -- --only=workers [--quick]`): the same footage indexed by 1,
// 2 and 3 worker processes from the pg-boss queue of a throw-away PostgreSQL (test/helpers/postgres.ts).
// Per run: footage seconds per wall second (first chunk claimed → last chunk written, so model loading
// is not counted), node CPU seconds per footage second per worker (ffmpeg's decoding is a separate
// process and not included), and the queue's overhead per chunk (a worker's gap between writing one
// chunk and claiming the next: polling, fetch, claim). Ratios between runs are the point; wall-clock
// figures depend on the machine's load, printed beside them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCli } from '../helpers/cli';
import { startPostgres } from '../helpers/postgres';
import { runCli, SAMPLE_VIDEO } from '../helpers/cli';
import { vtestAvi } from './fixtures';
import { Engine } from '../../electron/engine/api';

/** Description search on the finished team case through the Engine (what the app and CLI run). */
export interface TeamSearchFigures {
  crops: number; queries: number; load: string;
  team: { coldMs: number; p50Ms: number; p95Ms: number }; caseFile: { coldMs: number; p50Ms: number; p95Ms: number };
}

export interface WorkerRun {
  workers: number; footageS: number; chunks: number; wallS: number; rtf: number; speedup: number;
  cpuPerVideoS: number; queueGapMs: { median: number; max: number }; retried: number; load: string;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export async function benchWorkers(opts: { quick: boolean; counts?: number[]; log: (s: string) => void }): Promise<{ footage: string; chunkS: number; runs: WorkerRun[]; search: TeamSearchFigures | null }> {
  const footage = opts.quick ? SAMPLE_VIDEO : vtestAvi();
  const chunkS = opts.quick ? 6 : 10;
  const pg = await startPostgres();
  const runs: WorkerRun[] = [];
  let search: TeamSearchFigures | null = null;
  try {
    await pg.sql('postgres', "CREATE ROLE bench LOGIN PASSWORD 'bench-pw'");
    for (const n of opts.counts ?? [1, 2, 3]) {
      const db = `bench${n}`;
      await pg.sql('postgres', `CREATE DATABASE ${db} OWNER bench`);
      const url = pg.url('bench', 'bench-pw', db);
      const env = { SIGHTLINE_MOTION_GATING: '0' };
      for (const args of [['case', 'create', '--server', url], ['index', footage, '--server', url, '--chunk-s', String(chunkS)]]) {
        const r = await runCli(args, env);
        if (r.code !== 0) throw new Error(`${args[0]}: ${r.stderr}`);
      }
      opts.log(`workers: ${n} worker(s) over ${path.basename(footage)} in ${chunkS} s chunks …`);
      const events: { at: number; event: string; worker: string; cpuS?: number }[] = [];
      const children = Array.from({ length: n }, () => {
        const c = startCli(['worker', '--server', url, '--until-done', '--json'], env);
        let partial = '';
        c.stdout!.on('data', (d: Buffer) => {
          partial += d;
          const lines = partial.split('\n');
          partial = lines.pop()!;
          for (const l of lines) if (l.trim()) events.push({ at: Date.now(), ...(JSON.parse(l) as { event: string; worker: string }) });
        });
        return new Promise<void>((resolve, reject) => c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`)))));
      });
      await Promise.all(children);
      const chunks = await pg.sql(db, 'SELECT start_s, end_s, cpu_s, attempts FROM chunks');
      const footageS = chunks.reduce((a, c) => a + Number(c.end_s) - Number(c.start_s), 0);
      const starts = events.filter((e) => e.event === 'chunk-start'), dones = events.filter((e) => e.event === 'chunk-done');
      const wallS = (Math.max(...dones.map((e) => e.at)) - Math.min(...starts.map((e) => e.at))) / 1000;
      // Queue overhead: per worker, from writing a chunk to claiming its next one.
      const gaps: number[] = [];
      for (const w of new Set(events.map((e) => e.worker))) {
        const mine = events.filter((e) => e.worker === w && (e.event === 'chunk-start' || e.event === 'chunk-done'));
        for (let i = 1; i < mine.length; i++) if (mine[i - 1].event === 'chunk-done' && mine[i].event === 'chunk-start') gaps.push(mine[i].at - mine[i - 1].at);
      }
      const cpu = chunks.reduce((a, c) => a + Number(c.cpu_s), 0);
      const rtf = footageS / wallS;
      runs.push({
        workers: n, footageS, chunks: chunks.length, wallS: Math.round(wallS * 10) / 10, rtf: Math.round(rtf * 100) / 100,
        speedup: Math.round((rtf / (runs[0]?.rtf ?? rtf)) * 100) / 100, cpuPerVideoS: Math.round((cpu / footageS) * 1000) / 1000,
        queueGapMs: { median: median(gaps), max: gaps.length ? Math.max(...gaps) : 0 }, retried: chunks.filter((c) => Number(c.attempts) > 1).length, load: load(),
      });
      const r = runs[runs.length - 1];
      opts.log(`  ${r.rtf}× real time (${r.speedup}× one worker), node CPU ${r.cpuPerVideoS} s per video s, queue gap median ${r.queueGapMs.median} ms; load ${r.load}`);
      search ??= await teamSearchLatency(url, footage, Number((await pg.sql(db, 'SELECT count(*) AS n FROM detections WHERE sighting_id IS NOT NULL'))[0].n));
    }
  } finally {
    pg.stop();
  }
  return { footage: path.basename(footage), chunkS, runs, search };
}

/**
 * Search latency on a team case against a case file of the same footage, in the same run: the team
 * case's first search loads every video's vectors from the server; later ones read only what changed
 * (one query on videos) plus the hits' rows and the audit entry, as the case file reads its own.
 */
async function teamSearchLatency(url: string, footage: string, crops: number): Promise<TeamSearchFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-search-'));
  try {
    const file = path.join(dir, 'case.sqlite');
    const indexed = await runCli(['index', footage, '--db', file, '--no-proxies'], { SIGHTLINE_MOTION_GATING: '0' });
    if (indexed.code !== 0) throw new Error(`index --db: ${indexed.stderr}`);
    const time = async (open: (e: Engine) => Promise<unknown>): Promise<{ coldMs: number; p50Ms: number; p95Ms: number }> => {
      const engine = new Engine({ settingsFile: path.join(dir, 'settings.json') });
      try {
        await open(engine);
        const texts = ['man in a dark jacket', 'woman in a red coat with a bag', 'person in white trousers', 'man with a black backpack'];
        let t = performance.now();
        await engine.search({ text: texts[0], top: 10 });
        const coldMs = performance.now() - t;
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
          t = performance.now();
          await engine.search({ text: texts[i % texts.length], top: 10 });
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        const r1 = (x: number): number => Math.round(x * 10) / 10;
        return { coldMs: r1(coldMs), p50Ms: r1(times[10]), p95Ms: r1(times[18]) };
      } finally {
        await engine.close();
      }
    };
    const team = await time((e) => e.openTeamCase({ server: url }));
    const caseFile = await time((e) => e.openCase(file));
    return { crops, queries: 20, team, caseFile, load: load() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
