// The review workflow through the CLI on the real sample case (real indexing, SQLite, IVT): status
// counts embeddings of the current model, results rejected as "not a person" are hidden (audited) unless
// asked for, paging goes past the first page, thumbnails are written as PNG files, moved footage is
// relinked only to a file with the imported SHA-256.
import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../electron/engine/api';
import { runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';

let dir: string;
let db: string;
let video: string;
const search = async (...extra: string[]) => {
  const r = await runCli(['search', 'red jacket', '--db', db, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  // A description search prints one object: the interpretation and the hits.
  return (JSON.parse(r.stdout) as { hits: { sighting: number; thumbnail: string; rejected: string | null }[] }).hits;
};

before(async () => {
  dir = tempDir('sightline-review-');
  db = path.join(dir, 'case.sightline');
  video = path.join(dir, 'footage', 'street.mp4');
  fs.mkdirSync(path.dirname(video), { recursive: true });
  fs.copyFileSync(SAMPLE_VIDEO, video);
  const r = await runCli(['index', video, '--db', db, '--fps', '2']);
  assert.equal(r.code, 0, r.stderr);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('status counts the embeddings of the model in use (id@version), and lists each video\'s playable file', async () => {
  const r = await runCli(['status', '--db', db, '--json']);
  const s = JSON.parse(r.stdout) as { embeddings: number; sightings: number; playback: { videoId: number; state: string; file: string }[] };
  assert.ok(s.sightings > 0);
  assert.ok(s.embeddings >= s.sightings, `embeddings ${s.embeddings} for ${s.sightings} sightings`);
  assert.deepEqual(s.playback.map((p) => [p.state, p.file]), [['native', video]]);
});

test('paging: --offset continues the ranking where the first page stopped', async () => {
  const all = await search('--top', '6');
  assert.ok(all.length >= 4, `only ${all.length} sightings in the sample`);
  const first = await search('--top', '2');
  const second = await search('--top', '2', '--offset', '2');
  assert.deepEqual([...first, ...second].map((h) => h.sighting), all.slice(0, 4).map((h) => h.sighting));
  const e = new Engine();
  try {
    await e.openCase(db);
    const page = await e.search({ text: 'red jacket', top: 2 });
    assert.equal(page.nextOffset, 2);
    const last = await e.search({ text: 'red jacket', top: 100 });
    assert.equal(last.nextOffset, null);
  } finally { await e.close(); }
});

test('a result marked "not a person" is hidden from later searches (unless asked for) and the mark is audited', async () => {
  const before = await search('--top', '100');
  const victim = before[0].sighting;
  const e = new Engine({ user: 'DC Jones' });
  try {
    await e.openCase(db);
    await e.rejectSighting(victim, 'not a person');
  } finally { await e.close(); }
  const afterHits = await search('--top', '100');
  assert.ok(!afterHits.some((h) => h.sighting === victim), 'rejected result still listed');
  assert.equal(afterHits.length, before.length - 1);
  const withRejected = await search('--top', '100', '--include-rejected');
  assert.equal(withRejected.find((h) => h.sighting === victim)?.rejected, 'not a person');
  const audit = await runCli(['audit', 'verify', '--db', db]);
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  const e2 = new Engine({ user: 'DC Jones' });
  try {
    await e2.openCase(db);
    await e2.rejectSighting(victim, null);
    assert.ok((await e2.search({ text: 'red jacket', top: 100 })).hits.some((h) => h.sighting === victim), 'restored');
  } finally { await e2.close(); }
  // The log records who set it aside and why (read straight from the case file).
  const Database = require('better-sqlite3');
  const raw = new Database(db, { readonly: true });
  const rows = raw.prepare("SELECT user, action, details FROM audit_log WHERE action IN ('result rejected','result restored') ORDER BY seq").all() as { user: string; action: string; details: string }[];
  raw.close();
  assert.deepEqual(rows.map((r) => [r.user, r.action, JSON.parse(r.details).sightingId]), [['DC Jones', 'result rejected', victim], ['DC Jones', 'result restored', victim]]);
});

test('a wall-clock From/To keeps only sightings inside it, in each clocked video\'s own time', async () => {
  const e = new Engine();
  try {
    await e.openCase(db);
    const all = (await e.search({ text: 'red jacket', top: 100 })).hits;
    const none = await e.search({ text: 'red jacket', top: 100, fromWall: '2024-05-01T14:00:00Z' });
    assert.equal(none.hits.length, 0, 'a video without a clock cannot match a wall-clock range');
    await e.setClockCorrection(1, '2024-05-01T14:00:00+01:00');
    const from = '2024-05-01T13:00:05Z';
    const to = '2024-05-01T14:00:12+01:00';
    const hits = (await e.search({ text: 'red jacket', top: 100, fromWall: from, toWall: to })).hits;
    // 13:00:05Z–14:00:12+01:00 is [5 s, 12 s] of a file that starts at 14:00:00+01:00.
    assert.ok(hits.length > 0 && hits.length < all.length, `${hits.length} of ${all.length}`);
    for (const h of hits) assert.ok(h.start <= 12 && h.end >= 5, `sighting ${h.sighting} ${h.start}–${h.end} outside the range`);
    assert.deepEqual(hits.map((h) => h.sighting), (await e.search({ text: 'red jacket', top: 100, from: 5, to: 12 })).hits.map((h) => h.sighting));
    await e.setClockCorrection(1, null);
  } finally { await e.close(); }
});

test('--thumbnails writes a PNG per hit and puts its path in the JSON', async () => {
  const out = path.join(dir, 'thumbs');
  const hits = await search('--top', '3', '--thumbnails', out);
  assert.ok(hits.length > 0);
  for (const h of hits) {
    assert.equal(h.thumbnail, path.join(out, `sighting-${h.sighting}.png`));
    assert.deepEqual([...fs.readFileSync(h.thumbnail).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  }
});

test('relink: moved footage is accepted only with the imported SHA-256', async () => {
  const moved = path.join(dir, 'archive', 'street-moved.mp4');
  fs.mkdirSync(path.dirname(moved), { recursive: true });
  fs.renameSync(video, moved);
  const other = path.join(dir, 'archive', 'other.mp4');
  fs.writeFileSync(other, Buffer.concat([fs.readFileSync(moved), Buffer.from([0])]));
  const refused = await runCli(['relink', '--db', db, '--video', '1', other]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /other\.mp4: not the imported file/);
  const unknown = await runCli(['relink', '--db', db, other]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no video of this case has this content/);
  const ok = await runCli(['relink', '--db', db, moved]);
  assert.equal(ok.code, 0, ok.stderr);
  const s = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout) as { videoList: { path: string }[] };
  assert.equal(s.videoList[0].path, moved);
  const audit = await runCli(['audit', 'verify', '--db', db]);
  assert.equal(audit.code, 0);
});
