// What export does when things are wrong: changed, moved or removed originals, hostile notes and
// camera names, unwritable or full output folders. Each gives a clear error or a named refusal,
// and nothing half-written is left that could pass for a bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeEvidenceCase, insertVideo, insertSightings, makeTestVideo, TEST_MODELS, testSigningKey, type EvidenceFixture, type FixtureSighting } from '../fixtures/evidenceCase';
import { addBookmark, listBookmarks } from '../../electron/engine/evidence/bookmarks';
import { exportEvidence, ExportError, type ExportContext } from '../../electron/engine/evidence/export';
import { verifyBundle } from '../../electron/engine/evidence/verify';
import { listAudit } from '../../electron/engine/case/audit';
import type { Manifest } from '../../electron/engine/evidence/manifestTypes';

let fx: EvidenceFixture;
let ctx: ExportContext;
let cam2: string;
let cam2Sightings: FixtureSighting[];
let b1: number;
let b2: number;
let outCount = 0;
const freshOut = (): string => path.join(fx.dir, `out${++outCount}`);
const exportsMade = (): number => listAudit(fx.db).filter((e) => e.action === 'export made').length;

before(async () => {
  fx = await makeEvidenceCase();
  ctx = { ffmpeg: fx.ffmpeg, ffprobe: fx.ffprobe, user: 'DC Test', models: TEST_MODELS, signingKey: testSigningKey(fx.dir) };
  cam2 = path.join(fx.dir, 'cam2.mp4');
  makeTestVideo(cam2, { creationTime: '2026-03-14T10:00:00Z' });
  const v2 = await insertVideo(fx.db, cam2, { camera: 'Car park' });
  cam2Sightings = insertSightings(fx.db, v2.videoId);
  b1 = addBookmark(fx.db, 'DC Test', { sightingId: fx.sightings[0].id, note: 'cam1 item' }).id;
  b2 = addBookmark(fx.db, 'DC Test', { sightingId: cam2Sightings[0].id, note: 'cam2 item' }).id;
});

after(() => fx?.cleanup());

test('an original changed since import is refused by name; the other item is still exported', async () => {
  const original = fs.readFileSync(cam2);
  const changed = Buffer.from(original);
  changed[Math.floor(changed.length / 2)] ^= 0xff; // same size, different bytes
  fs.writeFileSync(cam2, changed);
  try {
    const r = await exportEvidence(fx.db, ctx, { outDir: freshOut(), bookmarks: 'all', padS: 0.5 });
    assert.equal(r.items, 1);
    assert.equal(r.refused.length, 1);
    assert.equal(r.refused[0].bookmarkId, b2);
    assert.match(r.refused[0].reason, /changed since import/);
    assert.ok(r.refused[0].reason.includes(cam2), r.refused[0].reason);
    const m = JSON.parse(fs.readFileSync(path.join(r.bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    assert.deepEqual(m.items.map((i) => i.bookmarkId), [b1]);
    assert.deepEqual(m.refused, r.refused);
    assert.match(execFileSync('pdftotext', [path.join(r.bundleDir, 'report.pdf'), '-'], { encoding: 'utf8' }), /Bookmarks not exported/);
    assert.ok(verifyBundle(r.bundleDir).ok);
  } finally {
    fs.writeFileSync(cam2, original);
  }
});

test('an original moved away is refused as missing, naming its path', async () => {
  fs.renameSync(cam2, `${cam2}.moved`);
  try {
    const r = await exportEvidence(fx.db, ctx, { outDir: freshOut(), bookmarks: [b1, b2], padS: 0.5 });
    assert.equal(r.items, 1);
    assert.match(r.refused[0].reason, /missing/);
    assert.ok(r.refused[0].reason.includes(cam2));
  } finally {
    fs.renameSync(`${cam2}.moved`, cam2);
  }
});

test('when every item is refused, export fails and writes nothing', async () => {
  fs.renameSync(cam2, `${cam2}.moved`);
  const out = freshOut();
  const before = exportsMade();
  try {
    await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b2] }), (e: Error) => {
      assert.ok(e instanceof ExportError);
      assert.match(e.message, new RegExp(`nothing exported.*bookmark ${b2}.*missing`));
      return true;
    });
    assert.deepEqual(fs.readdirSync(out), []);
    assert.equal(exportsMade(), before);
  } finally {
    fs.renameSync(`${cam2}.moved`, cam2);
  }
});

test('unknown bookmark ids are an error before anything is written', async () => {
  const out = freshOut();
  await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b1, 999] }), /no such bookmark: 999/);
  assert.equal(fs.existsSync(out), false);
  await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: 'all', padS: -1 }), /padding/);
});

test('hostile notes and camera names cannot escape the bundle and still render', async () => {
  const hostileCamera = '../../evil\\dir\u0000\u0007CON/..';
  const hostileNote = `..\\..\\/etc/passwd\n\r\t\u0001\u001b[31m ${'A'.repeat(10_000)}`;
  fx.db.prepare('UPDATE videos SET camera = ? WHERE id = ?').run(hostileCamera, fx.videoId);
  const b = addBookmark(fx.db, 'DC Test', { sightingId: fx.sightings[1].id, note: hostileNote });
  const out = freshOut();
  const beforeEntries = fs.readdirSync(fx.dir).sort();
  try {
    const r = await exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b.id], padS: 0 });
    assert.equal(r.items, 1);
    assert.deepEqual(fs.readdirSync(fx.dir).sort(), beforeEntries.concat(path.basename(out)).sort());
    const items = fs.readdirSync(path.join(r.bundleDir, 'items'));
    assert.equal(items.length, 1);
    assert.match(items[0], /^b\d{4}-s\d{6}(-[a-z0-9]+(-[a-z0-9]+)*)?$/);
    assert.ok(items[0].length <= 40, items[0]);
    const m = JSON.parse(fs.readFileSync(path.join(r.bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(m.items[0].note, hostileNote);
    assert.equal(m.items[0].camera, hostileCamera);
    for (const f of m.files) assert.ok(!f.path.includes('..') && !path.isAbsolute(f.path), f.path);
    assert.ok(verifyBundle(r.bundleDir).ok);
    const pdf = path.join(r.bundleDir, 'report.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    assert.ok(pages >= 3, `a 10k-character note should flow over pages, got ${pages}`);
    execFileSync('pdftoppm', ['-r', '20', '-png', '-f', '1', '-l', '2', pdf, path.join(fx.dir, 'hostile-page')]);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    assert.ok(text.replace(/\s/g, '').includes('A'.repeat(500)));
  } finally {
    fx.db.prepare('UPDATE videos SET camera = ? WHERE id = ?').run('Front door', fx.videoId);
  }
});

test('a bookmark whose video was removed from the case is refused and still listed', async () => {
  const v2 = fx.db.prepare('SELECT video_id FROM sightings WHERE id = ?').pluck().get(cam2Sightings[0].id) as number;
  fx.db.pragma('foreign_keys = OFF');
  fx.db.prepare('DELETE FROM videos WHERE id = ?').run(v2);
  fx.db.pragma('foreign_keys = ON');
  const listed = listBookmarks(fx.db).find((x) => x.id === b2)!;
  assert.equal(listed.hit.video, '');
  const r = await exportEvidence(fx.db, ctx, { outDir: freshOut(), bookmarks: [b1, b2], padS: 0 });
  assert.equal(r.items, 1);
  assert.match(r.refused[0].reason, /no longer in the case/);
});

test('an output folder that cannot be created is named in the error', async () => {
  const out = path.join(fx.caseFile, 'exports'); // below a regular file
  await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b1] }), (e: Error) => {
    assert.ok(e instanceof ExportError);
    assert.ok(e.message.includes(out), e.message);
    return true;
  });
});

/** Mounts a small tmpfs (root only); null where this machine does not allow it. */
function mountTmpfs(dir: string, options: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a read-only output folder: error names it, nothing left behind', async (t) => {
  const out = path.join(fx.dir, 'readonly');
  if (!mountTmpfs(out, 'ro,size=1m')) { t.skip('cannot mount a read-only tmpfs here (needs root)'); return; }
  try {
    await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b1] }), (e: Error) => {
      assert.ok(e.message.includes(out), e.message);
      return true;
    });
    assert.deepEqual(fs.readdirSync(out), []);
  } finally {
    execFileSync('umount', [out]);
  }
});

test('a full disk mid-export: error names the folder, the temporary folder is removed, no audit entry', async (t) => {
  const out = path.join(fx.dir, 'full');
  if (!mountTmpfs(out, 'size=200k')) { t.skip('cannot mount a small tmpfs here (needs root)'); return; }
  const before = exportsMade();
  try {
    await assert.rejects(exportEvidence(fx.db, ctx, { outDir: out, bookmarks: [b1], padS: 2 }), (e: Error) => {
      assert.ok(e instanceof ExportError);
      assert.ok(e.message.includes(out), e.message);
      assert.match(e.message, /nothing was written/);
      assert.match(e.message, /No space left|ENOSPC/i);
      return true;
    });
    assert.deepEqual(fs.readdirSync(out), []);
    assert.equal(exportsMade(), before);
  } finally {
    execFileSync('umount', [out]);
  }
});
