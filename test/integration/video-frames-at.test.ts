// framesAt (video/framesAt.ts) against a full sampler pass on real footage: the frame it hands out for
// a moment is the very frame the indexer saw then (same pts, same pixels), whether the moment is
// reached by decoding through, by a seek across a long gap, shared by two moments, or missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { framesAt } from '../../electron/engine/video/framesAt';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { SAMPLE_VIDEO } from '../helpers/cli';
import { ffmpegBin } from '../fixtures/videos';

test('framesAt gives the sampler\'s own frames at the asked moments, across seeks; moments without a frame are skipped', { timeout: 120_000 }, async () => {
  const fps = 2;
  const all: Frame[] = [];
  for await (const f of sampleFrames(SAMPLE_VIDEO, { ffmpegPath: ffmpegBin(), fps, maxSide: 640 })) all.push({ ...f, data: Uint8Array.from(f.data) });
  assert.ok(all.length >= 40, `${all.length} frames`);
  // Near moments (decoded through), one shared by two asks, a moment between ticks (no frame), a jump of more than 10 s (a seek), the last frame.
  const pick = [all[1], all[2], all[2], all[4], all[30], all[all.length - 1]];
  const times = [pick[0].timeS, pick[1].timeS, pick[2].timeS, pick[3].timeS - 0.2, pick[3].timeS, pick[4].timeS, pick[5].timeS];
  const got: { index: number; frame: Frame }[] = [];
  for await (const x of framesAt(SAMPLE_VIDEO, times, { ffmpeg: ffmpegBin(), fps, maxSide: 640 })) got.push({ index: x.index, frame: { ...x.frame, data: Uint8Array.from(x.frame.data) } });
  assert.deepEqual(got.map((g) => g.index), [0, 1, 2, 4, 5, 6], 'every moment with a frame, in order; the one between ticks skipped');
  const want = [pick[0], pick[1], pick[2], pick[3], pick[4], pick[5]];
  got.forEach((g, i) => {
    assert.equal(g.frame.timeS, want[i].timeS);
    assert.equal(g.frame.width, want[i].width);
    assert.ok(Buffer.from(g.frame.data).equals(Buffer.from(want[i].data)), `frame at ${want[i].timeS} s: the same pixels as the full pass`);
  });
  const none: unknown[] = [];
  for await (const x of framesAt(SAMPLE_VIDEO, [all[all.length - 1].timeS + 5], { ffmpeg: ffmpegBin(), fps, maxSide: 640 })) none.push(x);
  assert.deepEqual(none, [], 'a moment past the end yields nothing (and ends)');
});
