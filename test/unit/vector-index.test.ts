import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorIndex } from '../../electron/engine/search/vectorIndex';

function randomUnit(dim: number, rand: () => number): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) v[i] = rand() - 0.5;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test('exact search ranks sightings by their best crop and matches a brute-force reference', () => {
  const dim = 16, n = 300, rand = lcg(7);
  const vectors = new Float32Array(n * dim);
  const sightingOf = new Int32Array(n), videoOf = new Int32Array(n), timeOf = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    vectors.set(randomUnit(dim, rand), i * dim);
    sightingOf[i] = 1 + Math.floor(i / 3); videoOf[i] = 1 + (sightingOf[i] % 2); timeOf[i] = i;
  }
  const index = VectorIndex.fromArrays('m', dim, vectors, sightingOf, videoOf, timeOf);
  const q = randomUnit(dim, rand);
  const got = index.topSightings(q, 5);
  const best = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += vectors[i * dim + k] * q[k];
    best.set(sightingOf[i], Math.max(best.get(sightingOf[i]) ?? -Infinity, s));
  }
  const want = [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  assert.deepEqual(got.map((g) => g.sighting), want.map((w) => w[0]));
  got.forEach((g, i) => assert.ok(Math.abs(g.score - want[i][1]) < 1e-5));
});

test('filters by video and time, and excludes the query sighting in "more like this"', () => {
  const dim = 4;
  const vectors = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0.9, 0.1, 0, 0, 0, 1, 0, 0]);
  const index = VectorIndex.fromArrays('m', dim, vectors, Int32Array.from([1, 2, 3, 4]), Int32Array.from([1, 2, 1, 1]), Float32Array.from([0, 5, 10, 15]));
  const q = Float32Array.from([1, 0, 0, 0]);
  assert.deepEqual(index.topSightings(q, 10, { videoIds: new Set([1]) }).map((s) => s.sighting), [1, 3, 4]);
  assert.deepEqual(index.topSightings(q, 10, { from: 4, to: 12 }).map((s) => s.sighting), [2, 3]);
  const like1 = index.sightingVector(1)!;
  assert.deepEqual(index.topSightings(like1, 2, {}, 1).map((s) => s.sighting), [2, 3]);
});
