// The IVT 1.2.0 + 2.0.0 ensemble (native-models/ivt-ensemble-v1) end to end on the bundled sample, with
// real ffmpeg, ONNX Runtime and SQLite: indexing stores one embedding per member and detection, a search
// ranks exactly as search/ensemble.ts combines the two single-model shortlists, a case indexed with 1.2.0
// alone is refused with the way out, and a schema-5 case (one embedding per detection) migrates in place
// and searches the same. The ensemble on a team case (PostgreSQL): team-ensemble.test.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_DIR, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { openDb } from '../../electron/engine/case/caseFile';
import { APPLICATION_ID, MIGRATIONS } from '../../electron/engine/case/schema';
import { appearanceConsensus, CONSENSUS } from '../../electron/engine/search/consensus';
import { ensembleRank } from '../../electron/engine/search/ensemble';
import { checksOf } from '../../electron/engine/search/fusion';
import { Searcher } from '../../electron/engine/search/search';
import { SqliteSearchSource } from '../../electron/engine/search/searchSource';
import { embeddingSpace, loadAttributesManifest, loadIvtModel } from '../../electron/engine/vision/manifest';
import type { SearchHit } from '../../electron/engine/contract';

const ENSEMBLE = 'ivt-ensemble-v1';
const model = loadIvtModel(ENSEMBLE);
const [OLD, NEW] = model.members.map(embeddingSpace);
const descriptions = (JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'truth.json'), 'utf8')) as { people: { description: string }[] }).people.map((p) => p.description);

const dir = tempDir('ivt-ensemble');
const ensembleCase = path.join(dir, 'ensemble.sqlite');
const oldCase = path.join(dir, 'old.sqlite');

before(async () => {
  const a = await runCli(['index', SAMPLE_VIDEO, '--db', ensembleCase], { SIGHTLINE_IVT_MODEL: ENSEMBLE });
  assert.equal(a.code, 0, a.stderr);
  const b = await runCli(['index', SAMPLE_VIDEO, '--db', oldCase], { SIGHTLINE_IVT_MODEL: model.members[0].id });
  assert.equal(b.code, 0, b.stderr);
});

async function searchJson(db: string, text: string, ivtModel: string): Promise<{ code: number | null; hits: SearchHit[]; stderr: string; modelId?: string }> {
  const r = await runCli(['search', text, '--db', db, '--json', '--top', '50'], { SIGHTLINE_IVT_MODEL: ivtModel });
  if (r.code !== 0) return { code: r.code, hits: [], stderr: r.stderr };
  const out = JSON.parse(r.stdout) as { hits: SearchHit[]; modelId: string };
  return { code: 0, hits: out.hits, stderr: r.stderr, modelId: out.modelId };
}

test('the ensemble is declared once: two members with their weights, no weights of its own', () => {
  assert.equal(model.ensemble, true);
  assert.deepEqual(model.members.map((m) => `${m.id}@${m.version}`), ['ivt-small-synth-v1@1.2.0', 'ivt-osnet-v2@2.0.0']);
  assert.deepEqual(model.weights, [0.5, 0.5]);
  assert.equal(model.space, 'ivt-ensemble-v1@1.0.0');
});

test('indexing with the ensemble stores one embedding per member for every detection', () => {
  const db = new Database(ensembleCase, { readonly: true });
  try {
    const detections = db.prepare('SELECT count(*) FROM detections').pluck().get() as number;
    assert.ok(detections > 20, `${detections} detections`);
    const perDetection = db.prepare('SELECT count(*) AS n, group_concat(model_id) AS models FROM embeddings GROUP BY detection_id').all() as { n: number; models: string }[];
    assert.equal(perDetection.length, detections);
    for (const d of perDetection) assert.deepEqual(d.models.split(',').sort(), [NEW, OLD].sort());
    // The re-index key names the ensemble, so a case indexed with a single model re-indexes.
    assert.match(db.prepare('SELECT index_models FROM videos').pluck().get() as string, /ivt-ensemble-v1@1\.0\.0/);
  } finally {
    db.close();
  }
});

test('an ensemble search ranks as search/ensemble.ts combines the two single-model shortlists', { timeout: 120_000 }, async () => {
  const db = openDb(ensembleCase, { readonly: true });
  const ensemble = await Searcher.open(db, ENSEMBLE, 'cpu');
  const singles = await Promise.all(model.members.map((m) => Searcher.open(db, m.id, 'cpu')));
  try {
    let differs = 0;
    for (const text of descriptions) {
      const got = await ensemble.search({ text, top: 200 });
      assert.equal(got.modelId, 'ivt-ensemble-v1@1.0.0');
      // Each member as its own single-model search reads it: its interpretation, its index, its shortlist.
      const shortlists = [];
      for (const s of singles) {
        const q = await s.encoder.embed(s.interpret(text).ivtText || text);
        const index = await s.currentIndex();
        shortlists.push({ similarities: index.nearestSightings(q.vector, 2000, {}, undefined, 'auto', s.tuning.pooling) });
      }
      const source = new SqliteSearchSource(db);
      const index = await source.index(OLD, model.members[0].embeddingDim, embeddingSpace(loadAttributesManifest()));
      const checks = checksOf(singles[0].interpret(text).constraints, ensemble.tuning.weights.reliability);
      const ranked = ensembleRank(shortlists, (id) => source.evidenceOf(id), checks, ensemble.tuning.weights, ensemble.tuning.standardisation, (id) => index.videoOfSighting(id), model.weights);
      // Then the same-person consensus (search/consensus.ts), as every description search.
      const want = appearanceConsensus(ranked, await source.appearances(ranked.slice(0, CONSENSUS.depth).map((r) => r.sighting)));
      assert.deepEqual(got.hits.map((h) => h.sighting), want.slice(0, got.hits.length).map((w) => w.sighting), text);
      assert.deepEqual(got.hits.map((h) => h.confidence), want.slice(0, got.hits.length).map((w) => w.confidence), text);
      // The similarity shown is the weighted mean of the single-model searches' similarities.
      const single = await Promise.all(singles.map(async (s) => new Map((await s.search({ text, top: 200 })).hits.map((h) => [h.sighting, h.similarity]))));
      for (const h of got.hits) {
        const mean = model.weights.reduce((a, w, i) => a + w * single[i].get(h.sighting)!, 0) / model.weights.reduce((a, w) => a + w, 0);
        assert.ok(Math.abs(h.similarity! - mean) <= 1.5e-4, `${text}: sighting ${h.sighting} similarity ${h.similarity} vs ${mean}`);
      }
      const firstOf = await Promise.all(singles.map(async (s) => (await s.search({ text, top: 200 })).hits.map((h) => h.sighting).join()));
      if (firstOf.some((order) => order !== got.hits.map((h) => h.sighting).join())) differs++;
    }
    // Not a relabelled single model: on some description the ensemble's order is neither member's.
    assert.ok(differs > 0, 'the ensemble ranked every description exactly as both members');
  } finally {
    await ensemble.close();
    for (const s of singles) await s.close();
    db.close();
  }
});

test('a case indexed with 1.2.0 alone, searched with the ensemble, is refused naming the missing model', { timeout: 60_000 }, async () => {
  const r = await searchJson(oldCase, 'walking', ENSEMBLE);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /indexed with model ivt-small-synth-v1@1\.2\.0, not ivt-osnet-v2@2\.0\.0 \(a member of the ensemble ivt-ensemble-v1@1\.0\.0\): index it again/);
});

test('a schema-5 case (one embedding per detection) migrates in place, keeps its embeddings and searches the same', { timeout: 120_000 }, async () => {
  const text = descriptions[0];
  const before = await searchJson(oldCase, text, model.members[0].id);
  assert.equal(before.code, 0, before.stderr);
  assert.ok(before.hits.length > 0);
  // The same rows in a file built by migrations 1–5 only: the case as the previous release left it.
  const v5 = path.join(dir, 'v5.sqlite');
  const db = new Database(v5);
  for (const m of MIGRATIONS.slice(0, 5)) db.exec(m);
  db.exec(`ATTACH DATABASE '${oldCase.replace(/'/g, "''")}' AS src`);
  const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  db.transaction(() => { for (const t of tables) db.exec(`INSERT INTO main.${t} SELECT * FROM src.${t}`); })();
  db.exec('DETACH DATABASE src');
  db.pragma('user_version = 5');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  const rows = db.prepare('SELECT detection_id, model_id, hex(vector) AS v FROM embeddings ORDER BY detection_id').all();
  assert.ok(rows.length > 20);
  db.close();

  const after = await searchJson(v5, text, model.members[0].id);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(after.hits.map((h) => [h.sighting, h.similarity, h.score, h.confidence]), before.hits.map((h) => [h.sighting, h.similarity, h.score, h.confidence]));
  const migrated = new Database(v5, { readonly: true });
  try {
    assert.equal(migrated.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepEqual(migrated.prepare('SELECT detection_id, model_id, hex(vector) AS v FROM embeddings ORDER BY detection_id').all(), rows);
    // The new key: one row per detection and model.
    const pk = migrated.prepare("SELECT name FROM pragma_table_info('embeddings') WHERE pk > 0 ORDER BY pk").pluck().all();
    assert.deepEqual(pk, ['detection_id', 'model_id']);
  } finally {
    migrated.close();
  }
  // The migrated file passes the integrity check (its schema is what the migrations declare).
  const verify = await runCli(['audit', 'verify', '--db', v5]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

test('indexing a 1.2.0 case with the ensemble re-indexes it: every detection then holds both members\' embeddings', { timeout: 180_000 }, async () => {
  const r = await runCli(['index', SAMPLE_VIDEO, '--db', oldCase], { SIGHTLINE_IVT_MODEL: ENSEMBLE });
  assert.equal(r.code, 0, r.stderr);
  const db = new Database(oldCase, { readonly: true });
  try {
    const detections = db.prepare('SELECT count(*) FROM detections').pluck().get() as number;
    assert.ok(detections > 20);
    assert.deepEqual(db.prepare('SELECT model_id, count(*) AS n FROM embeddings GROUP BY model_id ORDER BY model_id').all(), [NEW, OLD].sort().map((model_id) => ({ model_id, n: detections })));
  } finally {
    db.close();
  }
  const hits = await searchJson(oldCase, descriptions[0], ENSEMBLE);
  assert.equal(hits.code, 0, hits.stderr);
  assert.equal(hits.modelId, 'ivt-ensemble-v1@1.0.0');
  assert.ok(hits.hits.length > 0);
});
