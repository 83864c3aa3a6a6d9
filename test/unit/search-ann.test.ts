import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Int8Matrix } from '../../electron/engine/search/annKernel';
import { QuantizedIndex } from '../../electron/engine/search/annIndex';
import { VectorIndex } from '../../electron/engine/search/vectorIndex';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Gaussian-ish unit vectors (sum of uniforms), the hardest case for any approximate index. */
function randomUnits(n: number, dim: number, rand: () => number): Float32Array {
  const v = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const x = rand() + rand() + rand() - 1.5;
      v[r * dim + k] = x;
      s += x * x;
    }
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < dim; k++) v[r * dim + k] *= inv;
  }
  return v;
}

test('the SIMD kernel computes the same int8 · int16 dot products as plain arithmetic', () => {
  const rand = lcg(3);
  for (const [rows, dim] of [[1, 1], [7, 16], [33, 20], [200, 256], [5, 257]]) {
    const m = new Int8Matrix(rows, dim);
    const q = Int16Array.from({ length: dim }, () => Math.round((rand() * 2 - 1) * 32767));
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = m.row(r);
      let s = 0;
      for (let k = 0; k < dim; k++) {
        row[k] = Math.round((rand() * 2 - 1) * 127);
        s += row[k] * q[k];
      }
      expected.push(s);
    }
    assert.deepEqual(Array.from(m.scan(q)), expected, `${rows} × ${dim}`);
  }
});

test('int8 estimates are close to the float dot products', () => {
  const dim = 64, n = 500, rand = lcg(11);
  const vectors = randomUnits(n, dim, rand);
  const q = randomUnits(1, dim, rand);
  const est = QuantizedIndex.build(vectors, dim).estimate(q);
  let worst = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += vectors[r * dim + k] * q[k];
    worst = Math.max(worst, Math.abs(est[r] - s));
  }
  assert.ok(worst < 0.01, `worst estimate error ${worst}`);
});

function recallAt10(exact: { sighting: number }[], approx: { sighting: number }[]): number {
  const truth = new Set(exact.slice(0, 10).map((s) => s.sighting));
  return approx.slice(0, 10).filter((s) => truth.has(s.sighting)).length / truth.size;
}

test('approximate search keeps recall@10 ≥ 0.95 against exact on random unit vectors', () => {
  const dim = 256, n = 20_000, rand = lcg(5);
  const vectors = randomUnits(n, dim, rand);
  // 1–4 crops per sighting, as the tracker groups them.
  const sightingOf = new Int32Array(n), videoOf = new Int32Array(n), timeOf = new Float32Array(n);
  let s = 0;
  for (let r = 0; r < n; r++) {
    if (r === 0 || rand() < 0.4) s++;
    sightingOf[r] = s; videoOf[r] = 1 + (s % 3); timeOf[r] = r / 2;
  }
  const index = VectorIndex.fromArrays('m', dim, vectors, sightingOf, videoOf, timeOf);
  let total = 0;
  const queries = 20;
  for (let i = 0; i < queries; i++) {
    const q = randomUnits(1, dim, rand);
    const exact = index.nearestSightings(q, 10, {}, undefined, 'exact');
    const approx = index.nearestSightings(q, 10, {}, undefined, 'ann');
    total += recallAt10(exact, approx);
    // Scores of the approximate mode are exact re-ranks, not estimates.
    const exactScore = new Map(index.topSightings(q, 10_000).map((x) => [x.sighting, x.score]));
    for (const hit of approx) assert.ok(Math.abs(hit.score - exactScore.get(hit.sighting)!) < 1e-5);
  }
  assert.ok(total / queries >= 0.95, `recall@10 ${total / queries}`);
});

test('approximate search honours video/time filters and the excluded sighting like exact search', () => {
  const dim = 32, n = 3000, rand = lcg(9);
  const vectors = randomUnits(n, dim, rand);
  const sightingOf = Int32Array.from({ length: n }, (_, r) => 1 + Math.floor(r / 3));
  const videoOf = Int32Array.from(sightingOf, (s) => 1 + (s % 4));
  const timeOf = Float32Array.from({ length: n }, (_, r) => r % 600);
  const index = VectorIndex.fromArrays('m', dim, vectors, sightingOf, videoOf, timeOf);
  const q = randomUnits(1, dim, rand);
  const filter = { videoIds: new Set([2, 3]), from: 100, to: 400 };
  const exact = index.nearestSightings(q, 15, filter, 7, 'exact');
  const approx = index.nearestSightings(q, 15, filter, 7, 'ann');
  assert.ok(approx.every((h) => h.sighting !== 7));
  for (const h of approx) {
    const rows = [...sightingOf.keys()].filter((r) => sightingOf[r] === h.sighting);
    assert.ok(rows.some((r) => filter.videoIds.has(videoOf[r]) && timeOf[r] >= 100 && timeOf[r] <= 400));
  }
  assert.ok(recallAt10(exact, approx) >= 0.9);
  // A small case in 'auto' mode is searched exactly.
  assert.deepEqual(index.nearestSightings(q, 15, filter, 7), exact);
});

test('long sightings (many similar crops each) still yield k distinct sightings, as exact search does', () => {
  // 60 sightings × 150 near-identical crops (a track seen for 75 s at 2 fps), plus random crops.
  const dim = 64, rand = lcg(21);
  const tracks = 60, perTrack = 150, noise = 6000, n = tracks * perTrack + noise;
  const vectors = new Float32Array(n * dim);
  const sightingOf = new Int32Array(n), videoOf = new Int32Array(n).fill(1), timeOf = new Float32Array(n);
  const centre = randomUnits(tracks, dim, rand);
  const q = randomUnits(1, dim, rand);
  let r = 0;
  for (let t = 0; t < tracks; t++) {
    for (let i = 0; i < perTrack; i++, r++) {
      let ss = 0;
      for (let k = 0; k < dim; k++) {
        // every track leans towards the query, so the top crops all come from tracks
        const x = centre[t * dim + k] + 1.5 * q[k] + (rand() - 0.5) * 0.05;
        vectors[r * dim + k] = x; ss += x * x;
      }
      for (let k = 0; k < dim; k++) vectors[r * dim + k] /= Math.sqrt(ss);
      sightingOf[r] = t + 1; timeOf[r] = i / 2;
    }
  }
  vectors.set(randomUnits(noise, dim, rand), r * dim);
  for (; r < n; r++) sightingOf[r] = tracks + 1 + (r - tracks * perTrack);
  const index = VectorIndex.fromArrays('m', dim, vectors, sightingOf, videoOf, timeOf);
  const exact = index.nearestSightings(q, 20, {}, undefined, 'exact');
  const approx = index.nearestSightings(q, 20, {}, undefined, 'ann');
  assert.equal(approx.length, 20);
  assert.equal(new Set(approx.map((s) => s.sighting)).size, 20);
  const truth = new Set(exact.map((s) => s.sighting));
  assert.ok(approx.filter((s) => truth.has(s.sighting)).length >= 19, 'recall@20');
});
