// `sightline index` over a folder of good and bad inputs: every bad file is named with its reason,
// every good file is still indexed, the exit code says something failed, and nothing indexed is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli';
import {
  makeEmptyFile, makeNoDecoderVideo, makeTestVideo, makeTextFile, makeTruncatedMp4, makeUnicodeLongPath,
} from '../fixtures/videos';

test('bad inputs are named with their reason, good inputs are indexed, exit code 1', { timeout: 180_000 }, async () => {
  const dir = tempDir('bad-inputs');
  const footage = path.join(dir, 'footage');
  fs.mkdirSync(footage);
  const good = makeTestVideo(footage, { name: 'good.mp4', durationS: 2, fps: 10, width: 320, height: 240, figures: 2 });
  const bad: Record<string, RegExp> = {
    [makeEmptyFile(footage, 'empty.mp4')]: /empty/i,
    [makeTextFile(footage, 'notes.mp4')]: /not a video/i,
    [makeTruncatedMp4(footage, 'truncated.mp4')]: /truncated|corrupt/i,
    [makeNoDecoderVideo(footage, 'c64.avi')]: /unsupported codec/i,
  };
  const unicode = makeUnicodeLongPath(dir);
  const db = path.join(dir, 'case.sqlite');

  const r = await runCli(['index', footage, unicode, path.join(dir, 'missing.mp4'), '--db', db, '--json']);
  assert.equal(r.code, 1, r.stderr);
  for (const [file, reason] of Object.entries(bad)) {
    const line = r.stderr.split('\n').find((l) => l.includes(file));
    assert.ok(line, `stderr names ${file}:\n${r.stderr}`);
    assert.match(line!, reason);
  }
  assert.match(r.stderr, /missing\.mp4.*no such file/i);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; indexed?: number[]; failed?: unknown[] });
  const result = lines.find((l) => l.type === 'result')!;
  assert.equal(result.failed!.length, Object.keys(bad).length + 1);
  assert.ok(lines.some((l) => l.type === 'progress'), 'progress lines in --json mode');

  const before = new Database(db, { readonly: true });
  const videos = before.prepare("SELECT path, status FROM videos ORDER BY path").all() as { path: string; status: string }[];
  before.close();
  assert.deepEqual(videos.map((v) => [v.path, v.status]).sort(), [[good, 'done'], [unicode, 'done']].sort());

  // A second run with a duplicate and a new bad file loses nothing that is already indexed.
  const copy = path.join(dir, 'copy-of-good.mp4');
  fs.copyFileSync(good, copy);
  const again = await runCli(['index', copy, makeEmptyFile(dir, 'another-empty.mov'), '--db', db]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /copy-of-good\.mp4: already in the case/);
  const after = new Database(db, { readonly: true });
  assert.equal((after.prepare("SELECT count(*) AS n FROM videos WHERE status = 'done'").get() as { n: number }).n, 2);
  after.close();

  const status = await runCli(['status', '--db', db]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /videos\s+2 \(done 2/);
  assert.match(status.stdout, /provider\s+cpu/);
  assert.match(status.stdout, /empty\.mp4: /);
});

test('usage errors exit 2 and say what is missing', async () => {
  const r = await runCli(['index', '--db', path.join(tempDir('usage'), 'c.sqlite')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /at least one video/);
  const s = await runCli(['search', 'red jacket']);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /--db/);
  const open = await runCli(['search', 'red jacket', '--db', path.join(tempDir('usage'), 'nope.sqlite')]);
  assert.equal(open.code, 1);
  assert.match(open.stderr, /nope\.sqlite: no such case file/);
});
