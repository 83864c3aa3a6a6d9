// A case keeps the IVT model it was indexed with (vision/caseModel.ts), end to end with real ffmpeg,
// ONNX Runtime and SQLite: a case indexed with a non-default model (SIGHTLINE_IVT_MODEL=ivt-osnet-v2) is
// searched and further indexed without the setting, with that model, without a stale-case error and
// without re-indexing its first video; an old case without the meta key is inferred the same; an explicit
// other model is still refused (model-change.test.ts: and re-indexes); a new case gets the default.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { Engine } from '../../electron/engine/api';
import { DEFAULT_IVT, embeddingSpace, loadIvtManifest } from '../../electron/engine/vision/manifest';

const PINNED = 'ivt-osnet-v2';
// An explicit model that is neither the case's nor an ensemble holding it (a single model: its stale-case message names it).
const OTHER = 'ivt-small-synth-v1';
const PINNED_SPACE = embeddingSpace(loadIvtManifest(PINNED));
// No setting at all: an empty SIGHTLINE_IVT_MODEL is no choice (the environment of the test runner may have one).
const UNSET = { SIGHTLINE_IVT_MODEL: '' };
const dir = tempDir('case-model');
const db = path.join(dir, 'case.sqlite');
const second = path.join(dir, 'cam2', 'second.mp4');

const read = <T>(f: (d: Database.Database) => T): T => {
  const d = new Database(db, { readonly: true });
  try { return f(d); } finally { d.close(); }
};
const meta = (): string | undefined => read((d) => d.prepare("SELECT value FROM meta WHERE key = 'ivt_model'").pluck().get() as string | undefined);
const modelIds = (): string[] => read((d) => d.prepare('SELECT DISTINCT model_id FROM embeddings ORDER BY model_id').pluck().all() as string[]);
/** What indexing left of a video: its index key, detection ids and embedding count (a re-index changes all three). */
const videoIndex = (videoId: number): unknown => read((d) => ({
  key: d.prepare('SELECT index_models FROM videos WHERE id = ?').pluck().get(videoId),
  detections: d.prepare('SELECT min(id) || \'-\' || max(id) || \':\' || count(*) FROM detections WHERE video_id = ?').pluck().get(videoId),
  embeddings: d.prepare('SELECT count(*) FROM embeddings e JOIN detections x ON x.id = e.detection_id WHERE x.video_id = ?').pluck().get(videoId),
  jobs: d.prepare("SELECT count(*) FROM jobs WHERE kind = 'index' AND video_id = ?").pluck().get(videoId),
}));

async function search(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; modelId?: string; modelChosenBy?: string; hits: unknown[] }> {
  const r = await runCli(['search', 'person walking', '--db', db, '--json'], env);
  if (r.code !== 0) return { code: r.code, stderr: r.stderr, hits: [] };
  return { code: 0, stderr: r.stderr, ...(JSON.parse(r.stdout) as { modelId: string; modelChosenBy: string; hits: unknown[] }) };
}

before(async () => {
  fs.mkdirSync(path.dirname(second));
  execFileSync('ffmpeg', ['-v', 'error', '-t', '6', '-i', SAMPLE_VIDEO, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', second]);
  const r = await runCli(['index', SAMPLE_VIDEO, '--db', db, '--no-proxies'], { SIGHTLINE_IVT_MODEL: PINNED });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`model: ${PINNED_SPACE} \\(set by SIGHTLINE_IVT_MODEL\\)`));
});

test('the indexing job records the model in the case', () => {
  assert.equal(meta(), PINNED);
  assert.deepEqual(modelIds(), [PINNED_SPACE]);
});

test('searched without the setting, the case uses its own model: no stale-case error', { timeout: 60_000 }, async () => {
  const r = await search(UNSET);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.modelId, PINNED_SPACE);
  assert.equal(r.modelChosenBy, 'case');
  assert.ok(r.hits.length > 0);
  // The table form says it once.
  const table = await runCli(['search', 'person walking', '--db', db], UNSET);
  assert.equal(table.code, 0, table.stderr);
  assert.equal(table.stderr.split('\n').filter((l) => l.startsWith('model: ')).join('\n'), `model: ${PINNED_SPACE} (the case's)`);
});

test('status and case show name the case\'s model', { timeout: 60_000 }, async () => {
  const s = await runCli(['status', '--db', db, '--json'], UNSET);
  assert.equal(s.code, 0, s.stderr);
  const ivt = (JSON.parse(s.stdout) as { models: { kind: string; id: string; chosenBy?: string }[]; embeddings: number }).models.find((m) => m.kind === 'ivt');
  assert.deepEqual([ivt?.id, ivt?.chosenBy], [PINNED, 'case']);
  const show = await runCli(['case', 'show', '--db', db], UNSET);
  assert.match(show.stdout, new RegExp(`model +${PINNED_SPACE} \\(the case's\\)`));
});

test('an explicit other model is still refused with the way out (today\'s stale-case behaviour)', { timeout: 60_000 }, async () => {
  const r = await search({ SIGHTLINE_IVT_MODEL: OTHER });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`indexed with model ${PINNED_SPACE}, not ${embeddingSpace(loadIvtManifest(OTHER))}: index it again`));
});

test('a second video indexed without the setting uses the case\'s model and leaves the first as it was', { timeout: 240_000 }, async () => {
  const first = videoIndex(1);
  const r = await runCli(['index', second, '--db', db, '--no-proxies'], UNSET);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`model: ${PINNED_SPACE} \\(the case's\\)`));
  assert.deepEqual(videoIndex(1), first, 'the first video was re-indexed');
  assert.deepEqual(modelIds(), [PINNED_SPACE]);
  const v2 = videoIndex(2) as { key: string; embeddings: number };
  assert.ok(v2.key.split('+').includes(PINNED_SPACE), v2.key);
  assert.ok(v2.embeddings > 0);
  assert.equal(meta(), PINNED);
});

test('a case from before the key (none recorded) is inferred from its embeddings: the same model', { timeout: 120_000 }, async () => {
  const d = new Database(db);
  d.prepare("DELETE FROM meta WHERE key = 'ivt_model'").run();
  d.close();
  assert.equal(meta(), undefined);
  const r = await search(UNSET);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.modelId, r.modelChosenBy], [PINNED_SPACE, 'case']);
  // Reading a case changes nothing in it; the next index run records the model again.
  assert.equal(meta(), undefined);
  const again = await runCli(['index', second, '--db', db, '--no-proxies'], UNSET);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(meta(), PINNED);
  assert.deepEqual(modelIds(), [PINNED_SPACE]);
});

test('a new case without a setting gets the default model', async () => {
  const engine = new Engine({ settingsFile: path.join(dir, 'settings.json') });
  const saved = process.env.SIGHTLINE_IVT_MODEL;
  delete process.env.SIGHTLINE_IVT_MODEL;
  try {
    await engine.createCase({ path: path.join(dir, 'new.sqlite'), caseNumber: 'N-1', investigator: 'test' });
    assert.deepEqual(await engine.ivtModelChoice(), { model: DEFAULT_IVT, chosenBy: 'default' });
  } finally {
    if (saved !== undefined) process.env.SIGHTLINE_IVT_MODEL = saved;
    await engine.close();
  }
});

test('a model folder of the user\'s is the case\'s too; once gone, the case names it and the way out', { timeout: 180_000 }, async () => {
  const folder = path.join(dir, 'my-ivt');
  fs.cpSync(path.join(ROOT, 'native-models', OTHER), folder, { recursive: true });
  const own = path.join(dir, 'own.sqlite');
  const indexed = await runCli(['index', second, '--db', own, '--no-proxies'], { SIGHTLINE_IVT_MODEL: folder });
  assert.equal(indexed.code, 0, indexed.stderr);
  const found = await runCli(['search', 'person walking', '--db', own, '--json'], UNSET);
  assert.equal(found.code, 0, found.stderr);
  assert.equal((JSON.parse(found.stdout) as { modelChosenBy: string }).modelChosenBy, 'case');
  fs.rmSync(folder, { recursive: true });
  const gone = await runCli(['search', 'person walking', '--db', own, '--json'], UNSET);
  assert.equal(gone.code, 1);
  assert.ok(gone.stderr.includes(`this case was indexed with the IVT model ${folder}, which cannot be loaded on this machine`), gone.stderr);
  assert.match(gone.stderr, /choose a model with SIGHTLINE_IVT_MODEL/);
});
