// One writer per case: a second `sightline index` on a case being indexed is refused with the owner's
// PID, host and start; racing runs never duplicate detections; a stale lock (dead owner, or a silent
// one on another host) is taken over; readers keep working meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, startCli, tempDir } from '../helpers/cli';
import { exited, longVideo, referenceIndex, snapshot, waitForBatch } from './helpers';

test('two writers on one case: the second is refused by name, nothing is duplicated, readers keep working', { timeout: 300_000 }, async () => {
  const dir = tempDir('writers');
  const reference = await referenceIndex(SAMPLE_VIDEO, path.join(dir, 'reference.sqlite'));
  assert.ok(reference.detections.length > 0);

  // Started together (no waiting): whatever the interleaving, the case ends equal to one run.
  for (let trial = 0; trial < 3; trial++) {
    const db = path.join(dir, `race-${trial}.sqlite`);
    const [a, b] = await Promise.all([runCli(['index', SAMPLE_VIDEO, '--db', db]), runCli(['index', SAMPLE_VIDEO, '--db', db])]);
    const codes = [a.code, b.code].sort();
    assert.ok(codes[0] === 0, `one of the two succeeds:\n${a.stderr}\n${b.stderr}`);
    for (const r of [a, b]) if (r.code !== 0) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /case .*race-\d\.sqlite is being indexed by PID \d+ on \S+ since \d{4}-/);
    }
    const s = snapshot(db);
    assert.equal(s.videos, 1);
    assert.deepEqual(s.detections, reference.detections, `trial ${trial}: detections equal one uninterrupted run`);
    assert.deepEqual(s.sightings, reference.sightings);
  }

  // The second writer arrives while the first is mid-way: refused at once, the first finishes alone.
  const long = longVideo(dir);
  const db = path.join(dir, 'case.sqlite');
  const first = startCli(['index', long, '--db', db]);
  const firstDone = exited(first);
  await waitForBatch(db, 2, first);
  const second = await runCli(['index', long, '--db', db]);
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`is being indexed by PID ${first.pid} on ${os.hostname()} since \\d{4}-`));
  // Readers are not writers: status and search work during indexing.
  const status = await runCli(['status', '--db', db]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /indexing/);
  const search = await runCli(['search', 'red jacket', '--db', db, '--json']);
  assert.equal(search.code, 0, search.stderr);
  const f = await firstDone;
  assert.equal(f.code, 0, f.stderr);
  const s = snapshot(db);
  assert.equal(new Set(s.detections).size, s.detections.length, 'no duplicated detection');
  assert.equal(s.videos, 1);
});

test('a stale writer lock is taken over: a dead PID on this host, or no heartbeat for a minute; a live one on another host is respected', { timeout: 120_000 }, async () => {
  const dir = tempDir('stale-lock');
  const db = path.join(dir, 'case.sqlite');
  const created = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(created.code, 0, created.stderr);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const setLock = (pid: number, host: string, heartbeat: Date): void => {
    const raw = new Database(db);
    raw.prepare('INSERT OR REPLACE INTO writer_lock(id, token, pid, host, since, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)')
      .run('someone-else', pid, host, heartbeat.toISOString(), heartbeat.toISOString());
    raw.close();
  };
  const other = path.join(dir, 'other.mp4');
  spawnSync('ffmpeg', ['-v', 'error', '-i', SAMPLE_VIDEO, '-t', '4', '-c', 'copy', other]);

  setLock(process.pid, 'another-host', new Date());
  const refused = await runCli(['index', other, '--db', db]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`being indexed by PID ${process.pid} on another-host since`));

  setLock(process.pid, 'another-host', new Date(Date.now() - 10 * 60_000));
  const tookOverSilent = await runCli(['index', other, '--db', db]);
  assert.equal(tookOverSilent.code, 0, tookOverSilent.stderr);

  setLock(deadPid, os.hostname(), new Date());
  const tookOverDead = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(tookOverDead.code, 0, tookOverDead.stderr);
  const raw = new Database(db, { readonly: true });
  assert.equal(raw.prepare('SELECT count(*) FROM writer_lock').pluck().get(), 0, 'released after the run');
  raw.close();
});
