// The coarse pass's plan, the range walk of the full pass, the core budget and the whole-import
// progress: the decisions of issue 16 that need no footage (the footage tests are integration tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_COARSE, framesAround, planSkips, StillRuns, type KeyframeLook } from '../../electron/engine/indexing/coarsePass';
import { budgetFor, decodeShare } from '../../electron/engine/indexing/budget';
import { CaseProgress, runScheduled } from '../../electron/engine/indexing/scheduler';
import type { Frame } from '../../electron/engine/video/sampler';
import type { ProgressEvent } from '../../electron/engine/contract';

/** Keyframes every `gop` s up to `end`; `people`/`changed` say which are not quiet. */
const looks = (end: number, gop: number, o: { people?: number[]; changed?: number[]; unseen?: number[] } = {}): KeyframeLook[] => {
  const out: KeyframeLook[] = [];
  for (let t = 0; t <= end + 1e-9; t += gop) {
    out.push({ timeS: t, changed: t === 0 || o.changed?.includes(t) ? 0.5 : 0, people: o.unseen?.includes(t) ? null : o.people?.includes(t) ? 1 : 0 });
  }
  return out;
};

test('planSkips: a quiet recording is skipped but for a margin of one GOP (at least marginS) at each end', () => {
  const p = planSkips(looks(60, 2));
  assert.equal(p.gopS, 2);
  assert.deepEqual(p.skips, [{ afterS: 2, untilS: 58 }]);
  assert.equal(p.skippedS, 56);
  // A longer GOP widens the margins to one GOP.
  assert.deepEqual(planSkips(looks(60, 3), { ...DEFAULT_COARSE, maxKeyframeGapS: 4 }).skips, [{ afterS: 3, untilS: 57 }]);
});

test('planSkips: people, change, an unseen keyframe or a long keyframe gap keep their stretch', () => {
  // Somebody on the keyframe at 30 s: the intervals on both sides of it are decoded, plus margins.
  assert.deepEqual(planSkips(looks(60, 2, { people: [30] })).skips, [{ afterS: 2, untilS: 26 }, { afterS: 34, untilS: 58 }]);
  // The picture changed between 28 and 30 s: that interval is decoded.
  assert.deepEqual(planSkips(looks(60, 2, { changed: [30] })).skips, [{ afterS: 2, untilS: 26 }, { afterS: 32, untilS: 58 }]);
  // The detector did not look at 30 s: not known to be empty, not skipped.
  assert.deepEqual(planSkips(looks(60, 2, { unseen: [30] })).skips, [{ afterS: 2, untilS: 26 }, { afterS: 34, untilS: 58 }]);
  // Keyframes 5 s apart (over maxKeyframeGapS): nothing is trusted, nothing skipped.
  assert.deepEqual(planSkips(looks(60, 5)).skips, []);
  // Quiet runs shorter than minSkipS after the margins are not worth a seek.
  assert.deepEqual(planSkips(looks(60, 2, { people: [10, 50] })).skips, [{ afterS: 14, untilS: 46 }]);
  assert.deepEqual(planSkips(looks(10, 2)).skips, []);
  assert.deepEqual(planSkips([]).skips, []);
});

/** Feeds keyframes (time, changed) to StillRuns: which were looked at, and whose look each takes. */
const stillRuns = (keys: [number, number][], relookS: number): { looked: number[]; from: (number | null)[] } => {
  const runs = new StillRuns(relookS);
  const looked: number[] = [];
  const from: (number | null)[] = [];
  for (const [t, changed] of keys) {
    const step = runs.add(t, changed);
    looked.push(...step.look);
    from.push(step.from);
    for (const i of step.look) from[i] = i;
  }
  return { looked, from };
};

test('StillRuns: the detector looks at a still run\'s first keyframe and again every relookS; changed keyframes are unseen', () => {
  // Keyframes every 2 s from 0 to 30 s; change at 0 (the first), 22 and 24; still elsewhere.
  const keys: [number, number][] = Array.from({ length: 16 }, (_, i) => [i * 2, [0, 22, 24].includes(i * 2) ? 0.3 : 0]);
  const { looked, from } = stillRuns(keys, 10);
  // Run 0–20 s: looked at 0, then 10 and 20 (relook); run 24–30 s: looked at 24 (its first keyframe).
  assert.deepEqual(looked.map((i) => keys[i][0]), [0, 10, 20, 24]);
  assert.deepEqual(from.map((f) => (f === null ? null : keys[f][0])), [0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 20, null, 24, 24, 24, 24]);
  // relookS 0: every keyframe of a still run is looked at (the behaviour before still runs).
  const all = stillRuns(keys, 0);
  assert.deepEqual(all.looked.map((i) => keys[i][0]), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 26, 28, 30]);
  assert.deepEqual(all.from, all.from.map((f, i) => (f === null ? null : i)));
});

test('StillRuns + planSkips: a person standing through a still run keeps it; one entering breaks the run', () => {
  // The detector's truth per keyframe: someone stands from 20 s on (seen on the run's first keyframe, 20 s).
  const keys: [number, number][] = Array.from({ length: 31 }, (_, i) => [i * 2, i === 0 || i === 10 ? 0.3 : 0]);
  const truth = (t: number): number => (t >= 20 ? 1 : 0);
  const plan = (relookS: number) => {
    const { from } = stillRuns(keys, relookS);
    return planSkips(keys.map(([t, changed], i) => ({ timeS: t, changed, people: from[i] === null ? null : truth(keys[from[i]!][0]) })));
  };
  // Only 0–20 s is skipped (less margins), with still runs as when every keyframe was looked at.
  assert.deepEqual(plan(10).skips, [{ afterS: 2, untilS: 16 }]);
  assert.deepEqual(plan(10).skips, plan(0).skips);
});

/** A sampler stand-in over fixed times (the real sampler's resume contract: frames with t > startS). */
function sampler(times: number[], calls: (number | undefined)[]) {
  return async function* (startS: number | undefined): AsyncGenerator<Frame> {
    calls.push(startS);
    for (const t of times) if (startS === undefined || t > startS) yield { index: 0, timeS: t, width: 1, height: 1, data: new Uint8Array(3), scale: 1 };
  };
}
const collect = async (g: AsyncGenerator<Frame>): Promise<number[]> => { const out: number[] = []; for await (const f of g) out.push(f.timeS); return out; };
const ticks = Array.from({ length: 61 }, (_, i) => i * 0.5); // 0 … 30 s at 2 fps

test('framesAround: one sampler run per range, each seeking past its skip; resumes inside or before a skip', async () => {
  const skips = [{ afterS: 2, untilS: 16 }, { afterS: 20, untilS: 26 }];
  const calls: (number | undefined)[] = [];
  const all = await collect(framesAround(skips, undefined, sampler(ticks, calls)));
  assert.deepEqual(all, ticks.filter((t) => t <= 2 || (t > 16 && t <= 20) || t > 26));
  assert.deepEqual(calls, [undefined, 16, 26]);
  // Resumed inside the first skip: starts at its end.
  const c2: (number | undefined)[] = [];
  assert.deepEqual(await collect(framesAround(skips, 5, sampler(ticks, c2))), all.filter((t) => t > 5));
  assert.deepEqual(c2, [16, 26]);
  // Resumed between the skips, and past them all.
  assert.deepEqual(await collect(framesAround(skips, 18, sampler(ticks, []))), all.filter((t) => t > 18));
  assert.deepEqual(await collect(framesAround(skips, 27, sampler(ticks, []))), all.filter((t) => t > 27));
  // No plan: the plain sampler.
  assert.deepEqual(await collect(framesAround([], undefined, sampler(ticks, []))), ticks);
});

test('budgetFor: files at once within the cores; ONNX threads from the decode share (1 on 1080p H.264, 2 on SD, 2 cores)', () => {
  const saved = process.env.SIGHTLINE_THREADS;
  delete process.env.SIGHTLINE_THREADS;
  try {
    const hd = { width: 1920, height: 1080, fps: 25, sampleFps: 2, durationS: 300 };
    const sd = { width: 768, height: 576, fps: 10, sampleFps: 2, durationS: 80 };
    assert.ok(decodeShare(hd) > 0.6 && decodeShare(sd) < 0.2, `${decodeShare(hd)} ${decodeShare(sd)}`);
    assert.deepEqual(budgetFor([hd], 2), { cores: 2, files: 1, decodeThreads: 2, onnxThreads: 1, decodeShare: decodeShare(hd) });
    assert.equal(budgetFor([sd], 2).onnxThreads, 2);
    assert.deepEqual({ ...budgetFor([hd, hd, hd, hd], 2), decodeShare: 0 }, { cores: 2, files: 2, decodeThreads: 1, onnxThreads: 1, decodeShare: 0 });
    const big = budgetFor([hd, hd, hd, hd], 16);
    assert.equal(big.files, 4);
    assert.equal(big.decodeThreads, 4);
    assert.equal(budgetFor(Array(20).fill(hd), 64).files, 8, 'never more than MAX_PARALLEL_FILES');
    process.env.SIGHTLINE_THREADS = '3';
    assert.equal(budgetFor([hd], 2).onnxThreads, 3, 'SIGHTLINE_THREADS fixes it');
  } finally {
    if (saved === undefined) delete process.env.SIGHTLINE_THREADS; else process.env.SIGHTLINE_THREADS = saved;
  }
});

test('CaseProgress: duration-weighted, resumed files count what they had, ends at 1', () => {
  const out: ProgressEvent[] = [];
  const p = new CaseProgress([{ id: 1, path: 'a', duration_s: 300, progress: 0.5 }, { id: 2, path: 'b', duration_s: 100, progress: 0 }], '/c.sqlite', (e) => out.push(e));
  assert.equal(p.fraction(), 0.375);
  p.update({ kind: 'index', videoId: 2, path: 'b', phase: 'indexing', fraction: 0.5, etaS: null });
  assert.equal(p.fraction(), 0.5);
  assert.equal(out.at(-1)!.kind, 'case');
  assert.equal(out.at(-1)!.fraction, 0.5);
  p.update({ kind: 'index', videoId: 9, path: 'x', phase: 'indexing', fraction: 0.9, etaS: null }); // not this import's
  assert.equal(p.fraction(), 0.5);
  p.update({ kind: 'index', videoId: 1, path: 'a', phase: 'done', fraction: 1, etaS: 0 });
  p.update({ kind: 'import', videoId: 2, path: 'b', phase: 'failed', fraction: 1, etaS: null });
  assert.deepEqual(out.at(-1), { kind: 'case', videoId: null, path: '/c.sqlite', phase: 'done', fraction: 1, etaS: 0 });
});

test('runScheduled: at most `parallel` files at once, every file once, no new file after stop', async () => {
  const videos = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, path: `v${i}`, duration_s: 10, progress: 0 }));
  let now = 0, most = 0;
  const seen: number[] = [];
  await runScheduled(videos, async (v) => {
    now++; most = Math.max(most, now); seen.push(v.id);
    await new Promise((r) => setTimeout(r, 5 + (v.id % 3) * 5));
    now--;
    return 'next';
  }, { parallel: 3, casePath: 'c' });
  assert.equal(most, 3);
  assert.deepEqual([...seen].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7]);
  const started: number[] = [];
  await runScheduled(videos, async (v) => { started.push(v.id); return v.id === 2 ? 'stop' : 'next'; }, { parallel: 1, casePath: 'c' });
  assert.deepEqual(started, [1, 2]);
});
