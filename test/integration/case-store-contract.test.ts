// One contract, two backends: the SQLite case file (case/sqliteStore.ts) and a PostgreSQL team case
// (team/pgStore.ts, on a real server from test/helpers/postgres.ts) are filled with the same video and
// the same detections (boxes, IVT vectors, ReID vectors, evidence, each keyed by model id@version) the
// way each backend is really written (indexing/store.ts writeBatch; chunk writes + the stitch pass),
// then the SAME assertions run on both through the CaseStore interface: videos, detections and vectors
// round-trip bit for bit, sightings, what description search reads of each sighting's appearance
// (search/searchSource.ts, team/search.ts), audit append + verify + append-only + tamper detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createCase } from '../../electron/engine/case/caseFile';
import { appendAudit } from '../../electron/engine/case/audit';
import { writeTransaction } from '../../electron/engine/case/caseFile';
import { insertVideo, markDone } from '../../electron/engine/case/videos';
import { SqliteCaseStore } from '../../electron/engine/case/sqliteStore';
import type { BBox } from '../../electron/engine/contract';
import { writeBatch, type DetectionWrite } from '../../electron/engine/indexing/store';
import { detectionQuality, Tracker } from '../../electron/engine/indexing/tracker';
import type { CaseStore } from '../../electron/engine/team/caseStore';
import { PgCaseStore } from '../../electron/engine/team/pgStore';
import { PgSearchSource } from '../../electron/engine/team/search';
import { type SearchSource, SqliteSearchSource } from '../../electron/engine/search/searchSource';
import { meanAppearances } from '../../electron/engine/vision/reid';
import { openPool } from '../../electron/engine/team/server';
import { stitchVideo } from '../../electron/engine/team/stitch';
import type { CropEvidence } from '../../electron/engine/vision/evidence';
import { tempDir } from '../helpers/cli';
import { postgresSkipReason, startPostgres } from '../helpers/postgres';

const IVT = 'ivt-contract@1.0';
const REID = 'reid-contract@2.0';
const ATTR = 'attributes-contract@3.0';
const W = 640, H = 480;
const SHA = 'ab'.repeat(32);

/** Two people walking through three frames: A on the left, B on the right. */
interface Input { t: number; bbox: BBox; score: number; embedding: Float32Array; reid: Float32Array; evidence: CropEvidence }
const unit = (v: number[]): Float32Array => { const n = Math.hypot(...v); return Float32Array.from(v.map((x) => x / n)); };
const INPUTS: Input[] = [0, 0.5, 1.0].flatMap((t, f) => [
  { t, bbox: [100 + 10 * f, 100, 60, 160] as BBox, score: 0.9 - f * 0.01, embedding: unit([1, 0.1 * f, 0.3, 0.01]), reid: unit([1, 0, 0.05 * f, 0]),
    evidence: { upper: { colour: 'red', p: 0.8 + f / 100 } } as unknown as CropEvidence },
  { t, bbox: [400 - 12 * f, 120, 50, 150] as BBox, score: 0.8 + f * 0.01, embedding: unit([0.1, 1, 0.02 * f, 0.2]), reid: unit([0, 1, 0, 0.05 * f]),
    evidence: { upper: { colour: 'blue', p: 0.7 + f / 100 } } as unknown as CropEvidence },
]);
const frames = [...new Set(INPUTS.map((d) => d.t))];

interface Backend { store: CaseStore; search: SearchSource; videoId: number; rawExec(sql: string): Promise<void>; tamperEntry(seq: number): Promise<void>; close(): Promise<void> }

async function sqliteBackend(dir: string): Promise<Backend> {
  const db = createCase({ path: path.join(dir, 'contract.sqlite'), caseNumber: 'C-17', investigator: 'alice' });
  const videoId = writeTransaction(db, () => {
    const id = insertVideo(db, {
      path: '/evidence/cam1/clip.mp4', file_name: 'clip.mp4', sha256: SHA, size_bytes: 12345, mtime_ms: 0, duration_s: 1.5, fps: 25, width: W, height: H,
      codec: 'h264', rotation: 0, creation_time: null, probe_json: '{}', camera: 'cam1', sample_fps: 2, file_id: null,
    });
    appendAudit(db, 'alice', 'video imported', { videoId: id, path: '/evidence/cam1/clip.mp4', sha256: SHA });
    return id;
  });
  // Indexing's own write path: the tracker assigns, writeBatch stores one batch per frame.
  const tracker = new Tracker();
  for (const t of frames) {
    const of = new Map(INPUTS.filter((d) => d.t === t).map((d) => [{ t, bbox: d.bbox, score: d.score, appearance: d.reid }, d] as const));
    const step = tracker.step(t, [...of.keys()]);
    const detections: DetectionWrite[] = step.assignments.map((a) => {
      const d = of.get(a.detection)!;
      return { t, bbox: d.bbox, score: d.score, quality: detectionQuality(d.bbox, d.score, W, H), embeddings: [d.embedding], reid: d.reid, track: a.track, thumbnail: () => Buffer.from('png'), evidence: d.evidence };
    });
    writeBatch(db, { videoId, modelIds: [IVT], reidModelId: REID, evidenceModelId: ATTR, detections, closed: step.closed, lastFrameT: t, progress: t / 1.5 });
  }
  writeTransaction(db, () => markDone(db, videoId));
  const file = db.name;
  return {
    store: new SqliteCaseStore(db, 'alice'), search: new SqliteSearchSource(db), videoId,
    async rawExec(sql) { db.exec(sql); },
    async tamperEntry(seq) {
      // What someone with the file and a SQLite shell could do: drop the guard, edit, put the guard back as it was.
      const other = new Database(file);
      const trigger = other.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'").pluck().get() as string;
      other.exec('DROP TRIGGER audit_log_no_update');
      other.prepare("UPDATE audit_log SET details = '{\"text\":\"edited\"}' WHERE seq = ?").run(seq);
      other.exec(trigger);
      other.close();
    },
    async close() { db.close(); },
  };
}

async function postgresBackend(pg: Awaited<ReturnType<typeof startPostgres>>): Promise<Backend> {
  await pg.sql('postgres', "CREATE ROLE alice LOGIN PASSWORD 'contract-alice-pw'");
  await pg.sql('postgres', 'CREATE DATABASE contract OWNER alice');
  const pool = openPool(pg.url('alice', 'contract-alice-pw', 'contract'));
  const store = new PgCaseStore(pool);
  await store.createCase('C-17', 'contract');
  const { videoId, chunks } = await store.importVideo({
    path: '/evidence/cam1/clip.mp4', fileName: 'clip.mp4', sha256: SHA, sizeBytes: 12345, mtimeMs: 0, durationS: 1.5, fps: 25, width: W, height: H,
    codec: 'h264', rotation: 0, creationTime: null, probeJson: '{}', camera: 'cam1', sampleFps: 2, chunkS: 1,
  });
  assert.equal(chunks, 2);
  // The team write path: each chunk's detections in one write, then the stitch pass makes the sightings.
  let last = false;
  for (let idx = 0; idx < chunks; idx++) {
    assert.equal(await store.startChunk(videoId, idx, 'w1', 'models-key'), true);
    const mine = INPUTS.filter((d) => d.t >= idx && d.t < idx + 1);
    last = await store.writeChunk({
      videoId, idx, modelKey: 'models-key', embeddingModels: [IVT], reidModel: REID, evidenceModel: ATTR, frames: 2, cpuS: 0, worker: 'w1',
      detections: mine.map((d) => ({ t: d.t, rank: INPUTS.filter((x) => x.t === d.t).indexOf(d), bbox: d.bbox, score: d.score, embeddings: [d.embedding], reid: d.reid, evidence: d.evidence })),
    });
  }
  assert.equal(last, true);
  await stitchVideo(store, await store.video(videoId), REID);
  return {
    store, search: new PgSearchSource(pool), videoId,
    async rawExec(sql) { await pool.query(sql); },
    async tamperEntry(seq) {
      // What a superuser of the server could do: switch the guard off, edit, switch it back on.
      await pg.sql('contract', 'ALTER TABLE audit_log DISABLE TRIGGER USER');
      await pg.sql('contract', `UPDATE audit_log SET details = '{"text":"edited"}' WHERE seq = $1`, [seq]);
      await pg.sql('contract', 'ALTER TABLE audit_log ENABLE TRIGGER USER');
    },
    async close() { await pool.end(); },
  };
}

const key = (t: number, b: BBox): string => `${t.toFixed(2)}@${b.map((x) => x.toFixed(1)).join(',')}`;
const bits = (v: Float32Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');

/** The contract: the same assertions whatever holds the case. */
async function assertContract(b: Backend): Promise<void> {
  const { store, videoId } = b;
  // Videos.
  const videos = await store.videos();
  assert.equal(videos.length, 1);
  const v = await store.video(videoId);
  // Common fields equal (a backend may add its own, e.g. a team case's chunk counts).
  const fields = ['id', 'path', 'sha256', 'sizeBytes', 'durationS', 'width', 'height', 'sampleFps', 'status', 'indexModels'] as const;
  assert.deepEqual(fields.map((f) => videos[0][f]), fields.map((f) => v[f]));
  assert.equal(v.path, '/evidence/cam1/clip.mp4');
  assert.equal(v.sha256, SHA);
  assert.equal(v.sizeBytes, 12345);
  assert.equal(v.durationS, 1.5);
  assert.deepEqual([v.width, v.height, v.sampleFps, v.status], [W, H, 2, 'done']);
  await assert.rejects(store.video(videoId + 999), /not in this .*case/);

  // Detections with their ReID vectors, bit for bit, in time order; another model's vectors are not mixed in.
  const dets = await store.videoDetections(videoId, REID);
  assert.equal(dets.length, INPUTS.length);
  assert.deepEqual(dets.map((d) => d.t), [...dets.map((d) => d.t)].sort((a, c) => a - c));
  const byKey = new Map(INPUTS.map((d) => [key(d.t, d.bbox), d]));
  for (const d of dets) {
    const input = byKey.get(key(d.t, d.bbox));
    assert.ok(input, `stored detection ${key(d.t, d.bbox)} was never written`);
    assert.equal(bits(d.reid), bits(input.reid));
    assert.ok(Math.abs(d.score - input.score) < 1e-9);
  }
  assert.deepEqual(dets.filter((d) => d.t === 0).map((d) => d.rank).sort(), [0, 1]);
  assert.deepEqual(await store.videoDetections(videoId, 'reid-other@9'), []);

  // Sightings: the tracker kept each person one sighting through the three frames (and across the chunk boundary).
  const sightings = await store.sightings(videoId);
  assert.equal(sightings.length, 2);
  for (const s of sightings) assert.deepEqual([s.startS, s.endS, s.detectionCount], [0, 1, 3]);
  assert.deepEqual(sightings.map((s) => Math.round(s.best.bbox[0] / 100)).sort(), [1, 4]);

  // IVT vectors with the evidence of the named attribute model, grouped by sighting: what search loads.
  const vecs = await store.sightingVectors(videoId, IVT, ATTR);
  assert.equal(vecs.length, INPUTS.length);
  assert.deepEqual(new Set(vecs.map((r) => r.sighting)), new Set(sightings.map((s) => s.id)));
  assert.deepEqual(vecs.map((r) => bits(r.vector)).sort(), INPUTS.map((d) => bits(d.embedding)).sort());
  for (const r of vecs) {
    const input = INPUTS.find((d) => bits(d.embedding) === bits(r.vector))!;
    assert.equal(r.t, input.t);
    assert.deepEqual(JSON.parse(r.evidence!), input.evidence);
  }
  // One sighting's vectors all belong to one person (A's IVT vectors lean on dimension 0, B's on 1).
  for (const s of sightings) {
    const mine = vecs.filter((r) => r.sighting === s.id);
    assert.equal(new Set(mine.map((r) => (r.vector[0] > r.vector[1] ? 'A' : 'B'))).size, 1);
  }
  assert.ok((await store.sightingVectors(videoId, IVT, 'attributes-other@9')).every((r) => r.evidence === null));
  assert.deepEqual(await store.sightingVectors(videoId, 'ivt-other@9', ATTR), []);

  // Each sighting's appearance (search/consensus.ts): the normalised mean of its detections' ReID vectors, its video and times.
  const looks = await b.search.appearances([...sightings.map((s) => s.id), 987654]);
  assert.deepEqual([...looks.keys()].sort(), sightings.map((s) => s.id).sort(), 'one per sighting; an unknown id has none');
  for (const s of sightings) {
    const a = looks.get(s.id)!;
    const left = s.best.bbox[0] < 250; // A walks on the left (ReID leans on dimension 0), B on the right
    const want = meanAppearances(INPUTS.filter((d) => (d.bbox[0] < 250) === left).map((d) => ({ sighting: 0, vector: d.reid }))).get(0)!;
    assert.deepEqual([a.model, a.video, a.start, a.end], [REID, videoId, 0, 1]);
    assert.ok(a.vector.every((x, i) => Math.abs(x - want[i]) < 1e-6), `sighting ${s.id}: ${[...a.vector]} vs ${[...want]}`);
  }

  // Audit: append, verify, append-only, tamper detected.
  const before = await store.verifyAudit();
  assert.deepEqual(before.problems, []);
  assert.equal(before.ok, true);
  const e = await store.appendAudit('search run', { text: 'red jacket' });
  assert.equal(e.seq, before.entries + 1);
  assert.equal(e.user, 'alice');
  assert.equal(e.hash.length, 64);
  const after = await store.verifyAudit();
  assert.equal(after.ok, true);
  assert.equal(after.entries, before.entries + 1);
  await assert.rejects(b.rawExec(`UPDATE audit_log SET action = 'nothing' WHERE seq = ${e.seq}`), /append-only/);
  await assert.rejects(b.rawExec(`DELETE FROM audit_log WHERE seq = ${e.seq}`), /append-only/);
  await b.tamperEntry(e.seq);
  const tampered = await store.verifyAudit();
  assert.equal(tampered.ok, false);
  assert.ok(tampered.problems.some((p) => p.includes(`entry ${e.seq} (search run): content altered`)), tampered.problems.join('; '));
}

test('case store contract: SQLite case file', async () => {
  const b = await sqliteBackend(tempDir('contract-sqlite'));
  try { await assertContract(b); } finally { await b.close(); }
});

test('case store contract: PostgreSQL team case', { skip: postgresSkipReason() ?? false, timeout: 120_000 }, async () => {
  const pg = await startPostgres();
  try {
    const b = await postgresBackend(pg);
    try { await assertContract(b); } finally { await b.close(); }
  } finally {
    pg.stop();
  }
});
