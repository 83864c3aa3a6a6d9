// Bookmarks with their audit entries, and the audit chain catching edits made behind the app's back
// (an attacker with the file drops the append-only triggers first, exactly as done here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { makeEvidenceCase, type EvidenceFixture } from '../fixtures/evidenceCase';
import { addBookmark, listBookmarks, removeBookmark, updateBookmark, BookmarkError, MAX_NOTE_CHARS } from '../../electron/engine/evidence/bookmarks';
import { listAudit, verifyAudit } from '../../electron/engine/case/audit';
import { openDb } from '../../electron/engine/case/caseFile';

let fx: EvidenceFixture;
before(async () => { fx = await makeEvidenceCase(); });
after(() => fx?.cleanup());

const lastAction = (): string => listAudit(fx.db).at(-1)!.action;

test('add, edit and remove each write one audit entry in the same transaction', () => {
  const b = addBookmark(fx.db, 'DC Test', { sightingId: fx.sightings[0].id, note: 'first', query: 'red jacket', score: 0.5 });
  assert.equal(lastAction(), 'bookmark added');
  assert.equal(b.hit.camera, 'Front door');
  assert.equal(b.hit.wallClock, '2026-03-14T09:30:02.000Z');
  assert.equal(b.query, 'red jacket');
  const e = updateBookmark(fx.db, 'DC Test', b.id, 'edited');
  assert.equal(e.note, 'edited');
  const edited = listAudit(fx.db).at(-1)!;
  assert.equal(edited.action, 'bookmark edited');
  assert.equal(edited.details.noteBefore, 'first');
  removeBookmark(fx.db, 'DC Test', b.id);
  assert.equal(lastAction(), 'bookmark removed');
  assert.deepEqual(listBookmarks(fx.db), []);
  assert.ok(verifyAudit(fx.db).ok);
});

test('unknown ids and oversized notes are clear errors and change nothing', () => {
  const entries = listAudit(fx.db).length;
  assert.throws(() => addBookmark(fx.db, 'u', { sightingId: 999 }), (e: Error) => e instanceof BookmarkError && /sighting 999 does not exist/.test(e.message));
  assert.throws(() => updateBookmark(fx.db, 'u', 999, 'x'), /bookmark 999 does not exist/);
  assert.throws(() => removeBookmark(fx.db, 'u', 999), /bookmark 999 does not exist/);
  assert.throws(() => addBookmark(fx.db, 'u', { sightingId: -1 }), /positive whole number/);
  assert.throws(() => addBookmark(fx.db, 'u', { sightingId: fx.sightings[0].id, note: 'x'.repeat(MAX_NOTE_CHARS + 1) }), /at most/);
  assert.equal(listAudit(fx.db).length, entries);
  assert.deepEqual(listBookmarks(fx.db), []);
});

test('notes keep exactly what was typed, 10k characters and control characters included', () => {
  const note = `../..\\x\u0000\u0007${'n'.repeat(10_000)}`;
  const b = addBookmark(fx.db, 'u', { sightingId: fx.sightings[1].id, note });
  assert.equal(listBookmarks(fx.db).find((x) => x.id === b.id)!.note, note);
});

/** A copy of the case file for one tampering scenario (checkpointed so the copy is whole). */
function tamperedCopy(name: string, sql: string): string {
  fx.db.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(fx.dir, `${name}.sqlite`);
  fs.copyFileSync(fx.caseFile, file);
  const raw = new Database(file);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
  return file;
}

function verdictOf(file: string): ReturnType<typeof verifyAudit> {
  const db = openDb(file, { readonly: true });
  try { return verifyAudit(db); } finally { db.close(); }
}

test('the schema refuses edits to the audit log outright', () => {
  assert.throws(() => fx.db.prepare("UPDATE audit_log SET user = 'x' WHERE seq = 1").run(), /append-only/);
  assert.throws(() => fx.db.prepare('DELETE FROM audit_log WHERE seq = 1').run(), /append-only/);
});

test('audit verify passes on the untouched case and fails after an entry is edited in the file', () => {
  assert.ok(verifyAudit(fx.db).ok);
  const edited = verdictOf(tamperedCopy('edited', `UPDATE audit_log SET details = replace(details, 'first', 'innocent') WHERE action = 'bookmark added'`));
  assert.equal(edited.ok, false);
  assert.ok(edited.problems.some((p) => /entry \d+ \(bookmark added\): content altered/.test(p)), edited.problems.join('\n'));
});

test('audit verify catches an entry deleted from the middle', () => {
  const v = verdictOf(tamperedCopy('deleted', 'DELETE FROM audit_log WHERE seq = 2'));
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => /entry 2 missing/.test(p)), v.problems.join('\n'));
});

test('audit verify catches the newest entries cut off the end', () => {
  const v = verdictOf(tamperedCopy('truncated', 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)'));
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => /missing at the end/.test(p)), v.problems.join('\n'));
});

test('audit verify catches a chain rewritten with recomputed hashes (the recorded head no longer matches)', () => {
  // The attacker edits entry 2 and recomputes every hash after it, as the chain's formula allows.
  fx.db.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(fx.dir, 'rehashed.sqlite');
  fs.copyFileSync(fx.caseFile, file);
  const raw = new Database(file);
  raw.exec('DROP TRIGGER audit_log_no_update;');
  const rows = raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; at: string; user: string; action: string; details: string; prev_hash: string; hash: string }[];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const user = r.seq === 2 ? 'someone else' : r.user;
    const hash = createHash('sha256').update(JSON.stringify([prev, r.seq, r.at, user, r.action, r.details])).digest('hex');
    raw.prepare('UPDATE audit_log SET user = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(user, prev, hash, r.seq);
    prev = hash;
  }
  raw.close();
  const v = verdictOf(file);
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => /recorded head/.test(p)), v.problems.join('\n'));
});
