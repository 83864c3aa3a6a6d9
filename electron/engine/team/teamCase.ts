// A team case as the CLI drives it (the team server's counterpart of Engine): create, import +
// enqueue, status with ETA, audit; search goes through the Searcher over its searchSource. Footage is hashed and probed where it is imported; the
// indexing itself is done by workers (team/worker.ts) taking chunk jobs from the queue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { LIMITS } from '../../common/limits';
import type { ImportReport } from '../contract';
import { VideoError } from '../video/errors';
import { sha256File } from '../video/hash';
import { probeVideo } from '../video/probe';
import { scanPaths } from '../video/scan';
import type { AuditVerdict } from '../case/audit';
import { appendAuditOn, PgCaseStore } from './pgStore';
import { defaultJobTimeoutS, enqueueChunks, openQueue } from './queue';
import { PgSearchSource } from './search';
import { connectError, inTransaction, openPool, scrub } from './server';

/** Chunk length of a new video unless told otherwise: ten minutes of footage per queue job. */
export const DEFAULT_CHUNK_S = 600;

export interface TeamImportOptions { fps?: number; chunkS?: number; jobTimeoutS?: number; ffprobe: string }

export interface TeamStatus {
  caseNumber: string; title: string; user: string;
  videos: { id: number; path: string; status: string; chunksDone: number; chunks: number; durationS: number }[];
  chunks: { total: number; done: number; running: number; queued: number; failed: number; retried: number };
  /** Chunks whose last attempt failed, with the reason (retried by the queue until its retries are spent). */
  failures: { videoId: number; idx: number; error: string }[];
  footageS: number; doneS: number; sightings: number; detections: number;
  /** The IVT model the case is indexed with (an id or folder; null: none recorded or inferable yet). */
  ivtModel: string | null;
  /** Footage seconds indexed per wall second, over the chunks done so far (all workers together). */
  rate: number | null; etaS: number | null;
}

export class TeamCase {
  /** What description search reads from this case (one per open case: it keeps the loaded vectors). */
  readonly searchSource: PgSearchSource;
  private constructor(private readonly conn: string, readonly pool: Pool, readonly store: PgCaseStore) { this.searchSource = new PgSearchSource(pool); }

  /** `ivtModel`: the IVT model (id or folder) a new case is indexed with, recorded in it (vision/caseModel.ts). */
  static async create(conn: string, opts: { caseNumber?: string; title?: string; ivtModel?: string } = {}): Promise<{ team: TeamCase; created: boolean }> {
    const pool = openPool(conn);
    const store = new PgCaseStore(pool);
    try {
      const created = await store.createCase(opts.caseNumber ?? '', opts.title ?? '', opts.ivtModel);
      return { team: new TeamCase(conn, pool, store), created };
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw connectError(e, conn);
    }
  }

  static async open(conn: string): Promise<TeamCase> {
    const pool = openPool(conn);
    const store = new PgCaseStore(pool);
    try {
      await store.check();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw connectError(e, conn);
    }
    return new TeamCase(conn, pool, store);
  }

  /** Hashes and probes each file here, registers it with its chunks (audited), and enqueues every chunk not done. */
  async importPaths(paths: string[], opts: TeamImportOptions): Promise<ImportReport & { enqueued: number }> {
    const report: ImportReport & { enqueued: number } = { indexed: [], duplicates: [], failed: [], enqueued: 0 };
    const scan = await scanPaths(paths);
    for (const f of scan.failures) report.failed.push({ path: f.path, reason: f.reason });
    const chunkS = opts.chunkS ?? DEFAULT_CHUNK_S;
    for (const file of scan.files) {
      const abs = path.resolve(file);
      try {
        const before = fs.statSync(abs);
        const probe = await probeVideo(abs, opts.ffprobe);
        const sha256 = await sha256File(abs);
        const after = fs.statSync(abs);
        if (before.size !== after.size || before.mtimeMs !== after.mtimeMs) throw new VideoError(abs, 'still being written (it changed while it was hashed); import it once the copy has finished');
        const r = await this.store.importVideo({
          path: abs, fileName: path.basename(abs), sha256, sizeBytes: after.size, mtimeMs: after.mtimeMs, durationS: probe.durationS, fps: probe.fps, width: probe.width,
          height: probe.height, codec: probe.codec, rotation: probe.rotation, creationTime: probe.creationTime, probeJson: JSON.stringify(probe.raw), camera: path.basename(path.dirname(abs)),
          sampleFps: opts.fps ?? LIMITS.defaultFps, chunkS,
        });
        if (r.duplicate) report.duplicates.push({ path: abs, videoId: r.videoId });
        else report.indexed.push(r.videoId);
      } catch (e) {
        report.failed.push({ path: abs, reason: scrub((e as Error).message, this.conn) });
      }
    }
    const boss = await openQueue(this.conn, { supervise: false });
    try {
      report.enqueued = await enqueueChunks(boss, await this.store.pendingChunks(), { jobTimeoutS: opts.jobTimeoutS ?? defaultJobTimeoutS(chunkS) });
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => undefined);
    }
    return report;
  }

  async status(): Promise<TeamStatus> {
    const meta = await this.store.meta();
    const videos = await this.store.videos();
    const chunks = await this.store.chunkStatus();
    const count = (s: string): number => chunks.filter((c) => c.status === s).length;
    const done = chunks.filter((c) => c.status === 'done');
    const footageS = chunks.reduce((a, c) => a + (c.endS - c.startS), 0);
    const doneS = done.reduce((a, c) => a + (c.endS - c.startS), 0);
    let rate: number | null = null, etaS: number | null = null;
    if (done.length) {
      const t0 = Math.min(...done.map((c) => Date.parse(c.startedAt ?? c.finishedAt!)));
      const t1 = Math.max(...done.map((c) => Date.parse(c.finishedAt!)));
      if (t1 > t0) { rate = doneS / ((t1 - t0) / 1000); etaS = Math.round((footageS - doneS) / rate); }
    }
    const counts = (await this.pool.query('SELECT (SELECT count(*) FROM sightings) AS s, (SELECT count(*) FROM detections WHERE sighting_id IS NOT NULL) AS d, current_user AS u')).rows[0];
    return {
      caseNumber: meta.case_number ?? '', title: meta.title ?? '', user: counts.u,
      videos: videos.map((v) => ({ id: v.id, path: v.path, status: v.status, chunksDone: v.chunksDone, chunks: v.chunks, durationS: v.durationS })),
      chunks: { total: chunks.length, done: done.length, running: count('running'), queued: count('queued'), failed: count('failed'), retried: chunks.filter((c) => c.attempts > 1).length },
      failures: chunks.filter((c) => c.status === 'failed').map((c) => ({ videoId: c.videoId, idx: c.idx, error: c.error ?? '' })),
      footageS, doneS, sightings: Number(counts.s), detections: Number(counts.d), rate, etaS: footageS === doneS ? 0 : etaS,
      ivtModel: (await this.store.ivtModelOfCase()) ?? null,
    };
  }

  /** Case number, title, when it was created, and the database role this client acts as. */
  async info(): Promise<{ caseNumber: string; title: string; createdAt: string; user: string }> {
    const meta = await this.store.meta();
    const user = (await this.pool.query('SELECT current_user AS u')).rows[0].u as string;
    return { caseNumber: meta.case_number ?? '', title: meta.title ?? '', createdAt: meta.created_at ?? '', user };
  }

  /**
   * Case number and title: one audited change (the entry names the role). The investigator of a team
   * case is whoever is connected (the database role), so it is not a detail anyone sets.
   */
  async setDetails(patch: { caseNumber?: string; title?: string }): Promise<void> {
    const keys = { caseNumber: 'case_number', title: 'title' } as const;
    await inTransaction(this.pool, async (c) => {
      const changes: Record<string, { from: string; to: string }> = {};
      for (const [field, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
        const to = patch[field]?.trim();
        if (to === undefined) continue;
        const from = ((await c.query('SELECT value FROM meta WHERE key = $1 FOR UPDATE', [key])).rows[0]?.value as string | undefined) ?? '';
        if (to === from) continue;
        await c.query('INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, to]);
        changes[field] = { from, to };
      }
      if (Object.keys(changes).length) await appendAuditOn(c, 'case details changed', changes);
    });
  }

  verifyAudit(): Promise<AuditVerdict> { return this.store.verifyAudit(); }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
