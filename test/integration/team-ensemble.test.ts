// The IVT ensemble (native-models/ivt-ensemble-v1) on a team case, with real PostgreSQL
// (test/helpers/postgres.ts), ONNX Runtime and ffmpeg: a worker indexing a clip in two chunks stores one
// embedding per member for every detection; an ensemble search over the team case ranks exactly as over
// the same clip indexed with the ensemble into a case file; the in-memory index of one member is not
// thrown away when the other's is loaded; a team case indexed with one member, searched with the
// ensemble, is refused naming the missing member; and a team database of schema 2 (one embedding per
// detection) migrates in place, keeping every row and its search results.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { runCli, SAMPLE_DIR, sampleClip, tempDir } from '../helpers/cli';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../electron/engine/team/pgSchema';
import { PgSearchSource } from '../../electron/engine/team/search';
import { openPool } from '../../electron/engine/team/server';
import { embeddingSpace, loadAttributesManifest, loadIvtModel } from '../../electron/engine/vision/manifest';

const skip = postgresSkipReason();
const ALICE_PW = 'Al1ce-ensemble-pw-5c';
const ENSEMBLE = 'ivt-ensemble-v1';
const model = loadIvtModel(ENSEMBLE);
const [OLD, NEW] = model.members.map(embeddingSpace);
// Workers do not gate on motion: the case file is indexed the same way (as team-server.test.ts does).
const ENV = { SIGHTLINE_QUEUE_MAINTENANCE_S: '1', SIGHTLINE_MOTION_GATING: '0' };
const ENSEMBLE_ENV = { ...ENV, SIGHTLINE_IVT_MODEL: ENSEMBLE };
const SINGLE_ENV = { ...ENV, SIGHTLINE_IVT_MODEL: model.members[0].id };
const descriptions = (JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'truth.json'), 'utf8')) as { people: { description: string }[] }).people.map((p) => p.description).slice(0, 4);

let pg: TestPostgres;
let dir: string, clip: string, refFile: string;
const url = (db: string): string => pg.url('alice', ALICE_PW, db);

/** A team case `db` holding `clip`, indexed by one worker in 4 s chunks with the IVT model of `env`. */
async function teamCase(db: string, env: NodeJS.ProcessEnv): Promise<void> {
  await pg.sql('postgres', `CREATE DATABASE ${db} OWNER alice`);
  for (const args of [['case', 'create'], ['index', clip, '--chunk-s', '4'], ['worker', '--until-done']]) {
    const r = await runCli([...args, '--server', url(db)], env);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
}

/** The primary key of `db`'s embeddings table, as PostgreSQL writes it. */
async function primaryKey(db: string): Promise<string> {
  return String((await pg.sql(db, "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'embeddings'::regclass AND contype = 'p'"))[0].def);
}

/** What a search shows, by content (row ids differ between stores). */
async function hits(where: string[], text: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; hits: string[]; modelId?: string }> {
  const r = await runCli(['search', text, ...where, '--top', '50', '--json'], env);
  if (r.code !== 0) return { code: r.code, stderr: r.stderr, hits: [] };
  const out = JSON.parse(r.stdout) as { modelId: string; hits: { video: string; time: number; start: number; end: number; bbox: number[]; score: number; similarity: number; confidence: string; chips: { label: string; ok: boolean }[] }[] };
  return {
    code: 0, stderr: r.stderr, modelId: out.modelId,
    hits: out.hits.map((h) => `${path.basename(h.video)}@${h.time}[${h.start}-${h.end}]:${h.bbox.join(',')}:${h.score}:${h.similarity}:${h.confidence}:${h.chips.map((c) => `${c.label}${c.ok}`).join('|')}`),
  };
}

before(async () => {
  if (skip) return;
  dir = tempDir('team-ensemble');
  clip = sampleClip(dir, 'clip.mp4', 8);
  pg = await startPostgres();
  await pg.sql('postgres', `CREATE ROLE alice LOGIN PASSWORD '${ALICE_PW}'`);
  await teamCase('ens', ENSEMBLE_ENV);
  await teamCase('single', SINGLE_ENV);
  refFile = path.join(dir, 'reference.sqlite');
  const ref = await runCli(['index', clip, '--db', refFile, '--no-proxies'], ENSEMBLE_ENV);
  assert.equal(ref.code, 0, ref.stderr);
});

after(() => {
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a worker indexing a team case with the ensemble stores one embedding per member for every detection', { skip: skip ?? false }, async () => {
  const detections = Number((await pg.sql('ens', 'SELECT count(*) AS n FROM detections'))[0].n);
  assert.ok(detections > 10, `${detections} detections`);
  const perDetection = await pg.sql('ens', "SELECT d.id, string_agg(e.model_id, ',' ORDER BY e.model_id) AS models FROM detections d LEFT JOIN embeddings e ON e.detection_id = d.id GROUP BY d.id");
  assert.equal(perDetection.length, detections);
  for (const d of perDetection) assert.equal(d.models, [NEW, OLD].sort().join(','), `detection ${d.id}`);
  // Both chunks wrote rows, and the re-index key names the ensemble (every worker of the case must run it).
  assert.deepEqual((await pg.sql('ens', 'SELECT DISTINCT chunk_idx FROM detections ORDER BY chunk_idx')).map((r) => r.chunk_idx), [0, 1]);
  assert.match(String((await pg.sql('ens', 'SELECT index_models FROM videos'))[0].index_models), /ivt-ensemble-v1@1\.0\.0/);
  // The key of the table: one row per detection and model.
  assert.equal(await primaryKey('ens'), 'PRIMARY KEY (detection_id, model_id)');
  // The single-model case has one row per detection, as before.
  assert.deepEqual((await pg.sql('single', 'SELECT DISTINCT model_id FROM embeddings')).map((r) => r.model_id), [OLD]);
});

test('an ensemble search over the team case ranks as over the same clip indexed with the ensemble into a case file', { skip: skip ?? false, timeout: 300_000 }, async () => {
  for (const text of descriptions) {
    const [team, file] = await Promise.all([hits(['--server', url('ens')], text, ENSEMBLE_ENV), hits(['--db', refFile], text, ENSEMBLE_ENV)]);
    assert.equal(team.code, 0, team.stderr);
    assert.equal(file.code, 0, file.stderr);
    assert.equal(team.modelId, 'ivt-ensemble-v1@1.0.0');
    assert.ok(team.hits.length > 0, text);
    assert.deepEqual(team.hits, file.hits, text);
  }
  // Not the first member alone under another name: on some description a single-model search ranks otherwise.
  let differs = 0;
  for (const text of descriptions) {
    const single = await hits(['--server', url('ens')], text, SINGLE_ENV);
    assert.equal(single.code, 0, single.stderr);
    if (single.hits.join() !== (await hits(['--server', url('ens')], text, ENSEMBLE_ENV)).hits.join()) differs++;
  }
  assert.ok(differs > 0, 'the ensemble ranked every description exactly as its first member');
});

test('a team case keeps each member\'s index in memory: loading one member does not evict the other', { skip: skip ?? false }, async () => {
  const pool = openPool(url('ens'), 2);
  try {
    const source = new PgSearchSource(pool);
    const attr = embeddingSpace(loadAttributesManifest());
    const [a, b] = [await source.index(OLD, model.members[0].embeddingDim, attr), await source.index(NEW, model.members[1].embeddingDim, attr)];
    assert.ok(a.size > 10 && b.size === a.size, `${a.size} and ${b.size} vectors`);
    assert.equal(a.modelId, OLD);
    assert.equal(b.modelId, NEW);
    // Asked again in turn, as an ensemble search asks on every query: the same indexes, not reloaded.
    assert.equal(await source.index(OLD, model.members[0].embeddingDim, attr), a);
    assert.equal(await source.index(NEW, model.members[1].embeddingDim, attr), b);
    // Evidence is answered for the index last returned: the same sightings' evidence through either member.
    const sighting = Number((await pool.query('SELECT min(id) AS id FROM sightings')).rows[0].id);
    const viaNew = source.evidenceOf(sighting);
    assert.ok(viaNew, `evidence of sighting ${sighting}`);
    await source.index(OLD, model.members[0].embeddingDim, attr);
    assert.deepEqual(source.evidenceOf(sighting), viaNew);
  } finally {
    await pool.end();
  }
});

test('a team case indexed with one member, searched with the ensemble, is refused naming the missing member', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const r = await hits(['--server', url('single')], 'walking', ENSEMBLE_ENV);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /indexed with model ivt-small-synth-v1@1\.2\.0, not ivt-osnet-v2@2\.0\.0 \(a member of the ensemble ivt-ensemble-v1@1\.0\.0\): a team case is not re-indexed under another model: search it with the model it was indexed with/);
  // The model it was indexed with still searches it.
  const single = await hits(['--server', url('single')], 'walking', SINGLE_ENV);
  assert.equal(single.code, 0, single.stderr);
  assert.ok(single.hits.length > 0);
});

test('a team database of schema 2 (one embedding per detection) migrates in place, keeps every row and searches the same', { skip: skip ?? false, timeout: 180_000 }, async () => {
  const text = descriptions[0];
  const before = await hits(['--server', url('single')], text, SINGLE_ENV);
  assert.equal(before.code, 0, before.stderr);
  assert.ok(before.hits.length > 0);
  // The same rows in a database built by team migrations 1–2 only: the case as the previous release left it.
  await pg.sql('postgres', 'CREATE DATABASE v2 OWNER alice');
  const src = new Client({ connectionString: url('single') }), dst = new Client({ connectionString: url('v2') });
  await src.connect();
  await dst.connect();
  try {
    await dst.query('BEGIN');
    for (const m of PG_MIGRATIONS.slice(0, 2)) await dst.query(m);
    for (const table of ['meta', 'videos', 'chunks', 'sightings', 'detections', 'embeddings', 'reid_vectors', 'detection_evidence', 'audit_log', 'bookmarks', 'rejections']) {
      const r = await src.query(`SELECT * FROM ${table}`);
      const cols = r.fields.map((f) => f.name);
      for (const row of r.rows) {
        await dst.query(`INSERT INTO ${table}(${cols.join(',')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(',')})`, cols.map((c) => row[c]));
      }
    }
    await dst.query("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    await dst.query('COMMIT');
  } finally {
    await src.end();
    await dst.end();
  }
  const rowsOf = (db: string): Promise<Record<string, unknown>[]> => pg.sql(db, 'SELECT detection_id, model_id, md5(vector) AS v FROM embeddings ORDER BY detection_id, model_id');
  const rows = await rowsOf('v2');
  assert.ok(rows.length > 10);
  assert.equal(await primaryKey('v2'), 'PRIMARY KEY (detection_id)');
  assert.deepEqual(rows, await rowsOf('single'));

  // Opened as it is, it is refused with the way to migrate it; "case create" migrates it (one transaction).
  const stale = await runCli(['status', '--server', url('v2')], SINGLE_ENV);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, new RegExp(`team case schema version 2, this Sightline needs ${PG_SCHEMA_VERSION}`));
  const migrated = await runCli(['case', 'create', '--server', url('v2')], SINGLE_ENV);
  assert.equal(migrated.code, 0, migrated.stderr);
  assert.match(migrated.stdout, /already exists/);
  assert.equal((await pg.sql('v2', "SELECT value FROM meta WHERE key = 'schema_version'"))[0].value, String(PG_SCHEMA_VERSION));
  assert.deepEqual(await rowsOf('v2'), rows);
  assert.equal(await primaryKey('v2'), 'PRIMARY KEY (detection_id, model_id)');

  const after = await hits(['--server', url('v2')], text, SINGLE_ENV);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(after.hits, before.hits);
  const verify = await runCli(['audit', 'verify', '--server', url('v2')], SINGLE_ENV);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});
