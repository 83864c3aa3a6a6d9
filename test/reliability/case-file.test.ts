// The case file itself: damage (random bytes), foreign SQLite files, newer schemas, planted triggers,
// and rows edited behind the audit log's back are all detected; read-only commands change nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { sha256Of } from './helpers';

let dir = '';
let base = '';

before(async () => {
  dir = tempDir('casefile');
  base = path.join(dir, 'base.sqlite');
  const r = await runCli(['index', SAMPLE_VIDEO, '--db', base]);
  assert.equal(r.code, 0, r.stderr);
  const b = await runCli(['bookmark', 'add', '--db', base, '--sighting', '1', '--note', 'suspect at the door']);
  assert.equal(b.code, 0, b.stderr);
  const raw = new Database(base);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
});

/** A copy of the base case (whole: checkpointed, no WAL beside it). */
function copy(name: string, sql?: string): string {
  const file = path.join(dir, `${name}.sqlite`);
  fs.copyFileSync(base, file);
  if (sql) {
    const raw = new Database(file);
    raw.exec(sql);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
  }
  return file;
}

test('4 KB of random bytes inside the case file: status and audit verify report damage', { timeout: 60_000 }, async () => {
  const pages = fs.statSync(base).size / 4096;
  for (const page of [Math.floor(pages / 3), Math.floor(pages / 2), Math.floor((2 * pages) / 3)]) {
    const file = copy(`damaged-${page}`);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, randomBytes(4096), 0, 4096, page * 4096);
    fs.closeSync(fd);
    const status = await runCli(['status', '--db', file]);
    assert.equal(status.code, 1, `page ${page}: ${status.stdout}`);
    assert.match(status.stderr, /damaged/);
    const audit = await runCli(['audit', 'verify', '--db', file]);
    assert.equal(audit.code, 1);
    assert.match(audit.stderr, /damaged/);
  }
});

test('a foreign SQLite file is refused by every command and left byte-for-byte untouched (no WAL switch)', async () => {
  const other = path.join(dir, 'other.db');
  const raw = new Database(other);
  raw.exec('CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES (\'mine\');');
  raw.close();
  const sha = sha256Of(other);
  for (const args of [['status'], ['audit', 'verify'], ['search', 'red jacket'], ['bookmark', 'list'], ['index', SAMPLE_VIDEO]]) {
    const r = await runCli([...args, '--db', other]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /other\.db: not a Sightline case file/);
  }
  assert.equal(sha256Of(other), sha, 'unchanged');
  assert.ok(!fs.existsSync(`${other}-wal`), 'not switched to WAL');
});

test('a newer-schema case is refused before anything is written to it', async () => {
  const file = copy('newer', 'PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;');
  const sha = sha256Of(file);
  for (const args of [['status'], ['index', SAMPLE_VIDEO]]) {
    const r = await runCli([...args, '--db', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /schema version 99 is newer than this Sightline/);
  }
  assert.equal(sha256Of(file), sha);
  assert.ok(!fs.existsSync(`${file}-wal`), 'not switched to WAL');
});

test('a planted trigger: writes are refused, audit verify names it', async () => {
  const file = copy('trigger', `CREATE TRIGGER rewrite AFTER INSERT ON audit_log BEGIN UPDATE bookmarks SET note = 'innocent'; END;`);
  const add = await runCli(['bookmark', 'add', '--db', file, '--sighting', '2']);
  assert.equal(add.code, 1);
  assert.match(add.stderr, /schema was altered outside Sightline \(unexpected trigger "rewrite"/);
  const audit = await runCli(['audit', 'verify', '--db', file]);
  assert.equal(audit.code, 1);
  assert.match(audit.stderr, /unexpected trigger "rewrite"/);
});

test('a video hash or a bookmark note edited behind the log: audit verify and export refuse', { timeout: 60_000 }, async () => {
  const hash = copy('hash', `UPDATE videos SET sha256 = '${'ab'.repeat(32)}'`);
  const audit = await runCli(['audit', 'verify', '--db', hash]);
  assert.equal(audit.code, 1);
  assert.match(audit.stderr, /video 1 .*SHA-256 abab.* differs from .* recorded at import/);
  const exp = await runCli(['export', '--db', hash, '--out', path.join(dir, 'out-hash')]);
  assert.equal(exp.code, 1);
  assert.match(exp.stderr, /disagrees with its audit log/);
  assert.ok(!fs.existsSync(path.join(dir, 'out-hash')) || fs.readdirSync(path.join(dir, 'out-hash')).length === 0, 'no bundle');

  const note = copy('note', `UPDATE bookmarks SET note = 'nothing to see'`);
  const audit2 = await runCli(['audit', 'verify', '--db', note]);
  assert.equal(audit2.code, 1);
  assert.match(audit2.stderr, /bookmark 1: its note differs/);
});

test('an emptied audit log is not "OK: 0 entries"', async () => {
  const file = copy('emptied', `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; DELETE FROM meta WHERE key = 'audit_head';
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`);
  const audit = await runCli(['audit', 'verify', '--db', file]);
  assert.equal(audit.code, 1, audit.stdout);
  assert.match(audit.stderr, /audit log is empty but the case holds 1 video/);
  const cut = copy('cut', `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 1;`);
  const audit2 = await runCli(['audit', 'verify', '--db', cut]);
  assert.equal(audit2.code, 1);
  assert.match(audit2.stderr, /does not begin with "case created"/);
});

test('read-only commands leave the case file untouched', async () => {
  const file = copy('readonly');
  const sha = sha256Of(file);
  for (const args of [['status'], ['audit', 'verify'], ['bookmark', 'list']]) {
    const r = await runCli([...args, '--db', file]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  assert.equal(sha256Of(file), sha);
});
