// Tracklet stitching (indexing/stitcher.ts) on synthetic fragments: boxes where people walk and ReID
// vectors that are a person's own direction plus per-crop noise (one crop ≈ 0.8 to its person, a
// fragment's mean ≈ 0.95; two people ≈ 0), so each case below turns on one rule of the stitcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STITCH, stitch, type Tracklet } from '../../electron/engine/indexing/stitcher';
import type { TrackedDetection } from '../../electron/engine/indexing/tracker';
import type { BBox } from '../../electron/engine/contract';

const DIM = 64;
/** Deterministic pseudo-random numbers (tests must not flicker). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
}
const unit = (v: Float32Array): Float32Array => { const n = Math.hypot(...v); return v.map((x) => x / n); };
/** A person's appearance: a random direction. */
const person = (seed: number): Float32Array => { const r = rng(seed); return unit(Float32Array.from({ length: DIM }, r)); };
/** One crop of that person: the direction plus noise (at the default, cosine to it ≈ 0.8, as real ReID crops). */
function crop(p: Float32Array, r: () => number, noise = 0.3): Float32Array {
  return unit(p.map((x) => x + noise * r()));
}

/** Detections of a person walking from `from` at `v` px/s, one every 0.5 s over [t0, t1]. */
function walk(p: Float32Array, seed: number, t0: number, t1: number, from: [number, number], v: [number, number], size: [number, number] = [40, 100], noise?: number): TrackedDetection[] {
  const r = rng(seed);
  const out: TrackedDetection[] = [];
  for (let t = t0; t <= t1 + 1e-9; t += 0.5) {
    const bbox: BBox = [from[0] + v[0] * (t - t0), from[1] + v[1] * (t - t0), size[0], size[1]];
    out.push({ t, bbox, score: 0.8, appearance: crop(p, r, noise) });
  }
  return out;
}
const joined = (groups: number[][], a: number, b: number): boolean => groups.some((g) => g.includes(a) && g.includes(b));
const RED = person(1), BLUE = person(2), GREEN = person(3);

test('synthetic people: a crop is like its own person and unlike another', () => {
  const r = rng(9);
  const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i], 0);
  const c = cos(crop(RED, r), RED);
  assert.ok(c > 0.7 && c < 0.9, `crop cosine ${c.toFixed(2)}`);
  assert.ok(Math.abs(cos(crop(RED, r), crop(BLUE, r))) < 0.4);
});

test('occlusion: a person hidden behind a pillar for 3 s, seen again on their path, is one sighting', () => {
  const before = walk(RED, 10, 0, 4, [100, 200], [40, 0]);
  const after = walk(RED, 11, 7.5, 12, [100 + 40 * 7.5, 200], [40, 0]);
  const groups = stitch([{ id: 1, detections: before }, { id: 2, detections: after }]);
  assert.deepEqual(groups, [[1, 2]]);
});

test('occlusion from below: a shelf hides the legs (box half as tall, same head and width) and the ReID agrees strongly', () => {
  const before = walk(RED, 12, 0, 3, [300, 100], [10, 0]);
  // Hidden at the knees: the box keeps its top and width, loses half its height; the crops stay alike.
  const after = walk(RED, 13, 4, 6, [340, 100], [10, 0], [40, 50]).map((d) => ({ ...d, appearance: crop(RED, rng(d.t * 10), 0.05) }));
  assert.deepEqual(stitch([{ id: 1, detections: before }, { id: 2, detections: after }]), [[1, 2]]);
  // Someone else of that size at that place is not joined (the size gate is loosened only on strong appearance).
  const other = walk(BLUE, 14, 4, 6, [340, 100], [10, 0], [40, 50]);
  assert.deepEqual(stitch([{ id: 1, detections: before }, { id: 3, detections: other }]), [[1], [3]]);
});

test('one person leaves as another enters at the same place: two sightings', () => {
  const leaving = walk(RED, 20, 0, 5, [500, 150], [0, 20]);
  const entering = walk(BLUE, 21, 5.5, 10, [500, 250], [0, 20]);
  assert.deepEqual(stitch([{ id: 1, detections: leaving }, { id: 2, detections: entering }]), [[1], [2]]);
});

test('two people crossing, each split at the crossing: the halves are joined by appearance, not by the nearer box', () => {
  // Red walks right, blue walks left; both are lost for 1.5 s where they cross (x ≈ 400).
  const red1 = walk(RED, 30, 0, 4, [200, 200], [50, 0]);
  const blue1 = walk(BLUE, 31, 0, 4, [600, 205], [-50, 0]);
  const red2 = walk(RED, 32, 5.5, 9, [200 + 50 * 5.5, 200], [50, 0]);
  const blue2 = walk(BLUE, 33, 5.5, 9, [600 - 50 * 5.5, 205], [-50, 0]);
  const groups = stitch([
    { id: 1, detections: red1 }, { id: 2, detections: blue1 }, { id: 3, detections: red2 }, { id: 4, detections: blue2 },
  ]);
  assert.deepEqual(groups, [[1, 3], [2, 4]]);
});

test('re-entry: a person who walks out and comes back 15 s later at the same edge is one sighting; a stranger is not', () => {
  const out = walk(GREEN, 40, 0, 6, [600, 250], [25, 0]);
  const back = walk(GREEN, 41, 21, 26, [740, 255], [-25, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: out }, { id: 2, detections: back }]), [[1, 2]]);
  const stranger = walk(BLUE, 42, 21, 26, [740, 255], [-25, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: out }, { id: 3, detections: stranger }]), [[1], [3]]);
  // Too long away: beyond maxGapS nothing is joined, however alike.
  const late = walk(GREEN, 43, 6 + DEFAULT_STITCH.maxGapS + 1, 6 + DEFAULT_STITCH.maxGapS + 5, [740, 255], [-25, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: out }, { id: 4, detections: late }]), [[1], [4]]);
});

test('out of reach: the same looks far across the frame a moment later are not joined', () => {
  const here = walk(RED, 50, 0, 3, [50, 200], [20, 0]);
  const there = walk(RED, 51, 3.5, 6, [1200, 200], [20, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: here }, { id: 2, detections: there }]), [[1], [2]]);
});

test('tracklets that overlap in time are never joined, even when they look alike', () => {
  const a = walk(RED, 60, 0, 5, [100, 200], [20, 0]);
  const b = walk(RED, 61, 4, 8, [200, 200], [20, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: a }, { id: 2, detections: b }]), [[1], [2]]);
});

test('ambiguous: two look-alikes both reachable at the same time: the fragment joins neither', () => {
  const a = walk(RED, 70, 0, 4, [300, 200], [20, 0]);
  const twin = person(1);
  const b = walk(twin, 71, 5, 8, [400, 195], [20, 0]);
  const c = walk(twin, 72, 5, 8, [380, 230], [20, 0]);
  assert.deepEqual(stitch([{ id: 1, detections: a }, { id: 2, detections: b }, { id: 3, detections: c }]), [[1], [2], [3]]);
});

test('a chain of three fragments becomes one sighting, in time order, under the earliest id', () => {
  const parts: Tracklet[] = [
    { id: 7, detections: walk(RED, 80, 0, 3, [100, 200], [30, 0]) },
    { id: 9, detections: walk(RED, 81, 5, 8, [250, 200], [30, 0]) },
    { id: 8, detections: walk(RED, 82, 10, 13, [400, 200], [30, 0]) },
  ];
  const groups = stitch(parts);
  assert.deepEqual(groups, [[7, 9, 8]]);
  assert.ok(joined(groups, 7, 8));
});

test('a single-crop fragment needs stronger appearance than a longer one', () => {
  const long = walk(RED, 90, 0, 5, [100, 200], [30, 0], [40, 100], 0.02);
  // Crops at cosine 0.82 to the person: over the long-fragment bar (0.8), under the lone-crop bar (0.85).
  const off = person(99);
  const q = unit(off.map((x, i) => x - off.reduce((s, y, j) => s + y * RED[j], 0) * RED[i]));
  const at = (c: number): Float32Array => unit(RED.map((x, i) => c * x + Math.sqrt(1 - c * c) * q[i]));
  assert.ok(DEFAULT_STITCH.minAppearance < 0.82 && 0.82 < DEFAULT_STITCH.shortAppearance);
  const fragment = (n: number): TrackedDetection[] => Array.from({ length: n }, (_, k) => ({ t: 6 + k * 0.5, bbox: [280 + 15 * k, 200, 40, 100] as BBox, score: 0.8, appearance: at(0.82) }));
  assert.deepEqual(stitch([{ id: 1, detections: long }, { id: 2, detections: fragment(1) }]), [[1], [2]]);
  assert.deepEqual(stitch([{ id: 1, detections: long }, { id: 2, detections: fragment(DEFAULT_STITCH.longTracklet) }]), [[1, 2]]);
});
