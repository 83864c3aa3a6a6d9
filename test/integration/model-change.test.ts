// Embeddings of two models are never mixed: indexing a case with another IVT model (or another
// version of the same model) re-indexes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';

/** A copy of the shipped IVT model under another id and version (same weights: the label alone must trigger re-indexing). */
function modelCopy(dir: string, id: string, version: string): string {
  const src = path.join(ROOT, 'native-models', 'ivt-small-synth-v1');
  const out = path.join(dir, `${id}-${version}`);
  fs.cpSync(src, out, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { id: string; version: string };
  manifest.id = id;
  manifest.version = version;
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
  return out;
}

const modelIds = (db: string): string[] => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT DISTINCT model_id FROM embeddings ORDER BY model_id').pluck().all() as string[]);
  } finally {
    d.close();
  }
};

test('a different IVT model re-indexes the case instead of mixing embeddings', { timeout: 180_000 }, async () => {
  const dir = tempDir('model-change');
  const a = modelCopy(dir, 'ivt-test-a', '1.0.0'), b = modelCopy(dir, 'ivt-test-b', '1.0.0');
  const db = path.join(dir, 'case.sqlite');

  const first = await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: a });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(modelIds(db), ['ivt-test-a@1.0.0']);

  // Searching with model B before re-indexing is refused with the way out, never compared across models.
  const stale = await runCli(['search', 'walking', '--db', db, '--json'], { SIGHTLINE_IVT_MODEL: b });
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /indexed with model ivt-test-a@1.0.0, not ivt-test-b@1.0.0: index it again/);

  // Any index run with model B (even one that adds nothing new) brings the whole case over.
  const second = await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: b });
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(modelIds(db), ['ivt-test-b@1.0.0']);
  const hits = await runCli(['search', 'walking', '--db', db, '--json'], { SIGHTLINE_IVT_MODEL: b });
  assert.ok((JSON.parse(hits.stdout) as { hits: unknown[] }).hits.length > 0);
});

test('a new version of the same model re-indexes the case too', { timeout: 180_000 }, async () => {
  const dir = tempDir('model-version');
  const v1 = modelCopy(dir, 'ivt-test', '1.0.0'), v2 = modelCopy(dir, 'ivt-test', '1.1.0');
  const db = path.join(dir, 'case.sqlite');

  assert.equal((await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: v1 })).code, 0);
  const stale = await runCli(['search', 'walking', '--db', db, '--json'], { SIGHTLINE_IVT_MODEL: v2 });
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /indexed with model ivt-test@1\.0\.0, not ivt-test@1\.1\.0/);
  const again = await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: v2 });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(modelIds(db), ['ivt-test@1.1.0']);
});
