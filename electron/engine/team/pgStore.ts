// A team case in PostgreSQL: a CaseStore (the side the SQLite case has too) and the ChunkStore of
// distributed indexing (team/caseStore.ts), plus import, search loading and
// status. Every write that matters is one transaction; the audit chain is appended under an advisory
// transaction lock, so concurrent appenders (workers, investigators) serialise on the chain's head.
import type { Pool, PoolClient } from 'pg';
import type { AuditEntry, BBox } from '../contract';
import { crossCheckRows, entryHash, GENESIS, verifyAuditRows, type AuditedRows, type AuditRow, type AuditVerdict } from '../case/audit';
import type { ChunkStatus, ChunkStore, ChunkWrite, SightingVector, StitchedSighting, StoredDetection, StoredSighting, TeamVideo } from './caseStore';
import { LOCK_AUDIT, LOCK_MIGRATE, PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pgSchema';
import { inSnapshot, inTransaction, ServerError } from './server';
import { inferIvtModel, IVT_MODEL_KEY } from '../vision/caseModel';

const HEAD_KEY = 'audit_head';

/** float32 little-endian bytes of a vector, and back (copied: the driver's buffer may be unaligned). */
export const toBytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const fromBytes = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export interface NewTeamVideo {
  path: string; fileName: string; sha256: string; sizeBytes: number; mtimeMs: number; durationS: number; fps: number; width: number; height: number;
  codec: string; rotation: number; creationTime: string | null; probeJson: string; camera: string; sampleFps: number; chunkS: number;
}

/** Appends one audit entry on `c`, which must be inside a transaction (the change it records is in it too). */
export async function appendAuditOn(c: PoolClient, action: string, details: Record<string, unknown>): Promise<AuditEntry> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_AUDIT]);
  const last = (await c.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0] as { seq: string; hash: string } | undefined;
  const seq = Number(last?.seq ?? 0) + 1;
  const prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  // The acting investigator is the database role itself, not a name a client could type.
  const user = (await c.query('SELECT current_user AS u')).rows[0].u as string;
  const json = JSON.stringify(details);
  const hash = entryHash(prev, seq, at, user, action, json);
  await c.query('INSERT INTO audit_log(seq, at, actor, action, details, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7)', [seq, at, user, action, json, prev, hash]);
  await c.query(`INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [HEAD_KEY, `${seq}:${hash}`]);
  return { seq, at, user, action, details, hash };
}

export class PgCaseStore implements ChunkStore {
  constructor(readonly pool: Pool) {}

  /** Brings the database's schema up to date (idempotent; serialised between processes). */
  async migrate(): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_MIGRATE]);
      const has = (await c.query("SELECT to_regclass('meta') AS t")).rows[0].t !== null;
      let version = 0;
      if (has) version = Number((await c.query("SELECT value FROM meta WHERE key = 'schema_version'")).rows[0]?.value ?? 0);
      if (version > PG_SCHEMA_VERSION) throw new ServerError(`team case schema version ${version} is newer than this Sightline (${PG_SCHEMA_VERSION}); upgrade Sightline`);
      for (let v = version; v < PG_SCHEMA_VERSION; v++) await c.query(PG_MIGRATIONS[v]);
      await c.query(`INSERT INTO meta(key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(PG_SCHEMA_VERSION)]);
    });
  }

  /** Opens an existing team case: refuses a database that is not one. */
  async check(): Promise<void> {
    const r = await this.pool.query("SELECT to_regclass('meta') AS t");
    if (r.rows[0].t === null) throw new ServerError('the server database holds no Sightline case: create one with "sightline case create --server …"');
    const v = Number((await this.pool.query("SELECT value FROM meta WHERE key = 'schema_version'")).rows[0]?.value ?? 0);
    if (v !== PG_SCHEMA_VERSION) throw new ServerError(`team case schema version ${v}, this Sightline needs ${PG_SCHEMA_VERSION}: run "sightline case create --server …" to migrate`);
  }

  /** `ivtModel`: the IVT model the case is to be indexed with (vision/caseModel.ts), recorded with it. */
  async createCase(caseNumber: string, title: string, ivtModel?: string): Promise<boolean> {
    await this.migrate();
    return inTransaction(this.pool, async (c) => {
      const exists = (await c.query("SELECT 1 FROM meta WHERE key = 'created_at'")).rowCount;
      if (exists) return false;
      const meta = [['case_number', caseNumber], ['title', title], ['created_at', new Date().toISOString()], ...(ivtModel ? [[IVT_MODEL_KEY, ivtModel]] : [])];
      for (const [k, v] of meta) await c.query('INSERT INTO meta(key, value) VALUES ($1, $2)', [k, v]);
      await appendAuditOn(c, 'case created', { caseNumber, title, ...(ivtModel ? { ivtModel } : {}) });
      return true;
    });
  }

  /**
   * The IVT model the case is indexed with: recorded at creation or by its first chunk; for a case from
   * before that, inferred from its videos' index keys (every embedding's chunk set one; a scan of the
   * embeddings themselves would read the whole table).
   */
  async ivtModelOfCase(): Promise<string | undefined> {
    const recorded = (await this.pool.query('SELECT value FROM meta WHERE key = $1', [IVT_MODEL_KEY])).rows[0] as { value: string } | undefined;
    if (recorded) return recorded.value;
    const keys = (await this.pool.query('SELECT DISTINCT index_models FROM videos WHERE index_models IS NOT NULL')).rows.map((r) => r.index_models as string);
    return inferIvtModel([], keys);
  }

  async meta(): Promise<Record<string, string>> {
    const rows = (await this.pool.query('SELECT key, value FROM meta')).rows as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Registers a video and its chunks (audited); an already imported SHA-256 returns its id. */
  async importVideo(v: NewTeamVideo): Promise<{ videoId: number; duplicate: boolean; chunks: number }> {
    return inTransaction(this.pool, async (c) => {
      const existing = (await c.query('SELECT id FROM videos WHERE sha256 = $1', [v.sha256])).rows[0] as { id: string } | undefined;
      if (existing) {
        const n = Number((await c.query('SELECT count(*) AS n FROM chunks WHERE video_id = $1', [existing.id])).rows[0].n);
        return { videoId: Number(existing.id), duplicate: true, chunks: n };
      }
      const id = Number((await c.query(`INSERT INTO videos(path, file_name, sha256, size_bytes, mtime_ms, duration_s, fps, width, height, codec, rotation, creation_time, probe_json, camera, sample_fps, chunk_s)
          VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id`,
      [v.path, v.fileName, v.sha256, v.sizeBytes, v.mtimeMs, v.durationS, v.fps, v.width, v.height, v.codec, v.rotation, v.creationTime, v.probeJson, v.camera, v.sampleFps, v.chunkS])).rows[0].id);
      const n = Math.max(1, Math.ceil(v.durationS / v.chunkS));
      for (let i = 0; i < n; i++) await c.query('INSERT INTO chunks(video_id, idx, start_s, end_s) VALUES ($1,$2,$3,$4)', [id, i, i * v.chunkS, Math.min(v.durationS, (i + 1) * v.chunkS)]);
      await appendAuditOn(c, 'video imported', { videoId: id, path: v.path, sha256: v.sha256, sizeBytes: v.sizeBytes, chunks: n });
      return { videoId: id, duplicate: false, chunks: n };
    });
  }

  /** Chunks not done yet: what `index` (re-)enqueues. */
  async pendingChunks(): Promise<{ videoId: number; idx: number }[]> {
    const rows = (await this.pool.query("SELECT video_id, idx FROM chunks WHERE status != 'done' ORDER BY video_id, idx")).rows as { video_id: string; idx: number }[];
    return rows.map((r) => ({ videoId: Number(r.video_id), idx: r.idx }));
  }

  async video(id: number): Promise<TeamVideo> {
    const r = (await this.pool.query('SELECT * FROM videos WHERE id = $1', [id])).rows[0];
    if (!r) throw new ServerError(`video ${id}: not in this team case`);
    return toVideo(r);
  }

  async videos(): Promise<(TeamVideo & { camera: string; chunksDone: number; chunks: number })[]> {
    const rows = (await this.pool.query(`SELECT v.*, (SELECT count(*) FROM chunks c WHERE c.video_id = v.id AND c.status = 'done') AS done,
        (SELECT count(*) FROM chunks c WHERE c.video_id = v.id) AS n FROM videos v ORDER BY v.id`)).rows;
    return rows.map((r) => ({ ...toVideo(r), camera: r.camera as string, chunksDone: Number(r.done), chunks: Number(r.n) }));
  }

  async startChunk(videoId: number, idx: number, worker: string, modelKey: string, ivtModel?: string): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const row = (await c.query('SELECT status FROM chunks WHERE video_id = $1 AND idx = $2 FOR UPDATE', [videoId, idx])).rows[0] as { status: string } | undefined;
      if (!row) throw new ServerError(`video ${videoId} chunk ${idx}: not in this team case`);
      const v = (await c.query('SELECT index_models FROM videos WHERE id = $1 FOR UPDATE', [videoId])).rows[0] as { index_models: string | null };
      if (v.index_models !== null && v.index_models !== modelKey) {
        throw new ServerError(`video ${videoId} is being indexed with ${v.index_models}; this worker has ${modelKey} (every worker of a case must run the same models)`);
      }
      if (row.status === 'done') return false;
      await c.query("UPDATE videos SET index_models = $2, status = 'indexing', error = NULL WHERE id = $1", [videoId, modelKey]);
      // The first chunk indexed records the case's model when `case create` did not (a case from before the key).
      if (ivtModel) await c.query('INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [IVT_MODEL_KEY, ivtModel]);
      await c.query("UPDATE chunks SET status = 'running', attempts = attempts + 1, worker = $3, started_at = now(), error = NULL WHERE video_id = $1 AND idx = $2", [videoId, idx, worker]);
      return true;
    });
  }

  async writeChunk(w: ChunkWrite): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      // The chunk row is the lock: two deliveries of one chunk write one after the other, never interleaved.
      await c.query('SELECT 1 FROM chunks WHERE video_id = $1 AND idx = $2 FOR UPDATE', [w.videoId, w.idx]);
      await c.query('DELETE FROM detections WHERE video_id = $1 AND chunk_idx = $2', [w.videoId, w.idx]);
      const n = w.detections.length;
      if (n) {
        const ids = ((await c.query("SELECT nextval('detections_id_seq') AS id FROM generate_series(1, $1)", [n])).rows as { id: string }[]).map((r) => r.id);
        const col = <T>(f: (d: ChunkWrite['detections'][number]) => T): T[] => w.detections.map(f);
        await c.query(`INSERT INTO detections(id, video_id, chunk_idx, t_s, rank, x, y, w, h, score)
            SELECT u.id, $1, $2, u.t, u.rank, u.x, u.y, u.w, u.h, u.score
            FROM unnest($3::bigint[], $4::float8[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[]) AS u(id, t, rank, x, y, w, h, score)`,
        [w.videoId, w.idx, ids, col((d) => d.t), col((d) => d.rank), col((d) => d.bbox[0]), col((d) => d.bbox[1]), col((d) => d.bbox[2]), col((d) => d.bbox[3]), col((d) => d.score)]);
        // One row per detection and IVT model: an ensemble stores each member's vector (schema 3 key).
        for (const [m, model] of w.embeddingModels.entries()) {
          await c.query('INSERT INTO embeddings(detection_id, model_id, vector) SELECT u.id, $1, u.v FROM unnest($2::bigint[], $3::bytea[]) AS u(id, v)', [model, ids, col((d) => toBytes(d.embeddings[m]))]);
        }
        await c.query('INSERT INTO reid_vectors(detection_id, model_id, vector) SELECT u.id, $1, u.v FROM unnest($2::bigint[], $3::bytea[]) AS u(id, v)', [w.reidModel, ids, col((d) => toBytes(d.reid))]);
        const ev = w.detections.map((d, i) => ({ id: ids[i], e: d.evidence })).filter((x) => x.e && w.evidenceModel);
        if (ev.length) {
          await c.query('INSERT INTO detection_evidence(detection_id, model_id, evidence) SELECT u.id, $1, u.e FROM unnest($2::bigint[], $3::text[]) AS u(id, e)', [w.evidenceModel, ev.map((x) => x.id), ev.map((x) => JSON.stringify(x.e))]);
        }
      }
      await c.query("UPDATE chunks SET status = 'done', finished_at = now(), frames = $3, cpu_s = $4, worker = $5, error = NULL WHERE video_id = $1 AND idx = $2", [w.videoId, w.idx, w.frames, w.cpuS, w.worker]);
      const left = Number((await c.query("SELECT count(*) AS n FROM chunks WHERE video_id = $1 AND status != 'done'", [w.videoId])).rows[0].n);
      return left === 0;
    });
  }

  async needsStitch(videoId: number): Promise<boolean> {
    const r = (await this.pool.query(`SELECT v.status, (SELECT count(*) FROM chunks c WHERE c.video_id = v.id AND c.status != 'done') AS left
        FROM videos v WHERE v.id = $1`, [videoId])).rows[0] as { status: string; left: string } | undefined;
    return !!r && r.status !== 'done' && Number(r.left) === 0;
  }

  async failChunk(videoId: number, idx: number, error: string): Promise<void> {
    await this.pool.query("UPDATE chunks SET status = 'failed', error = $3, finished_at = now() WHERE video_id = $1 AND idx = $2 AND status != 'done'", [videoId, idx, error]);
  }

  async videoDetections(videoId: number, reidModel: string): Promise<StoredDetection[]> {
    const rows = (await this.pool.query(`SELECT d.id, d.t_s, d.rank, d.x, d.y, d.w, d.h, d.score, r.vector FROM detections d
        JOIN reid_vectors r ON r.detection_id = d.id AND r.model_id = $2 WHERE d.video_id = $1 ORDER BY d.t_s, d.rank`, [videoId, reidModel])).rows;
    return rows.map((r) => ({ id: Number(r.id), t: r.t_s, rank: r.rank, bbox: [r.x, r.y, r.w, r.h] as BBox, score: r.score, reid: fromBytes(r.vector) }));
  }

  async sightings(videoId: number): Promise<StoredSighting[]> {
    const rows = (await this.pool.query('SELECT * FROM sightings WHERE video_id = $1 ORDER BY start_s, id', [videoId])).rows;
    return rows.map((r) => ({ id: Number(r.id), startS: r.start_s, endS: r.end_s, best: { t: r.best_s, bbox: [r.best_x, r.best_y, r.best_w, r.best_h] as BBox }, detectionCount: r.detection_count }));
  }

  async sightingVectors(videoId: number, embeddingModel: string, evidenceModel: string | null): Promise<SightingVector[]> {
    // One statement: a consistent snapshot even while a worker re-stitches the video.
    const rows = (await this.pool.query(`SELECT d.sighting_id, d.t_s, e.vector, ev.evidence FROM detections d
        JOIN embeddings e ON e.detection_id = d.id AND e.model_id = $2
        LEFT JOIN detection_evidence ev ON ev.detection_id = d.id AND ev.model_id = $3
        WHERE d.video_id = $1 AND d.sighting_id IS NOT NULL ORDER BY d.sighting_id, d.t_s`, [videoId, embeddingModel, evidenceModel ?? ''])).rows;
    return rows.map((r) => ({ sighting: Number(r.sighting_id), t: r.t_s, vector: fromBytes(r.vector), evidence: r.evidence ?? null }));
  }

  async writeSightings(videoId: number, sightings: StitchedSighting[]): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      // The video row is the lock: two stitch passes of one video (a re-delivered last chunk) run one after the other.
      await c.query('SELECT 1 FROM videos WHERE id = $1 FOR UPDATE', [videoId]);
      await c.query('DELETE FROM sightings WHERE video_id = $1', [videoId]);
      for (const s of sightings) {
        const [x, y, w, h] = s.best.bbox;
        const id = (await c.query(`INSERT INTO sightings(video_id, start_s, end_s, best_s, best_x, best_y, best_w, best_h, best_quality, detection_count, thumbnail)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`, [videoId, s.startS, s.endS, s.best.t, x, y, w, h, s.best.quality, s.detectionIds.length, s.thumbnail ?? null])).rows[0].id;
        await c.query('UPDATE detections SET sighting_id = $1 WHERE id = ANY($2::bigint[])', [id, s.detectionIds]);
      }
      await c.query("UPDATE videos SET status = 'done', error = NULL, stitch_seq = nextval('stitch_seq') WHERE id = $1", [videoId]);
      await appendAuditOn(c, 'video indexed', { videoId, sightings: sightings.length, detections: sightings.reduce((a, s) => a + s.detectionIds.length, 0) });
    });
  }

  async appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry> {
    return inTransaction(this.pool, (c) => appendAuditOn(c, action, details));
  }

  /** Every audit row as stored; `on`: a client inside a transaction (one snapshot with other reads). */
  async auditRows(on: Pool | PoolClient = this.pool): Promise<AuditRow[]> {
    const rows = (await on.query('SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log ORDER BY seq')).rows;
    return rows.map((r) => ({ seq: Number(r.seq), at: r.at, user: r.actor, action: r.action, details: r.details, prev_hash: r.prev_hash, hash: r.hash }));
  }

  /** The rows the audit log vouches for (case/audit.ts crossCheckRows): each video's SHA-256, each bookmark's note. */
  async auditedRows(on: Pool | PoolClient = this.pool): Promise<AuditedRows> {
    const videos = (await on.query('SELECT id, path, sha256 FROM videos ORDER BY id')).rows.map((v) => ({ id: Number(v.id), path: v.path as string, sha256: v.sha256 as string }));
    const bookmarks = (await on.query('SELECT id, note FROM bookmarks ORDER BY id')).rows.map((b) => ({ id: Number(b.id), note: b.note as string }));
    return { videos, bookmarks };
  }

  /** The audit log against the case's rows (crossCheckRows), read in one snapshot. */
  async crossCheck(): Promise<string[]> {
    return inSnapshot(this.pool, async (c) => crossCheckRows(await this.auditRows(c), await this.auditedRows(c)));
  }

  /**
   * The same checks as a SQLite case (case/audit.ts): the chain, the head kept beside it, and the
   * case's rows against the log (the log begins with "case created"; hashes and notes as logged).
   */
  async verifyAudit(): Promise<AuditVerdict> {
    return inSnapshot(this.pool, async (c) => {
      const rows = await this.auditRows(c);
      const verdict = verifyAuditRows(rows);
      const head = (await c.query('SELECT value FROM meta WHERE key = $1', [HEAD_KEY])).rows[0] as { value: string } | undefined;
      const last = rows[rows.length - 1];
      if (head && head.value !== (last ? `${last.seq}:${last.hash}` : '')) verdict.problems.push(`newest entry does not match the recorded head of the log (${head.value.slice(0, 20)}...): entries deleted or replaced`);
      verdict.problems.push(...crossCheckRows(rows, await this.auditedRows(c)));
      verdict.ok = verdict.problems.length === 0;
      return verdict;
    });
  }

  async chunkStatus(): Promise<ChunkStatus[]> {
    const rows = (await this.pool.query('SELECT * FROM chunks ORDER BY video_id, idx')).rows;
    return rows.map((r) => ({
      videoId: Number(r.video_id), idx: r.idx, startS: r.start_s, endS: r.end_s, status: r.status, attempts: r.attempts, worker: r.worker,
      startedAt: r.started_at ? new Date(r.started_at).toISOString() : null, finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null, frames: r.frames, cpuS: r.cpu_s, error: r.error,
    }));
  }
}

function toVideo(r: Record<string, unknown>): TeamVideo {
  return {
    id: Number(r.id), path: r.path as string, sha256: r.sha256 as string, sizeBytes: Number(r.size_bytes), durationS: r.duration_s as number,
    width: r.width as number, height: r.height as number, sampleFps: r.sample_fps as number, chunkS: r.chunk_s as number,
    status: r.status as string, indexModels: r.index_models as string | null,
  };
}
