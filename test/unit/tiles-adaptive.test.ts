// Adaptive detection tiles (vision/tiles.ts): the keep / pause / probe state machine, what counts as a
// tile-only person, and that a batch's plan equals deciding frame by frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADAPTIVE_TILES, detectAdaptive, TileKeeper, tileOnlyPeople, type Tile, type TilePasses } from '../../electron/engine/vision/tiles';
import type { BBox } from '../../electron/engine/contract';
import type { RgbImage } from '../../electron/engine/vision/frame';

const { keepS, probeS } = ADAPTIVE_TILES;
/** Samples at 2 fps from 0 to `untilS`. */
const times = (untilS: number): number[] => Array.from({ length: untilS * 2 + 1 }, (_, i) => i / 2);

/** Runs the keeper over `ts`; `tileOnlyAt` says which tiled frames find a tile-only person. Returns the tiled times. */
function run(k: TileKeeper, ts: number[], tileOnlyAt: (t: number) => boolean): number[] {
  const tiled: number[] = [];
  for (const t of ts) {
    const w = k.wants(t);
    if (w) tiled.push(t);
    k.saw(t, w, w && tileOnlyAt(t) ? 1 : 0);
  }
  return tiled;
}

test('tiles run on a video\'s first keepS, pause without tile-only people, then probe every probeS', () => {
  const k = new TileKeeper();
  const tiled = run(k, times(60).map((t) => t + 3), () => false); // first frame at 3 s (a coarse pass skipped the start)
  const first = tiled.filter((t) => t <= 3 + keepS);
  assert.equal(first.length, keepS * 2 + 1, 'every frame of the first keepS');
  const probes = tiled.filter((t) => t > 3 + keepS);
  assert.deepEqual(probes, [1, 2, 3, 4].map((n) => 3 + keepS + n * probeS).filter((t) => t <= 63), 'one probe every probeS while paused');
  assert.ok(k.pausedAfter(63));
});

test('a tile-only person keeps tiles on for keepS after it; one found by a probe turns them on at once', () => {
  const k = new TileKeeper();
  // Tile-only people at 0–15 s; then nobody until a distant walker at 50–70 s.
  const person = (t: number): boolean => t <= 15 || (t >= 50 && t <= 70);
  const tiled = new Set(run(k, times(120), person));
  for (const t of times(15 + keepS)) assert.ok(tiled.has(t), `on at ${t} s (kept after the last tile-only person at 15 s)`);
  assert.ok(!tiled.has(15 + keepS + 0.5), 'paused after keepS without one');
  // Probes at 45, 55, …: the one at 55 finds the walker and every frame after it is tiled until 70 + keepS.
  const firstBack = [...tiled].filter((t) => t > 15 + keepS && t >= 50).sort((a, b) => a - b)[0];
  assert.equal(firstBack, 15 + keepS + 2 * probeS, 'the walker is found by the second probe');
  for (let t = firstBack; t <= 70 + keepS; t += 0.5) assert.ok(tiled.has(t), `on again at ${t} s`);
  assert.ok(!tiled.has(70 + keepS + 0.5), 'and paused again');
});

test('the saved state resumes exactly: a run split at any frame decides as an uninterrupted one', () => {
  const ts = times(90);
  const person = (t: number): boolean => (t >= 5 && t <= 8) || (t >= 52 && t <= 53) || t === 80;
  const whole = run(new TileKeeper(), ts, person);
  for (let cut = 1; cut < ts.length; cut += 7) {
    const a = new TileKeeper();
    const before = run(a, ts.slice(0, cut), person);
    const saved = JSON.parse(JSON.stringify(a.state));
    const after = run(new TileKeeper(undefined, saved), ts.slice(cut), person);
    assert.deepEqual([...before, ...after], whole, `cut at ${ts[cut]} s`);
  }
  // A fresh keeper (no saved state) would tile the first keepS after the cut: different, hence the saved state.
  const fresh = run(new TileKeeper(), ts.slice(120), person);
  assert.notDeepEqual(fresh, whole.filter((t) => t >= ts[120]));
});

const box = (bbox: BBox, score = 0.8): { bbox: BBox; score: number } => ({ bbox, score });

test('tile-only: a tile box no whole-frame box overlaps (IoU, or either mostly inside the other)', () => {
  const w1 = box([100, 100, 40, 100]);
  const group = box([400, 100, 120, 200]);
  const whole = [w1, group];
  const same = box([104, 102, 40, 100]); // the whole-frame person again
  const member = box([410, 120, 30, 80]); // inside the group's whole-frame box
  const far = box([800, 300, 12, 30]); // a distant person the whole frame missed
  assert.deepEqual(tileOnlyPeople(whole, [w1, same, member, far, group]), [far]);
  assert.deepEqual(tileOnlyPeople([], [far]), [far]);
});

test('a batch decides as frame by frame: a tile-only person mid-batch tiles the later frames of the batch', async () => {
  const frame: RgbImage = { width: 1280, height: 720, data: new Uint8Array(0) };
  const tile: Tile = { x: 0, y: 0, width: 720, height: 720 };
  const N = 120;
  const frames: RgbImage[] = Array.from({ length: N }, () => ({ ...frame }));
  const ts = frames.map((_, i) => i / 2);
  const distant = new Set([78, 79, 80, 81, 82]); // seen only by a tile, at 39–41 s, after tiles paused at 20 s
  const idx = new Map(frames.map((f, i) => [f, i] as const));
  const tiledOf = async (batch: number): Promise<{ tiled: number[]; found: number[] }> => {
    const keeper = new TileKeeper();
    const tiled: number[] = [];
    const found: number[] = [];
    const passes: TilePasses<{ bbox: BBox; score: number }> = {
      whole: async (fs) => fs.map(() => []),
      tiles: async (fs) => fs.map((f) => { const i = idx.get(f)!; tiled.push(i); return [{ tile, detections: distant.has(i) ? [{ bbox: [500, 300, 12, 30] as BBox, score: 0.7 }] : [] }]; }),
      merge: (_f, whole, tl) => [...whole, ...tl.flatMap((t) => t.detections)],
    };
    for (let s = 0; s < N; s += batch) {
      const r = await detectAdaptive(passes, frames.slice(s, s + batch), ts.slice(s, s + batch), keeper, (d) => [...d]);
      r.detections.forEach((d, k) => { if (d.length) found.push(s + k); });
    }
    return { tiled: [...new Set(tiled)].sort((a, b) => a - b), found };
  };
  const one = await tiledOf(1);
  assert.deepEqual(one.found, [80, 81, 82], 'frame by frame: paused at 39 s, the probe at 40 s finds the walker and tiles stay on');
  for (const batch of [6, 8, 16, 120]) {
    const b = await tiledOf(batch);
    assert.deepEqual(b.found, one.found, `batch ${batch}: same people`);
    assert.deepEqual(b.tiled, one.tiled, `batch ${batch}: the same frames tiled`);
  }
});
