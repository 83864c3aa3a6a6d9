// How a sighting scores from its crops (search/sightingScore.ts) and against what its similarity is
// standardised (search/fusion.ts standardise): the two declared choices of the description ranking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESCRIPTION_POOLING, poolSighting, type SightingPooling } from '../../electron/engine/search/sightingScore';
import { fuse, standardise, STANDARDISATION } from '../../electron/engine/search/fusion';
import { VectorIndex } from '../../electron/engine/search/vectorIndex';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
}

/**
 * One person's crops: unit vectors at similarity `sims[i]` to e0 (the query), the rest mostly the
 * person's own look (shared by all their crops) plus a little noise per crop.
 */
function cropsAround(sims: number[], dim: number, rand: () => number): Float32Array {
  const look = Array.from({ length: dim - 1 }, () => rand() - 0.5);
  const out = new Float32Array(sims.length * dim);
  sims.forEach((s, i) => {
    const rest = look.map((x) => x + 0.3 * (rand() - 0.5));
    const n = Math.hypot(...rest);
    out[i * dim] = s;
    for (let k = 1; k < dim; k++) out[i * dim + k] = (rest[k - 1] / n) * Math.sqrt(1 - s * s);
  });
  return out;
}

test('each pooling computes what it declares, and one crop is its own score under every pooling', () => {
  const dim = 3;
  const vectors = Float32Array.from([...unit([1, 0, 0]), ...unit([0, 1, 0]), ...unit([1, 1, 0])]);
  const q = unit([1, 0, 0]);
  const rows = [0, 1, 2];
  const sims = rows.map((r) => vectors[r * dim] * q[0] + vectors[r * dim + 1] * q[1]);
  const pool = (p: SightingPooling, rs = rows, ss = sims): number => poolSighting(p, rs, ss, vectors, dim, q);
  assert.equal(pool({ kind: 'max' }), 1);
  assert.ok(Math.abs(pool({ kind: 'topMean', k: 2 }) - (1 + Math.SQRT1_2) / 2) < 1e-6);
  assert.ok(Math.abs(pool({ kind: 'topMean', k: 10 }) - (1 + 0 + Math.SQRT1_2) / 3) < 1e-6, 'k past the crops: the mean of all');
  // mean of (1,0,0), (0,1,0), (.71,.71,0) = (.57,.57,0): at 45° to q
  assert.ok(Math.abs(pool({ kind: 'meanVector' }) - Math.SQRT1_2) < 1e-6);
  const mean = sims.reduce((a, b) => a + b, 0) / 3;
  const std = Math.sqrt(sims.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
  assert.ok(Math.abs(pool({ kind: 'shrunkMax', beta: 1 }) - (1 - std * Math.sqrt(2 * Math.log(3)))) < 1e-6);
  for (const p of [{ kind: 'max' }, { kind: 'topMean', k: 3 }, { kind: 'meanVector' }, { kind: 'shrunkMax', beta: 1 }] as SightingPooling[]) {
    assert.ok(Math.abs(pool(p, [1], [sims[1]])) < 1e-6, `${p.kind}: one crop`);
    assert.equal(pool(p, [], []), -Infinity, `${p.kind}: no crop passes the filter`);
  }
});

test('a long sighting of near-misses owns a high best crop by chance; pooling over its crops takes that away', () => {
  // Sighting 1: a still, one crop at 0.50 (the described person). Sighting 2: 300 crops of someone else,
  // mostly 0.30–0.45 with one lucky crop at 0.55: its best crop beats the still, its pooled score does not.
  const dim = 64, rand = lcg(9);
  const long = Array.from({ length: 300 }, () => 0.3 + 0.15 * rand() ** 4);
  long[17] = 0.55;
  const vectors = new Float32Array([...cropsAround([0.5], dim, rand), ...cropsAround(long, dim, rand)]);
  const sightingOf = Int32Array.from({ length: 301 }, (_, r) => (r === 0 ? 1 : 2));
  const index = VectorIndex.fromArrays('m', dim, vectors, sightingOf, new Int32Array(301).fill(1), Float32Array.from({ length: 301 }, (_, r) => r));
  const q = new Float32Array(dim); q[0] = 1;
  assert.deepEqual(index.topSightings(q, 2, {}, undefined, { kind: 'max' }).map((s) => s.sighting), [2, 1]);
  for (const p of [{ kind: 'topMean', k: 5 }, { kind: 'meanVector' }, { kind: 'shrunkMax', beta: 1 }] as SightingPooling[]) {
    assert.deepEqual(index.topSightings(q, 2, {}, undefined, p).map((s) => s.sighting), [1, 2], p.kind);
    // the approximate path pools the same way
    assert.deepEqual(index.nearestSightings(q, 2, {}, undefined, 'ann', p).map((s) => s.sighting), [1, 2], `${p.kind} (ann)`);
  }
  // The description search's choice is declared once; on the dev split the best crop ranked best (docs/search-quality.md).
  assert.deepEqual(DESCRIPTION_POOLING, { kind: 'max' });
});

test('a crowded video whose every sighting resembles the description does not own the top of the list', () => {
  // Video 1: 30 sightings, all 0.50–0.56 (a look the encoder likes). Video 2: 10 sightings near 0.35 and the
  // described person at 0.53, who stands out in their own video. Evidence cannot tell them apart.
  const crowded = Array.from({ length: 30 }, (_, i) => ({ sighting: 100 + i, score: 0.5 + 0.002 * i }));
  const quiet = Array.from({ length: 10 }, (_, i) => ({ sighting: 200 + i, score: 0.34 + 0.002 * i }));
  const sims = [...crowded, ...quiet, { sighting: 1, score: 0.53 }];
  const videoOf = (s: number): number => (s >= 100 && s < 200 ? 1 : 2);
  const byShortlist = fuse(sims, () => null, [], undefined, { by: 'shortlist' }, videoOf);
  assert.ok(byShortlist.findIndex((s) => s.sighting === 1) >= 10, 'over the shortlist the crowded video owns the top');
  const byVideo = fuse(sims, () => null, [], undefined, { by: 'video', prior: 20 }, videoOf);
  assert.equal(byVideo[0].sighting, 1);
  assert.deepEqual(STANDARDISATION, { by: 'video', prior: 20 }, 'the product standardises per video');
  // Within one video (or without knowing videos) per-video z is the shortlist's z.
  const one = standardise(sims, { by: 'video', prior: 20 }, () => 7);
  standardise(sims, { by: 'shortlist' }).forEach((z, i) => assert.ok(Math.abs(z - one[i]) < 1e-9));
  // The prior pulls a tiny video's level towards the shortlist's: its lone sighting keeps a standing.
  const lone = [...crowded, { sighting: 1, score: 0.6 }];
  const zLone = standardise(lone, { by: 'video', prior: 20 }, (s) => (s === 1 ? 2 : 1));
  assert.ok(zLone[zLone.length - 1] > 0.5, `a one-sighting video is not z = 0 by construction (${zLone[zLone.length - 1]})`);
});
