// An indexing worker of a team case: loads the networks once, then takes chunk jobs from the queue
// one at a time (session.run blocks this thread; concurrency is one process per slot, started by the
// CLI). Progress goes out as events; nothing it emits contains the connection string.
import * as os from 'node:os';
import type PgBoss from 'pg-boss';
import { closeIndexModels, loadIndexModels, type LoadedModels } from '../indexing/job';
import { loadChosenIvtModel, resolveIvtModel, type IvtModelChosenBy } from '../vision/caseModel';
import { loadIvtModel } from '../vision/manifest';
import type { ProviderPreference } from '../vision/providers';
import { indexChunk } from './chunkIndexer';
import { PgCaseStore } from './pgStore';
import { CHUNK_QUEUE, openQueue, type ChunkJobData } from './queue';
import { openPool, scrub, ServerError } from './server';

/** A model reference as its id@version (the reference itself when it cannot be loaded here). */
function spaceOf(ref: string): string {
  try { return loadIvtModel(ref).space; } catch { return ref; }
}

export type WorkerEvent =
  | { event: 'ready'; worker: string; provider: string; modelKey: string; ivtModel: string; ivtChosenBy: IvtModelChosenBy }
  | { event: 'chunk-start'; worker: string; videoId: number; idx: number; jobId: string }
  | { event: 'chunk-done'; worker: string; videoId: number; idx: number; frames: number; detections: number; stitched: boolean; skipped: boolean; wallS: number; cpuS: number }
  | { event: 'chunk-failed'; worker: string; videoId: number; idx: number; error: string }
  | { event: 'idle'; worker: string };

export interface WorkerOptions {
  ffmpeg: string;
  provider?: ProviderPreference;
  /** An explicit IVT model or ensemble (id or folder); absent: the case's model, else DEFAULT_IVT (vision/caseModel.ts). */
  ivtModel?: string;
  pathMap?: [string, string][];
  /** Seconds between expiry sweeps (a killed worker's chunk is retried after its timeout plus at most this). */
  maintenanceS?: number;
  /** Stop once every chunk of the case is done (benchmarks, tests); else run until signalled. */
  untilDone?: boolean;
  onEvent: (e: WorkerEvent) => void;
  signal?: AbortSignal;
}

/** Runs until signalled ('stopped'), or with untilDone until every video is done ('done') or chunks failed for good ('failed'). */
export async function runWorker(conn: string, opts: WorkerOptions): Promise<'done' | 'failed' | 'stopped'> {
  const worker = `${os.hostname()}:${process.pid}`;
  const pool = openPool(conn, 3);
  const store = new PgCaseStore(pool);
  let boss: PgBoss | null = null;
  let models: LoadedModels | null = null;
  try {
    await store.check();
    const caseModel = await store.ivtModelOfCase();
    const ivt = resolveIvtModel(opts.ivtModel, caseModel);
    const chosen = loadChosenIvtModel(ivt);
    // A team case is not re-indexed under another model (no in-place path): a worker set to another model
    // would index the videos nobody has started with it and leave a case that no one model can search.
    const caseSpace = caseModel && ivt.chosenBy === 'setting' ? spaceOf(caseModel) : null;
    if (caseSpace && caseSpace !== chosen.space) {
      throw new ServerError(`this team case is indexed with the IVT model ${caseSpace}; this worker is set to ${chosen.space} (SIGHTLINE_IVT_MODEL): every worker of a team case runs the case's model, so start it without the setting`);
    }
    models = await loadIndexModels({ provider: opts.provider, ivtModel: chosen.ref });
    boss = await openQueue(conn, { supervise: true, maintenanceS: opts.maintenanceS });
    opts.onEvent({ event: 'ready', worker, provider: models.provider, modelKey: models.modelKey, ivtModel: models.encoder.model.space, ivtChosenBy: ivt.chosenBy });
    const m = models;
    await boss.work<ChunkJobData>(CHUNK_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      const { videoId, idx } = job.data;
      const started = Date.now();
      const cpu0 = process.cpuUsage();
      try {
        const r = await indexChunk(store, { videoId, idx }, m, {
          ffmpeg: opts.ffmpeg, worker, pathMap: opts.pathMap, signal: opts.signal,
          // Announced once the chunk is claimed: from here on a killed worker leaves it 'running' until its job expires.
          onStart: () => opts.onEvent({ event: 'chunk-start', worker, videoId, idx, jobId: job.id }),
        });
        const cpu = process.cpuUsage(cpu0);
        opts.onEvent({ event: 'chunk-done', worker, videoId, idx, ...r, wallS: (Date.now() - started) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 });
      } catch (e) {
        const error = scrub((e as Error).message, conn);
        await store.failChunk(videoId, idx, error).catch(() => undefined);
        opts.onEvent({ event: 'chunk-failed', worker, videoId, idx, error });
        throw new Error(error); // pg-boss retries it (up to its retry limit)
      }
    });
    return await new Promise<'done' | 'failed' | 'stopped'>((resolve) => {
      const stop = (how: 'done' | 'failed' | 'stopped'): void => { clearInterval(timer); resolve(how); };
      opts.signal?.addEventListener('abort', () => stop('stopped'), { once: true });
      const timer = setInterval(() => {
        if (!opts.untilDone) return;
        void (async () => {
          const v = (await store.pool.query("SELECT count(*) FILTER (WHERE status != 'done') AS left, count(*) AS n FROM videos")).rows[0];
          if (Number(v.n) > 0 && Number(v.left) === 0) { opts.onEvent({ event: 'idle', worker }); stop('done'); return; }
          // Given up: chunks failed for good (retries spent), none queued or running, no job left in the queue.
          const c = (await store.pool.query("SELECT count(*) FILTER (WHERE status IN ('queued','running')) AS open, count(*) FILTER (WHERE status = 'failed') AS failed FROM chunks")).rows[0];
          if (Number(c.open) === 0 && Number(c.failed) > 0 && (await boss!.getQueueSize(CHUNK_QUEUE, { before: 'completed' })) === 0) stop('failed');
        })().catch(() => undefined);
      }, 500);
    });
  } finally {
    await boss?.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => undefined);
    if (models) await closeIndexModels(models);
    await pool.end().catch(() => undefined);
  }
}
