// A team case keeps the IVT model it was created with (vision/caseModel.ts), with real PostgreSQL
// (test/helpers/postgres.ts), ONNX Runtime and ffmpeg: `case create --server` under
// SIGHTLINE_IVT_MODEL=ivt-osnet-v2 records it; a worker started without the setting indexes with it; a
// team search without the setting uses it; a team case from before the key (deleted here) is inferred
// from its videos' index keys, searched and indexed the same (its first new chunk records the key again);
// an explicit other model is still refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runCli, sampleClip, tempDir } from '../helpers/cli';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres';
import { embeddingSpace, loadIvtManifest } from '../../electron/engine/vision/manifest';

const skip = postgresSkipReason();
const PW = 'B0b-case-model-pw-7d';
const PINNED = 'ivt-osnet-v2';
// An explicit model that is neither the case's nor an ensemble holding it (a single model: its stale-case message names it).
const OTHER = 'ivt-small-synth-v1';
const PINNED_SPACE = embeddingSpace(loadIvtManifest(PINNED));
const ENV = { SIGHTLINE_QUEUE_MAINTENANCE_S: '1', SIGHTLINE_MOTION_GATING: '0' };
const UNSET = { ...ENV, SIGHTLINE_IVT_MODEL: '' };

let pg: TestPostgres;
let dir: string, clip: string;
const url = (): string => pg.url('bob', PW, 'pinned');

async function search(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; modelId?: string; modelChosenBy?: string; hits: unknown[] }> {
  const r = await runCli(['search', 'person walking', '--server', url(), '--json'], env);
  if (r.code !== 0) return { code: r.code, stderr: r.stderr, hits: [] };
  return { code: 0, stderr: r.stderr, ...(JSON.parse(r.stdout) as { modelId: string; modelChosenBy: string; hits: unknown[] }) };
}

before(async () => {
  if (skip) return;
  dir = tempDir('team-case-model');
  clip = sampleClip(dir, 'clip.mp4', 8);
  pg = await startPostgres();
  await pg.sql('postgres', `CREATE ROLE bob LOGIN PASSWORD '${PW}'`);
  await pg.sql('postgres', 'CREATE DATABASE pinned OWNER bob');
  const created = await runCli(['case', 'create', '--server', url()], { ...ENV, SIGHTLINE_IVT_MODEL: PINNED });
  assert.equal(created.code, 0, created.stderr);
  const imported = await runCli(['index', clip, '--chunk-s', '4', '--server', url()], UNSET);
  assert.equal(imported.code, 0, imported.stderr);
});

after(() => {
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('case create records the configured model; a worker without the setting indexes with it', { skip: skip ?? false, timeout: 300_000 }, async () => {
  assert.deepEqual(await pg.sql('pinned', "SELECT value FROM meta WHERE key = 'ivt_model'"), [{ value: PINNED }]);
  const w = await runCli(['worker', '--until-done', '--server', url()], UNSET);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, new RegExp(`ready .*; model ${PINNED_SPACE} \\(the case's\\)`));
  assert.deepEqual((await pg.sql('pinned', 'SELECT DISTINCT model_id FROM embeddings')).map((r) => r.model_id), [PINNED_SPACE]);
  assert.ok(Number((await pg.sql('pinned', 'SELECT count(*) AS n FROM embeddings'))[0].n) > 0);
  const keys = (await pg.sql('pinned', 'SELECT index_models FROM videos')).map((r) => String(r.index_models));
  assert.equal(keys.length, 1);
  assert.ok(keys[0].split('+').includes(PINNED_SPACE), keys[0]);
});

test('a team search without the setting uses the case\'s model; status says so', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const r = await search(UNSET);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.modelId, r.modelChosenBy], [PINNED_SPACE, 'case']);
  assert.ok(r.hits.length > 0);
  const s = await runCli(['status', '--server', url()], UNSET);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`model +${PINNED_SPACE} \\(the case's\\)`));
});

test('an explicit other model is still refused with the team case\'s way out', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const r = await search({ ...ENV, SIGHTLINE_IVT_MODEL: OTHER });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`indexed with model ${PINNED_SPACE}, not ${embeddingSpace(loadIvtManifest(OTHER))}: a team case is not re-indexed.*without SIGHTLINE_IVT_MODEL a team case uses its own`));
});

test('a worker set to another model is refused before it takes a chunk: one model per team case', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const w = await runCli(['worker', '--until-done', '--server', url()], { ...ENV, SIGHTLINE_IVT_MODEL: OTHER });
  assert.notEqual(w.code, 0);
  assert.ok(w.stderr.includes(`this team case is indexed with the IVT model ${PINNED_SPACE}; this worker is set to ${embeddingSpace(loadIvtManifest(OTHER))}`), w.stderr);
  assert.deepEqual((await pg.sql('pinned', 'SELECT DISTINCT model_id FROM embeddings')).map((r) => r.model_id), [PINNED_SPACE], 'nothing indexed with the other model');
});

test('a team case from before the key is inferred from its index keys: the same model', { skip: skip ?? false, timeout: 120_000 }, async () => {
  await pg.sql('pinned', "DELETE FROM meta WHERE key = 'ivt_model'");
  const r = await search(UNSET);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.modelId, r.modelChosenBy], [PINNED_SPACE, 'case']);
  assert.ok(r.hits.length > 0);
  // More footage, a worker without the setting: indexed with the inferred model, whose first chunk records it again.
  const more = sampleClip(dir, 'more.mp4', 4, 8);
  assert.equal((await runCli(['index', more, '--chunk-s', '4', '--server', url()], UNSET)).code, 0);
  const w = await runCli(['worker', '--until-done', '--server', url()], UNSET);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, new RegExp(`model ${PINNED_SPACE} \\(the case's\\)`));
  assert.deepEqual(await pg.sql('pinned', "SELECT value FROM meta WHERE key = 'ivt_model'"), [{ value: PINNED }]);
  assert.deepEqual((await pg.sql('pinned', 'SELECT DISTINCT model_id FROM embeddings')).map((r) => r.model_id), [PINNED_SPACE]);
  assert.equal(Number((await pg.sql('pinned', "SELECT count(*) AS n FROM videos WHERE status = 'done'"))[0].n), 2);
});
