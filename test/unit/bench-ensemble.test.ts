// The IVT ensemble's ranking (search/ensemble.ts, used by the product and the devset bench): each model
// standardised as the product standardises one (search/fusion.ts), the standings averaged, the fusion
// unchanged; and the bench's matching of two cases' sightings (test/bench/ensemble.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchSightings } from './../bench/ensemble';
import { ENSEMBLE_SCALE, ensembleRank, ensembleStanding } from '../../electron/engine/search/ensemble';
import { loadIvtModel } from '../../electron/engine/vision/manifest';
import { aggregateEvidence, checksOf, fuse, meanStd, standardise, type Standardisation } from '../../electron/engine/search/fusion';
import { parseDescription } from '../../electron/engine/query/parse';

const shortlist: Standardisation = { by: 'shortlist' };
const perVideo: Standardisation = { by: 'video', prior: 2 };
const videoOf = (s: number): number => s % 3;
/** The shipped ensemble's declared weights (equal). */
const W = loadIvtModel('ivt-ensemble-v1').weights;
// Model A likes sighting 1, model B sighting 2; sighting 3 is second for both.
const a = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => ({ sighting: s, score: ({ 1: 0.9, 2: 0.2, 3: 0.7 } as Record<number, number>)[s] ?? 0.3 + s * 0.01 }));
const b = [8, 7, 6, 5, 4, 3, 2, 1].map((s) => ({ sighting: s, score: ({ 1: 0.1, 2: 0.8, 3: 0.6 } as Record<number, number>)[s] ?? 0.35 - s * 0.01 }));

test('each sighting\'s standing is the mean of the two models\' z, each standardised as fusion.ts does', () => {
  for (const how of [shortlist, perVideo]) {
    const { similarities, zs } = ensembleStanding([{ similarities: a }, { similarities: b }], how, videoOf, W, 'none');
    const za = standardise(a, how, videoOf), zb = standardise(b, how, videoOf);
    assert.equal(similarities.length, 8);
    for (const [i, s] of similarities.entries()) {
      const expected = (za[a.findIndex((x) => x.sighting === s.sighting)] + zb[b.findIndex((x) => x.sighting === s.sighting)]) / 2;
      assert.ok(Math.abs(zs[i] - expected) < 1e-12, `sighting ${s.sighting} (${how.by}): ${zs[i]} vs ${expected}`);
      const meanScore = (a.find((x) => x.sighting === s.sighting)!.score + b.find((x) => x.sighting === s.sighting)!.score) / 2;
      assert.ok(Math.abs(s.score - meanScore) < 1e-12, 'the similarity shown is the weighted mean of the models\'');
    }
  }
});

test('scaled to the members\' spread (the shipped ENSEMBLE_SCALE), the standing keeps its order and has one model\'s spread', () => {
  assert.equal(ENSEMBLE_SCALE, 'members');
  for (const how of [shortlist, perVideo]) {
    const raw = ensembleStanding([{ similarities: a }, { similarities: b }], how, videoOf, W, 'none').zs;
    const scaled = ensembleStanding([{ similarities: a }, { similarities: b }], how, videoOf, W).zs;
    const target = (meanStd(standardise(a, how, videoOf)).std + meanStd(standardise(b, how, videoOf)).std) / 2;
    assert.ok(meanStd(raw).std < target - 0.05, `two models that disagree average to a smaller spread (${meanStd(raw).std} vs ${target})`);
    assert.ok(Math.abs(meanStd(scaled).std - target) < 1e-9, `${how.by}: spread ${meanStd(scaled).std}, members' ${target}`);
    const k = scaled[0] / raw[0];
    assert.ok(k > 1, 'scaled up');
    scaled.forEach((z, i) => assert.ok(Math.abs(z - k * raw[i]) < 1e-9, 'one factor for every sighting: the order is kept'));
  }
});

test('the ensemble puts first the sighting both models rank high, not either model\'s favourite', () => {
  const order = (models: typeof a[]) => ensembleRank(models.map((similarities) => ({ similarities })), () => null, [], { evidence: 0.5 }, shortlist, videoOf, W).map((s) => s.sighting);
  assert.equal(order([a, a])[0], 1);
  assert.equal(order([b, b])[0], 2);
  assert.equal(order([a, b])[0], 3);
});

test('with all the weight on one model the ensemble is that model\'s fused ranking, labels included', () => {
  const ev = aggregateEvidence([{ p: { isMale: 0.9, hasBag: 0.1, hasBackpack: 0.1, hasHat: 0.1, longSleeves: 0.5, longPants: 0.9, longHair: 0.2, coatJacket: 0.5 }, upper: [{ name: 'red', confidence: 1 }], lower: [{ name: 'black', confidence: 1 }] }]);
  const checks = checksOf(parseDescription('man in a red top').constraints);
  const crowd = Array.from({ length: 30 }, (_, i) => ({ sighting: 100 + i, score: 0.3 + (i % 7) * 0.01 }));
  const one = fuse([...a, ...crowd], (s) => (s === 3 ? ev : null), checks, { evidence: 0.5 }, perVideo, videoOf);
  const ens = ensembleRank([{ similarities: [...a, ...crowd] }, { similarities: [...b, ...crowd] }], (s) => (s === 3 ? ev : null), checks, { evidence: 0.5 }, perVideo, videoOf, [1, 0]);
  assert.deepEqual(ens.map((s) => [s.sighting, s.confidence]), one.map((s) => [s.sighting, s.confidence]));
  for (const [i, s] of ens.entries()) assert.ok(Math.abs(s.fused - one[i].fused) < 1e-12);
  const three = ens.find((s) => s.sighting === 3)!;
  assert.ok(three.agreement !== null && three.fused > three.z + 0.1, 'the evidence counts in the ensemble\'s fused score');
});

test('a sighting missing from one model\'s shortlist takes that model\'s lowest standing there', () => {
  const cut = b.filter((s) => s.sighting !== 1);
  const { similarities, zs } = ensembleStanding([{ similarities: a }, { similarities: cut }], shortlist, videoOf, W, 'none');
  const za = standardise(a, shortlist), zb = standardise(cut, shortlist);
  const i = similarities.findIndex((s) => s.sighting === 1);
  assert.ok(Math.abs(zs[i] - (za[0] + Math.min(...zb)) / 2) < 1e-12);
  assert.ok(Math.abs(similarities[i].score - (a[0].score + Math.min(...cut.map((s) => s.score))) / 2) < 1e-12, 'and that model\'s lowest similarity');
  assert.throws(() => ensembleStanding([{ similarities: a }], shortlist, videoOf, W), /1 models but 2 weights/);
});

test('two cases\' sightings match one to one by identical keys; differing or ambiguous ones stay unmatched', () => {
  const first = [{ id: 1, key: 'x|0|1' }, { id: 2, key: 'x|2|3' }, { id: 3, key: 'y|0|1' }, { id: 4, key: 'dup' }, { id: 5, key: 'dup' }];
  const second = [{ id: 10, key: 'x|2|3' }, { id: 11, key: 'x|0|1' }, { id: 12, key: 'y|0|1.5' }, { id: 13, key: 'dup' }];
  const m = matchSightings(first, second);
  assert.deepEqual([...m.map].sort((p, q) => p[0] - q[0]), [[10, 2], [11, 1]]);
  assert.equal(m.onlyFirst, 3);
  assert.equal(m.onlySecond, 2);
});
