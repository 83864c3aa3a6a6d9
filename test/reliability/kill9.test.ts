// kill -9 at random moments (creating the case, importing, hashing, mid-batch, finishing), then the
// same command again: every trial must end equal to one uninterrupted run. As many trials as fit in
// the time budget (SIGHTLINE_KILL_BUDGET_S, default 40 s; raise it for more trials), and at least
// SIGHTLINE_KILL_TRIALS (default 4; `SIGHTLINE_KILL_TRIALS=50` is the full measurement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, SAMPLE_VIDEO, startCli, tempDir } from '../helpers/cli';
import Database from 'better-sqlite3';
import { referenceIndex, snapshot, waitForBatch } from './helpers';

const BUDGET_S = Number(process.env.SIGHTLINE_KILL_BUDGET_S ?? 40);
const MIN_TRIALS = Math.max(1, Number(process.env.SIGHTLINE_KILL_TRIALS ?? 4));

test('kill -9 at random points, then resume: equal to an uninterrupted run every time', { timeout: 600_000 + (BUDGET_S + MIN_TRIALS * 30) * 1000 }, async () => {
  const dir = tempDir('kill9');
  const t0 = Date.now();
  const reference = await referenceIndex(SAMPLE_VIDEO, path.join(dir, 'reference.sqlite'));
  const fullMs = Date.now() - t0;
  const budgetMs = BUDGET_S * 1000;
  const started = Date.now();
  const killedAt: number[] = [];
  for (let trial = 0; killedAt.length < MIN_TRIALS || Date.now() - started < budgetMs; trial++) {
    const db = path.join(dir, `trial-${trial}.sqlite`);
    const delay = Math.round(Math.random() * fullMs * 0.95);
    const child = startCli(['index', SAMPLE_VIDEO, '--db', db]);
    child.stdout!.resume(); child.stderr!.resume();
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('close', r)));
    killedAt.push(delay);
    // Killed before the case existed: nothing half-created under its name.
    if (fs.existsSync(db)) assert.ok(fs.statSync(db).size > 0, `trial ${trial}: no 0-byte case file`);
    const again = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
    assert.equal(again.code, 0, `trial ${trial} (killed after ${delay} ms): ${again.stderr}`);
    const s = snapshot(db);
    assert.equal(s.videos, 1, `trial ${trial}: one video`);
    assert.deepEqual(s.detections, reference.detections, `trial ${trial} (killed after ${delay} ms): detections`);
    assert.deepEqual(s.sightings, reference.sightings, `trial ${trial} (killed after ${delay} ms): sightings`);
    assert.equal(s.embeddings, reference.embeddings);
    fs.rmSync(db, { force: true });
  }
  process.stderr.write(`kill -9: ${killedAt.length} trials, killed after ${killedAt.sort((a, b) => a - b).join(', ')} ms (a full run takes ${fullMs} ms)\n`);
});

test('a failed video resumes from its last committed batch; the run exits 1 naming every video not done', { timeout: 300_000 }, async () => {
  const dir = tempDir('failed-resume');
  const reference = await referenceIndex(SAMPLE_VIDEO, path.join(dir, 'reference.sqlite'));
  const db = path.join(dir, 'case.sqlite');
  const child = startCli(['index', SAMPLE_VIDEO, '--db', db]);
  child.stdout!.resume(); child.stderr!.resume();
  const committed = await waitForBatch(db, 2, child);
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('close', r)));
  // As a failure leaves it (disk full, decoder crash): status failed, part of it committed.
  const raw = new Database(db);
  raw.prepare("UPDATE videos SET status = 'failed', error = 'simulated failure'").run();
  raw.close();

  const resumed = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /sample-street\.mp4: resumed \(video 1\)/);
  const s = snapshot(db);
  assert.deepEqual(s.detections, reference.detections, `resumed after ${committed} s`);
  assert.deepEqual(s.sightings, reference.sightings);

  // A second video, failed, whose file has since gone: a run on the first names it and exits 1.
  const gone = path.join(dir, 'gone.mp4');
  fs.copyFileSync(SAMPLE_VIDEO, gone);
  fs.appendFileSync(gone, Buffer.from('different bytes, different hash'));
  const other = await runCli(['index', gone, '--db', db]);
  assert.equal(other.code, 0, other.stderr);
  const raw2 = new Database(db);
  raw2.prepare("UPDATE videos SET status = 'failed', error = 'simulated failure' WHERE path = ?").run(gone);
  raw2.close();
  fs.rmSync(gone);
  const again = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(again.code, 1, again.stderr);
  assert.match(again.stderr, /gone\.mp4: no such file/);
  assert.match(again.stderr, /sample-street\.mp4: already in the case/);
});
