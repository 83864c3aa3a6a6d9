// Appearance consensus (search/consensus.ts): the sightings of one person in one video (a track broken by
// occlusion) are scored together; people seen at the same moment, other videos (by default), other ReID
// models and sightings below the depth are not; labels are read again from the averaged standing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Appearance, AppearanceCache, appearanceConsensus, appearancesOf, CONSENSUS, type Consensus } from '../../electron/engine/search/consensus';
import { label, type Scored } from '../../electron/engine/search/fusion';

/** A unit vector pointing mostly along axis `k` (cosines between two such: ≈ 0.02; same k: 1). */
const axis = (k: number, dim = 16): Float32Array => {
  const v = new Float32Array(dim).fill(0.01);
  v[k] = 1;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const scored = (sighting: number, z: number, agreement: number | null = 0.8, failedReliable = false): Scored => ({
  sighting, similarity: 0.3 + z / 10, z, agreement, fused: z + (agreement === null ? 0 : agreement - 0.5), chips: [], failedReliable, confidence: label(z, agreement, failedReliable),
});
const seen = (vector: Float32Array, video: number, start: number, end: number, model = 'reid@1'): Appearance => ({ model, vector, video, start, end });
const order = (xs: Scored[]): number[] => xs.map((x) => x.sighting);
const byId = (xs: Scored[], id: number): Scored => xs.find((x) => x.sighting === id)!;

test('a stranger whose lucky sighting is not backed by their other sighting falls below a person whose two sightings agree', () => {
  // 1 and 5: a stranger, one lucky crop and one poor one; 2 and 3: one person, before and after an occlusion.
  const list = [scored(1, 2.0), scored(2, 1.9), scored(3, 1.8), scored(4, 0.6), scored(5, 0.4)];
  const looks = new Map([
    [1, seen(axis(0), 7, 0, 2)], [5, seen(axis(0), 7, 10, 12)],
    [2, seen(axis(1), 7, 3, 5)], [3, seen(axis(1), 7, 6, 9)],
    [4, seen(axis(2), 7, 0, 9)],
  ]);
  const out = appearanceConsensus(list, looks);
  assert.deepEqual(order(out), [2, 3, 1, 5, 4]);
  assert.ok(Math.abs(byId(out, 2).z - 1.85) < 1e-9 && Math.abs(byId(out, 3).z - 1.85) < 1e-9, 'each takes the mean of the two');
  assert.ok(Math.abs(byId(out, 1).z - 1.2) < 1e-9 && Math.abs(byId(out, 5).z - 1.2) < 1e-9);
  assert.equal(byId(out, 4).z, 0.6, 'nobody like it: unchanged');
  // The fused score stays z + w·evidence: both terms are averaged alike.
  for (const x of out) assert.ok(Math.abs(x.fused - (x.z + (x.agreement! - 0.5))) < 1e-9);
  // Half weight for the others: the sighting's own score counts twice as much.
  const half = appearanceConsensus(list, looks, { ...CONSENSUS, weight: 0.5 });
  assert.ok(Math.abs(byId(half, 1).z - (2.0 + 0.5 * 0.4) / 1.5) < 1e-9);
});

test('sightings seen at the same moment of one video are two people, whatever their appearance', () => {
  const list = [scored(1, 2.5), scored(2, 0.5)];
  const looks = new Map([[1, seen(axis(3), 7, 0, 4)], [2, seen(axis(3), 7, 3, 8)]]); // overlapping 3–4 s
  assert.deepEqual(appearanceConsensus(list, looks).map((x) => x.z), [2.5, 0.5]);
  // One second apart: one person, averaged.
  const apart = new Map([[1, seen(axis(3), 7, 0, 2)], [2, seen(axis(3), 7, 3, 8)]]);
  assert.deepEqual(appearanceConsensus(list, apart).map((x) => x.z), [1.5, 1.5]);
});

test('by default only sightings of one video are joined; scope "case" joins other videos too', () => {
  const list = [scored(1, 2.4), scored(2, 0.4)];
  const looks = new Map([[1, seen(axis(4), 7, 0, 2)], [2, seen(axis(4), 8, 0, 2)]]);
  assert.equal(CONSENSUS.scope, 'video');
  assert.deepEqual(appearanceConsensus(list, looks).map((x) => x.z), [2.4, 0.4]);
  const acrossCase: Consensus = { ...CONSENSUS, scope: 'case' };
  assert.deepEqual(appearanceConsensus(list, looks, acrossCase).map((x) => x.z), [1.4, 1.4]);
});

test('different ReID models, dissimilar appearances and missing appearances are never joined', () => {
  const list = [scored(1, 2.4), scored(2, 0.4), scored(3, 0.2)];
  const looks = new Map([[1, seen(axis(5), 7, 0, 2)], [2, seen(axis(5), 7, 3, 4, 'reid@2')], [3, seen(axis(6), 7, 5, 6)]]);
  assert.deepEqual(appearanceConsensus(list, looks).map((x) => x.z), [2.4, 0.4, 0.2]);
  assert.deepEqual(appearanceConsensus(list, new Map()).map((x) => x.z), [2.4, 0.4, 0.2]);
  // Just below / at the threshold.
  const c = CONSENSUS.minCosine;
  const u = axis(0), w = new Float32Array(u.length);
  // w: cosine c with u (a unit vector in the plane of u and axis 1).
  const e = axis(1), d = u.reduce((a, x, i) => a + x * e[i], 0);
  const perp = e.map((x, i) => x - d * u[i]), pn = Math.hypot(...perp);
  for (let i = 0; i < u.length; i++) w[i] = c * u[i] + Math.sqrt(1 - c * c) * perp[i] / pn;
  const at = new Map([[1, seen(u, 7, 0, 2)], [2, seen(w, 7, 3, 4)]]);
  assert.deepEqual(appearanceConsensus(list.slice(0, 2), at, { ...CONSENSUS, minCosine: c - 1e-6 }).map((x) => x.z), [1.4, 1.4]);
  assert.deepEqual(appearanceConsensus(list.slice(0, 2), at, { ...CONSENSUS, minCosine: c + 1e-6 }).map((x) => x.z), [2.4, 0.4]);
});

test('only the best `depth` sightings take part; the rest keep their scores and stay below', () => {
  const list = [scored(1, 3), scored(2, 2), scored(3, 1)];
  const looks = new Map([[1, seen(axis(7), 7, 0, 1)], [2, seen(axis(8), 7, 2, 3)], [3, seen(axis(7), 7, 4, 5)]]);
  const out = appearanceConsensus(list, looks, { ...CONSENSUS, depth: 2 });
  assert.deepEqual(out.map((x) => [x.sighting, x.z]), [[1, 3], [2, 2], [3, 1]]);
  assert.deepEqual(appearanceConsensus(list, looks, { ...CONSENSUS, depth: 3 }).map((x) => [x.sighting, x.z]), [[1, 2], [2, 2], [3, 2]]);
});

test('labels are read again from the averaged standing and agreement, keeping a sighting\'s own failed check', () => {
  // 1 alone would be "possible" (z 1.2); its other sighting stands out (z 2.2) and agrees: together strong.
  const list = [scored(2, 2.2, 0.9), scored(1, 1.2, 0.8), scored(3, 1.9, 0.9, true)];
  assert.equal(list[1].confidence, 'possible');
  const looks = new Map([[1, seen(axis(9), 7, 0, 1)], [2, seen(axis(9), 7, 2, 3)], [3, seen(axis(9), 7, 4, 5)]]);
  const out = appearanceConsensus(list, looks);
  assert.ok(Math.abs(byId(out, 1).z - (2.2 + 1.2 + 1.9) / 3) < 1e-9);
  assert.ok(Math.abs(byId(out, 1).agreement! - (0.9 + 0.8 + 0.9) / 3) < 1e-9);
  assert.equal(byId(out, 1).confidence, 'strong');
  assert.equal(byId(out, 3).confidence, 'possible', 'its own reliable check failed: never strong');
  // A sighting without checks (agreement null) stays without.
  const none = appearanceConsensus([scored(1, 2, null), scored(2, 1, null)], new Map([[1, seen(axis(9), 7, 0, 1)], [2, seen(axis(9), 7, 2, 3)]]));
  assert.deepEqual(none.map((x) => x.agreement), [null, null]);
});

test('a sighting\'s appearance is the normalised mean of its detections\' vectors of its first model', () => {
  const rows = [
    { sighting: 1, model: 'reid@1', vector: axis(0), video: 7, start: 0, end: 2 },
    { sighting: 1, model: 'reid@1', vector: axis(1), video: 7, start: 0, end: 2 },
    { sighting: 1, model: 'reid@2', vector: axis(2), video: 7, start: 0, end: 2 },
    { sighting: 2, model: 'reid@1', vector: axis(3), video: 8, start: 4, end: 5 },
  ];
  const a = appearancesOf(rows);
  assert.deepEqual([...a.keys()], [1, 2]);
  const one = a.get(1)!;
  assert.equal(one.model, 'reid@1');
  assert.ok(Math.abs(Math.hypot(...one.vector) - 1) < 1e-6);
  assert.ok(Math.abs(one.vector[0] - one.vector[1]) < 1e-6 && one.vector[0] > 0.6 && one.vector[2] < 0.05, 'axes 0 and 1 equally, not the other model\'s axis 2');
  assert.deepEqual([a.get(2)!.video, a.get(2)!.start, a.get(2)!.end], [8, 4, 5]);
});

test('a search source reads each sighting\'s detections once per index version, unknown sightings included', async () => {
  const asked: number[][] = [];
  const cache = new AppearanceCache(async (ids) => {
    asked.push([...ids]);
    return ids.filter((id) => id < 100).map((id) => ({ sighting: id, model: 'reid@1', vector: axis(id % 16), video: 1, start: id, end: id + 1 }));
  });
  const first = await cache.get([1, 2, 500], 'v1');
  assert.deepEqual([...first.keys()], [1, 2]);
  assert.deepEqual(asked, [[1, 2, 500]]);
  await cache.get([2, 1, 500, 3], 'v1');
  assert.deepEqual(asked, [[1, 2, 500], [3]], 'only the sighting not asked before is read');
  await cache.get([1], 'v2');
  assert.deepEqual(asked.at(-1), [1], 'a new index version reads again');
});
