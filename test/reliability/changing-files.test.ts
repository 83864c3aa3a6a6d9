// Files that change under us: a file still being copied is refused as "still being written"; a
// different file under an imported path is "changed since import" (never a second video); a file
// overwritten while it is indexed fails with its partial index discarded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, startCli, tempDir } from '../helpers/cli';
import { exited, longVideo, snapshot, waitForBatch } from './helpers';

test('a file still being written is refused and not recorded', { timeout: 120_000 }, async () => {
  const dir = tempDir('growing');
  // MPEG-TS: any prefix of it is a playable video, as with a recorder export still being copied.
  const whole = path.join(dir, 'whole.ts');
  execFileSync('ffmpeg', ['-v', 'error', '-i', SAMPLE_VIDEO, '-c', 'copy', '-f', 'mpegts', whole]);
  const bytes = fs.readFileSync(whole);
  const growing = path.join(dir, 'copying.ts');
  fs.writeFileSync(growing, bytes.subarray(0, Math.floor(bytes.length / 3)));
  let offset = Math.floor(bytes.length / 3);
  // Slow enough (≈1 min for the rest) that the copy is still going when the import hashes it.
  const step = Math.ceil(bytes.length / 6000);
  const copier = setInterval(() => {
    if (offset >= bytes.length) return;
    fs.appendFileSync(growing, bytes.subarray(offset, offset + step));
    offset += step;
  }, 10);
  try {
    const db = path.join(dir, 'case.sqlite');
    const r = await runCli(['index', growing, '--db', db]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /copying\.ts: still being written/);
    const raw = new Database(db, { readonly: true });
    assert.equal(raw.prepare('SELECT count(*) FROM videos').pluck().get(), 0, 'no partial size and hash recorded');
    raw.close();
  } finally {
    clearInterval(copier);
  }
});

test('the same path with other bytes is "changed since import", never a second video', { timeout: 120_000 }, async () => {
  const dir = tempDir('changed');
  const cam = path.join(dir, 'cam.mp4');
  fs.copyFileSync(SAMPLE_VIDEO, cam);
  const db = path.join(dir, 'case.sqlite');
  const first = await runCli(['index', cam, '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  const before = snapshot(db);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', SAMPLE_VIDEO, '-t', '6', '-c', 'copy', cam]);
  const again = await runCli(['index', cam, '--db', db]);
  assert.equal(again.code, 1, again.stderr);
  assert.match(again.stderr, /cam\.mp4: changed since import/);
  const after = snapshot(db);
  assert.equal(after.videos, 1);
  assert.deepEqual(after.detections, before.detections);
});

test('a file overwritten while it is indexed fails, its partial index is discarded, and it is named', { timeout: 180_000 }, async () => {
  const dir = tempDir('overwritten');
  const long = longVideo(dir);
  const db = path.join(dir, 'case.sqlite');
  const child = startCli(['index', long, '--db', db]);
  const done = exited(child);
  await waitForBatch(db, 3, child);
  // Overwritten in place (same inode, new bytes), as a careless copy over the original would.
  fs.writeFileSync(long, fs.readFileSync(SAMPLE_VIDEO));
  const r = await done;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /long\.mp4: changed (while it was being indexed|since import)/);
  const raw = new Database(db, { readonly: true });
  const v = raw.prepare('SELECT status, error FROM videos').get() as { status: string; error: string };
  assert.notEqual(v.status, 'done');
  assert.equal(raw.prepare('SELECT count(*) FROM detections').pluck().get(), 0, 'partial index of the changed bytes discarded');
  raw.close();
});
