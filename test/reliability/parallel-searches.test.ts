// 200 searches, each its own `sightline search` process (at most SIGHTLINE_SEARCH_PARALLEL at once,
// default 8), while another process indexes the case: every one must succeed, and every search must
// leave exactly one audit entry in an unbroken chain (no "UNIQUE constraint failed: audit_log.seq").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, startCli, tempDir } from '../helpers/cli';
import { exited, longVideo, waitForBatch } from './helpers';

const QUERIES = ['woman in a red jacket', 'man with a black backpack', 'person in blue jeans', 'white shirt', 'grey coat and a bag'];

test('200 parallel search processes during indexing all succeed and are all audited', { timeout: 600_000 }, async () => {
  const dir = tempDir('searches');
  const db = path.join(dir, 'case.sqlite');
  const first = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  const long = longVideo(dir);
  const indexer = startCli(['index', long, '--db', db]);
  const indexed = exited(indexer);
  await waitForBatch(db, 1, indexer).catch(() => undefined);

  const total = 200;
  const parallel = Number(process.env.SIGHTLINE_SEARCH_PARALLEL ?? 8);
  let next = 0, duringIndexing = 0;
  const failures: string[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < total) {
      const i = next++;
      const during = indexer.exitCode === null;
      const r = await runCli(['search', QUERIES[i % QUERIES.length], '--db', db, '--top', '5', '--json']);
      if (during && indexer.exitCode === null) duringIndexing++;
      if (r.code !== 0) failures.push(`search ${i}: exit ${r.code}: ${r.stderr.trim()}`);
      else JSON.parse(r.stdout);
    }
  }));
  const idx = await indexed;
  process.stderr.write(`searches: ${total} in ${((Date.now() - started) / 1000).toFixed(1)} s, ${parallel} at a time, ${duringIndexing} wholly during indexing\n`);
  assert.deepEqual(failures, []);
  assert.equal(idx.code, 0, idx.stderr);
  assert.ok(duringIndexing > 0, 'some searches ran while the case was being indexed');
  const raw = new Database(db, { readonly: true });
  assert.equal(raw.prepare("SELECT count(*) FROM audit_log WHERE action = 'search run'").pluck().get(), total);
  raw.close();
  const audit = await runCli(['audit', 'verify', '--db', db]);
  assert.equal(audit.code, 0, audit.stderr);
});
