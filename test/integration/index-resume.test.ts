// kill -9 in the middle of indexing, then index again: the result must equal an uninterrupted run
// (nothing lost, nothing duplicated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, SAMPLE_VIDEO, startCli, tempDir } from '../helpers/cli';
import { snapshot } from '../reliability/helpers';

async function waitForCommittedBatches(dbFile: string, minT: number, child: ReturnType<typeof startCli>): Promise<number> {
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error('indexing finished before it could be killed');
    if (fs.existsSync(dbFile)) {
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        const row = db.prepare('SELECT indexed_until_s AS t FROM videos LIMIT 1').get() as { t: number } | undefined;
        db.close();
        if (row && row.t >= minT) return row.t;
      } catch { /* schema not there yet */ }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no batch committed in time');
}

test('a killed index run resumes from the last committed batch and equals an uninterrupted run', { timeout: 300_000 }, async () => {
  const dir = tempDir('resume');
  // Three copies of the sample back to back: long enough to be killed half-way.
  const long = path.join(dir, 'long.mp4');
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, `file '${SAMPLE_VIDEO}'\n`.repeat(3));
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', long]);

  const reference = path.join(dir, 'reference.sqlite');
  const ref = await runCli(['index', long, '--db', reference]);
  assert.equal(ref.code, 0, ref.stderr);

  const resumed = path.join(dir, 'resumed.sqlite');
  const child = startCli(['index', long, '--db', resumed]);
  const committed = await waitForCommittedBatches(resumed, 5, child);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  const partial = snapshot(resumed);
  assert.ok(partial.detections.length > 0, 'something was committed before the kill');
  assert.ok(partial.detections.length < snapshot(reference).detections.length, `killed at ${committed} s, before the end`);

  const again = await runCli(['index', long, '--db', resumed]);
  assert.equal(again.code, 0, again.stderr);
  const a = snapshot(resumed), b = snapshot(reference);
  assert.equal(new Set(a.detections).size, a.detections.length, 'no duplicated detection');
  assert.deepEqual(a.detections, b.detections);
  assert.deepEqual(a.sightings, b.sightings);
  assert.equal(a.embeddings, b.embeddings);
});
