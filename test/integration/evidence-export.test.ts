// Evidence export end to end with real ffmpeg and a real case file: bundle contents, stream-copy
// alignment, snapshot size, PDF pages, verification, and tampering detection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeEvidenceCase, TEST_MODELS, testSigningKey, type EvidenceFixture } from '../fixtures/evidenceCase';
import { addBookmark } from '../../electron/engine/evidence/bookmarks';
import { exportEvidence } from '../../electron/engine/evidence/export';
import { verifyBundle } from '../../electron/engine/evidence/verify';
import { listAudit } from '../../electron/engine/case/audit';
import type { Manifest } from '../../electron/engine/evidence/manifestTypes';

let fx: EvidenceFixture;
let bundle: string;
let manifest: Manifest;
const progress: string[] = [];

before(async () => {
  fx = await makeEvidenceCase();
  addBookmark(fx.db, 'DC Test', { sightingId: fx.sightings[0].id, note: 'Suspect enters, red jacket', query: 'man in a red jacket', score: 0.4312 });
  addBookmark(fx.db, 'DC Test', { sightingId: fx.sightings[1].id, note: '' });
  const report = await exportEvidence(fx.db, { ffmpeg: fx.ffmpeg, ffprobe: fx.ffprobe, user: 'DC Test', models: TEST_MODELS, signingKey: testSigningKey(fx.dir) },
    { outDir: path.join(fx.dir, 'out'), bookmarks: 'all', padS: 1 }, (e) => progress.push(`${e.phase}:${e.fraction}`));
  assert.equal(report.items, 2);
  assert.deepEqual(report.refused, []);
  bundle = report.bundleDir;
  manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as Manifest;
});

after(() => fx?.cleanup());

const ffprobeJson = (file: string, args: string[]): any => JSON.parse(execFileSync(fx.ffprobe, ['-v', 'error', ...args, '-of', 'json', file], { encoding: 'utf8' }));

test('bundle is complete, renamed into place, and leaves no temporary folder', () => {
  const names = fs.readdirSync(path.dirname(bundle));
  assert.deepEqual(names, [path.basename(bundle)]);
  for (const f of ['report.pdf', 'manifest.json', 'SHA256SUMS', 'audit-log.jsonl']) assert.ok(fs.existsSync(path.join(bundle, f)), f);
  assert.equal(manifest.items.length, 2);
  const item = manifest.items[0];
  for (const f of Object.values(item.files)) assert.ok(fs.statSync(path.join(bundle, f.path)).size > 0, f.path);
  assert.equal(item.source.sha256, fx.db.prepare('SELECT sha256 FROM videos WHERE id = ?').pluck().get(fx.videoId));
  assert.equal(item.wallClock.time, '2026-03-14T09:30:02.000Z');
  assert.equal(manifest.case.caseNumber, 'CR-2026-0042');
  assert.deepEqual(manifest.models, TEST_MODELS);
  assert.ok(manifest.queries.includes('man in a red jacket'));
  assert.ok(manifest.audit.chainVerified);
  assert.ok(progress.some((p) => p.startsWith('hashing')) && progress.at(-1) === 'done:1');
});

test('export is recorded in the audit log', () => {
  const last = listAudit(fx.db).at(-1)!;
  assert.equal(last.action, 'export made');
  assert.equal(last.details.bundle, bundle);
});

test('SHA256SUMS is accepted by sha256sum -c', () => {
  const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: bundle, encoding: 'utf8' });
  assert.match(out, /report\.pdf: OK/);
  assert.doesNotMatch(out, /FAILED/);
});

test('stream-copy clip starts on a source keyframe and its recorded start/end match ffprobe', () => {
  const clip = manifest.items[0].files.originalClip;
  assert.equal(clip.container, 'mp4');
  // requested 0.5 s (1.5 - 1 s pad); the keyframe before it is 0 s (GOP = 1 s)
  assert.equal(clip.requestedStartS, 0.5);
  assert.equal(clip.actualStartS, 0);
  const packets = ffprobeJson(path.join(bundle, clip.path), ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time,flags']).packets as { pts_time: string; duration_time: string; flags: string }[];
  const first = Math.min(...packets.map((p) => Number(p.pts_time)));
  const last = Math.max(...packets.map((p) => Number(p.pts_time) + Number(p.duration_time)));
  assert.ok(Math.abs(clip.actualEndS - clip.actualStartS - (last - first)) < 1e-3, `${clip.actualEndS - clip.actualStartS} vs ${last - first}`);
  assert.ok(packets.find((p) => Number(p.pts_time) === first)!.flags.includes('K'));
  assert.ok(clip.actualEndS >= clip.requestedEndS - 0.1 && clip.actualEndS <= clip.requestedEndS + 0.2, String(clip.actualEndS));
  // second item: requested 2.5 s; keyframe at 2 s
  assert.equal(manifest.items[1].files.originalClip.actualStartS, 2);
  const codec = ffprobeJson(path.join(bundle, clip.path), ['-show_entries', 'stream=codec_name']).streams[0].codec_name;
  assert.equal(codec, 'h264');
});

test('annotated clip is H.264 MP4 covering exactly the requested window', () => {
  const a = manifest.items[0].files.annotatedClip;
  const info = ffprobeJson(path.join(bundle, a.path), ['-show_entries', 'stream=codec_name,nb_frames:format=format_name']);
  assert.equal(info.streams[0].codec_name, 'h264');
  assert.match(info.format.format_name, /mp4/);
  assert.equal(Number(info.streams[0].nb_frames), 30); // 0.5 .. 3.5 s (sighting 1.5..2.5 s, 1 s pad) at 10 fps
  assert.equal(a.timestampBurnedIn, true);
});

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  assert.equal(b.toString('latin1', 1, 4), 'PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

test('snapshots are full resolution PNGs, with and without the box, and differ', () => {
  const it = manifest.items[0];
  assert.deepEqual(pngSize(path.join(bundle, it.files.snapshot.path)), [fx.width, fx.height]);
  assert.deepEqual(pngSize(path.join(bundle, it.files.snapshotAnnotated.path)), [fx.width, fx.height]);
  assert.notDeepEqual(fs.readFileSync(path.join(bundle, it.files.snapshot.path)), fs.readFileSync(path.join(bundle, it.files.snapshotAnnotated.path)));
});

test('PDF report renders with pdftoppm; page count matches pdfinfo', () => {
  const pdf = path.join(bundle, 'report.pdf');
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  assert.ok(pages >= 1);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-pdf-'));
  try {
    execFileSync('pdftoppm', ['-r', '50', '-png', pdf, path.join(outDir, 'page')], { stdio: ['ignore', 'ignore', 'pipe'] });
    assert.equal(fs.readdirSync(outDir).filter((f) => f.endsWith('.png')).length, pages);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    assert.match(text, /CR-2026-0042/);
    assert.match(text, /man in a red jacket/);
    assert.match(text, new RegExp(manifest.items[0].source.sha256.slice(0, 40)));
    assert.match(text, /2026-03-14T09:30:02.000Z/);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});

test('verify passes on the fresh bundle, then fails after one byte of any file changes', () => {
  const fresh = verifyBundle(bundle);
  assert.deepEqual(fresh.problems, []);
  assert.ok(fresh.ok);
  const files = fs.readFileSync(path.join(bundle, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66)).concat('SHA256SUMS');
  for (const rel of files) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-tamper-'));
    try {
      fs.cpSync(bundle, copy, { recursive: true });
      const f = path.join(copy, rel);
      const bytes = fs.readFileSync(f);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] ^ 0x01;
      fs.writeFileSync(f, bytes);
      const v = verifyBundle(copy);
      assert.equal(v.ok, false, `changing one byte of ${rel} went unnoticed`);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }
});

test('verify reports missing and extra files by name', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-tamper-'));
  try {
    fs.cpSync(bundle, copy, { recursive: true });
    fs.rmSync(path.join(copy, manifest.items[1].files.snapshot.path));
    fs.writeFileSync(path.join(copy, 'planted.txt'), 'x');
    const v = verifyBundle(copy);
    assert.equal(v.ok, false);
    assert.ok(v.problems.some((p) => p.startsWith(`${manifest.items[1].files.snapshot.path}: missing`)), v.problems.join('\n'));
    assert.ok(v.problems.some((p) => p.startsWith('planted.txt: extra file')), v.problems.join('\n'));
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test("the investigator's clock correction wins over the container time, in manifest and burned-in text", async () => {
  fx.db.prepare('UPDATE videos SET true_start_time = ? WHERE id = ?').run('2026-03-14T08:00:00.000Z', fx.videoId);
  const r = await exportEvidence(fx.db, { ffmpeg: fx.ffmpeg, ffprobe: fx.ffprobe, user: 'DC Test', models: TEST_MODELS, signingKey: testSigningKey(fx.dir) },
    { outDir: path.join(fx.dir, 'out-corrected'), bookmarks: [1], padS: 0 });
  const m = JSON.parse(fs.readFileSync(path.join(r.bundleDir, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.items[0].wallClock.time, '2026-03-14T08:00:02.000Z');
  assert.equal(m.items[0].wallClock.basis, 'investigator clock correction');
  assert.match(execFileSync('pdftotext', [path.join(r.bundleDir, 'report.pdf'), '-'], { encoding: 'utf8' }), /2026-03-14T08:00:02.000Z - from investigator clock correction/);
});
