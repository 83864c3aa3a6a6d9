// Disk full and read-only folders, on a real small tmpfs (root only; skipped with the reason elsewhere):
// each error names the file and the cause, nothing half-created is left, and once space is freed the
// failed video resumes from its last committed batch to the same result as an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { mountTmpfs, referenceIndex, remount, snapshot, unmount } from './helpers';

test('disk full while indexing: named with the case path; after space is freed the run resumes and matches', { timeout: 300_000 }, async (t) => {
  const dir = tempDir('diskfull');
  const mnt = path.join(dir, 'small');
  const skip = mountTmpfs(mnt, '320k');
  if (skip) { t.skip(skip); return; }
  try {
    const reference = await referenceIndex(SAMPLE_VIDEO, path.join(dir, 'reference.sqlite'));
    const db = path.join(mnt, 'case.sqlite');
    const full = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
    assert.equal(full.code, 1, full.stderr);
    assert.match(full.stderr, new RegExp(`disk full: cannot write ${db.replace(/[.]/g, '\\.')}`));
    assert.match(full.stderr, /sample-street\.mp4/, 'the video that is not done is named');
    const partial = snapshot(db);
    assert.ok(partial.detections.length < reference.detections.length, 'stopped part-way');

    remount(mnt, 'size=8m');
    const again = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
    assert.equal(again.code, 0, again.stderr);
    const s = snapshot(db);
    assert.deepEqual(s.detections, reference.detections);
    assert.deepEqual(s.sightings, reference.sightings);
    const raw = new Database(db, { readonly: true });
    assert.equal(raw.prepare("SELECT status FROM videos").pluck().get(), 'done');
    raw.close();
  } finally {
    unmount(mnt);
  }
});

test('a case cannot even be created on a full disk: the error says so, no 0-byte file is left', { timeout: 60_000 }, async (t) => {
  const dir = tempDir('diskfull-create');
  const mnt = path.join(dir, 'tiny');
  const skip = mountTmpfs(mnt, '8k');
  if (skip) { t.skip(skip); return; }
  try {
    fs.writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(4096));
    const db = path.join(mnt, 'case.sqlite');
    const r = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /disk full: cannot write .*case\.sqlite/);
    assert.deepEqual(fs.readdirSync(mnt), ['filler'], 'nothing half-created');
  } finally {
    unmount(mnt);
  }
});

test('a read-only folder: creating or indexing a case there is refused by name, reading says why it cannot', { timeout: 120_000 }, async (t) => {
  const dir = tempDir('readonly');
  const mnt = path.join(dir, 'ro');
  const skip = mountTmpfs(mnt, '8m');
  if (skip) { t.skip(skip); return; }
  try {
    const existing = path.join(mnt, 'existing.sqlite');
    const made = await runCli(['index', SAMPLE_VIDEO, '--db', existing]);
    assert.equal(made.code, 0, made.stderr);
    remount(mnt, 'ro');
    const create = await runCli(['index', SAMPLE_VIDEO, '--db', path.join(mnt, 'new.sqlite')]);
    assert.equal(create.code, 1);
    assert.match(create.stderr, /new\.sqlite cannot be written: the case file or its folder .* is read-only/);
    assert.ok(!fs.existsSync(path.join(mnt, 'new.sqlite')), 'nothing created');
    const write = await runCli(['bookmark', 'add', '--db', existing, '--sighting', '1']);
    assert.equal(write.code, 1);
    assert.match(write.stderr, /existing\.sqlite.*read-only/);
    // A WAL case cannot be read where SQLite cannot create its -shm file: said so, not "not a case".
    const read = await runCli(['status', '--db', existing]);
    assert.equal(read.code, 1, read.stdout);
    assert.match(read.stderr, /existing\.sqlite: cannot be read in place: its folder .* is read-only/);
  } finally {
    unmount(mnt);
  }
});
