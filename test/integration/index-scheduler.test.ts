// The case scheduler: three files indexed at once through the real job (ffmpeg, ONNX Runtime,
// SQLite) give exactly the rows of indexing them one after another; files really overlap; the
// whole import's progress rises to 1; and the job stays the case's one writer (a second process
// trying to index the case meanwhile is refused, naming the owner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openOrCreateCase, type Db } from '../../electron/engine/case/caseFile';
import type { Budget } from '../../electron/engine/indexing/budget';
import { runIndexJob, type IndexJobOptions } from '../../electron/engine/indexing/job';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import type { ProgressEvent } from '../../electron/engine/contract';
import { runCli, SAMPLE_VIDEO, tempDir, type CliResult } from '../helpers/cli';

/** Every detection as (file, time, box), and every sighting as the set of its detections: ids aside, the index. */
function indexOf(db: Db): { detections: string[]; sightings: string[] } {
  const rows = db.prepare(`SELECT v.file_name AS f, d.t_s AS t, d.x, d.y, d.w, d.h, d.sighting_id AS s FROM detections d JOIN videos v ON v.id = d.video_id
    ORDER BY v.file_name, d.t_s, d.x, d.y`).all() as { f: string; t: number; x: number; y: number; w: number; h: number; s: number }[];
  const key = (r: (typeof rows)[number]): string => `${r.f}@${r.t.toFixed(3)}:${[r.x, r.y, r.w, r.h].map((n) => n.toFixed(2)).join(',')}`;
  const by = new Map<number, string[]>();
  for (const r of rows) by.set(r.s, [...(by.get(r.s) ?? []), key(r)]);
  return { detections: rows.map(key), sightings: [...by.values()].map((k) => k.join(' ')).sort() };
}

test('the scheduler indexes several files at once into the same rows as one at a time, as the one writer', { timeout: 900_000 }, async () => {
  const tools = resolveFfmpeg();
  const dir = tempDir('scheduler');
  // Three different recordings (different bytes, different pictures).
  const files = [path.join(dir, 'cam1.mp4'), path.join(dir, 'cam2.mp4'), path.join(dir, 'cam3.mp4')];
  fs.copyFileSync(SAMPLE_VIDEO, files[0]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-i', SAMPLE_VIDEO, '-vf', 'hflip', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', files[1]]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-i', SAMPLE_VIDEO, '-t', '16', '-c', 'copy', files[2]]);
  const base: IndexJobOptions = { paths: files, fps: 2, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, user: 'test', provider: 'cpu', motionGate: true, coarsePass: true };

  const sequential = openOrCreateCase(path.join(dir, 'sequential.sqlite'), 'sequential');
  const seqReport = await runIndexJob(sequential, { ...base, parallelFiles: 1 });
  assert.equal(seqReport.indexed.length, 3, JSON.stringify(seqReport));

  const caseFile = path.join(dir, 'parallel.sqlite');
  const parallel = openOrCreateCase(caseFile, 'parallel');
  let budget: Budget | null = null;
  const events: ProgressEvent[] = [];
  const running = new Set<number>();
  let mostAtOnce = 0;
  let intruder: Promise<CliResult> | null = null;
  const report = await runIndexJob(parallel, {
    ...base, cores: 3, onBudget: (b) => { budget = b; },
    onProgress: (e) => {
      events.push(e);
      if (e.kind !== 'index' || e.videoId === null) return;
      if (e.phase === 'indexing') running.add(e.videoId); else running.delete(e.videoId);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      // A second process tries to index the case while the scheduler works on it.
      intruder ??= runCli(['index', SAMPLE_VIDEO, '--db', caseFile, '--no-proxies']);
    },
  });
  assert.equal(report.indexed.length, 3, JSON.stringify(report));
  assert.equal((budget as Budget | null)?.files, 3, `budget ${JSON.stringify(budget)}`);
  assert.ok(mostAtOnce >= 2, `at most ${mostAtOnce} file(s) were indexing at once`);

  const a = indexOf(sequential), b = indexOf(parallel);
  assert.ok(a.detections.length > 50, `${a.detections.length} detections`);
  assert.deepEqual(b.detections, a.detections, 'same detections as one file at a time');
  assert.deepEqual(b.sightings, a.sightings, 'same sightings as one file at a time');

  // The whole import's progress: 'case' events, never going back, ending at 1.
  const caseEvents = events.filter((e) => e.kind === 'case');
  assert.ok(caseEvents.length >= 2, `${caseEvents.length} case events`);
  for (let i = 1; i < caseEvents.length; i++) assert.ok(caseEvents[i].fraction >= caseEvents[i - 1].fraction - 1e-9, 'case progress never goes back');
  assert.equal(caseEvents.at(-1)!.fraction, 1);
  assert.equal(caseEvents.at(-1)!.phase, 'done');
  assert.ok(caseEvents.some((e) => e.etaS !== null && e.etaS > 0), 'an ETA was given while indexing');

  const refused = await intruder!;
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, new RegExp(`${process.pid}`), 'the refusal names the process holding the case');
  assert.equal(parallel.prepare('SELECT COUNT(*) FROM writer_lock').pluck().get(), 0, 'the lock was released');
  sequential.close();
  parallel.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
