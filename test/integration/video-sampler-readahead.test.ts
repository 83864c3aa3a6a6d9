// The read-ahead reader thread (SampleOptions.readAhead) must hand out exactly the frames the
// on-demand sampler does, report failures the same way, and stop ffmpeg on abort or early exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleFrames } from '../../electron/engine/video/sampler';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-readahead-'));
const clip = path.join(dir, 'clip.mp4');
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip]);

async function collect(file: string, readAhead: number, extra: { startS?: number } = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const f of sampleFrames(file, { ffmpegPath: 'ffmpeg', fps: 2, maxSide: 320, readAhead, ...extra })) {
    out.push(`${f.index}:${f.timeS.toFixed(4)}:${f.width}x${f.height}:${f.scale}:${createHash('sha1').update(f.data).digest('hex')}`);
  }
  return out;
}

test('read-ahead yields the same frames as on-demand reading, also when resuming', async () => {
  const plain = await collect(clip, 0);
  assert.equal(plain.length, 12);
  assert.deepEqual(await collect(clip, 4), plain);
  assert.deepEqual(await collect(clip, 4, { startS: 2.2 }), await collect(clip, 0, { startS: 2.2 }));
});

test('read-ahead reports a file that is not a video with the same reason', async () => {
  const bad = path.join(dir, 'notes.mp4');
  fs.writeFileSync(bad, 'not a video at all\n'.repeat(50));
  const reason = async (readAhead: number): Promise<string> => {
    try {
      for await (const _ of sampleFrames(bad, { ffmpegPath: 'ffmpeg', fps: 2, readAhead })) { /* none */ }
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return 'no error';
  };
  const expected = await reason(0);
  assert.match(expected, /^VideoError: /);
  assert.equal(await reason(4), expected);
});

test('read-ahead stops on abort and on an early break', async () => {
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(async () => {
    for await (const _ of sampleFrames(clip, { ffmpegPath: 'ffmpeg', fps: 2, readAhead: 2, signal: ac.signal })) {
      if (++n === 2) ac.abort();
    }
  }, { name: 'AbortError' });
  assert.equal(n, 2);
  let m = 0;
  for await (const _ of sampleFrames(clip, { ffmpegPath: 'ffmpeg', fps: 2, readAhead: 2 })) if (++m === 3) break;
  assert.equal(m, 3);
});
