// Embeddings of two models are never mixed: indexing a case with another IVT model re-indexes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';

/** A copy of the shipped IVT model under another id (same weights: the id alone must trigger re-indexing). */
function modelCopy(dir: string, id: string): string {
  const src = path.join(ROOT, 'native-models', 'ivt-small-synth-v1');
  const out = path.join(dir, id);
  fs.cpSync(src, out, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { id: string };
  manifest.id = id;
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
  const a = modelCopy(dir, 'ivt-test-a'), b = modelCopy(dir, 'ivt-test-b');
  const db = path.join(dir, 'case.sqlite');

  const first = await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: a });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(modelIds(db), ['ivt-test-a']);

  // Searching with model B before re-indexing is refused with the way out, never compared across models.
  const stale = await runCli(['search', 'person', '--db', db, '--json'], { SIGHTLINE_IVT_MODEL: b });
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /indexed with model ivt-test-a, not ivt-test-b: index it again/);

  // Any index run with model B (even one that adds nothing new) brings the whole case over.
  const second = await runCli(['index', SAMPLE_VIDEO, '--db', db], { SIGHTLINE_IVT_MODEL: b });
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(modelIds(db), ['ivt-test-b']);
  const hits = await runCli(['search', 'person', '--db', db, '--json'], { SIGHTLINE_IVT_MODEL: b });
  assert.ok((JSON.parse(hits.stdout) as unknown[]).length > 0);
});
