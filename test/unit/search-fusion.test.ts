// Fused ranking (search/fusion.ts): evidence + similarity → order, confidence labels, the no-match state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateEvidence, checksOf, filterChecks, fuse, label, type SightingEvidence } from '../../electron/engine/search/fusion';
import { parseDescription } from '../../electron/engine/query/parse';
import { BASE_COLOUR_NAMES } from '../../electron/engine/vision/colour';
import { FILTER_COLOURS } from '../../electron/common/contract';
import type { CropEvidence } from '../../electron/engine/vision/evidence';

const P = { isMale: 0.5, hasBag: 0.1, hasBackpack: 0.1, hasHat: 0.1, longSleeves: 0.5, longPants: 0.9, longHair: 0.3, coatJacket: 0.5 };
const crop = (p: Partial<typeof P>, upper: string, lower = 'black'): CropEvidence => ({
  p: { ...P, ...p }, upper: [{ name: upper as never, confidence: 1 }], lower: [{ name: lower as never, confidence: 1 }],
});
const ev = (p: Partial<typeof P>, upper: string, lower = 'black'): SightingEvidence => aggregateEvidence([crop(p, upper, lower)])!;
const checks = (text: string) => checksOf(parseDescription(text).constraints);
// A case of many unremarkable sightings, so the standing (z) of the few tested ones is meaningful.
const crowd = Array.from({ length: 40 }, (_, i) => ({ sighting: 100 + i, score: 0.3 + (i % 10) * 0.005 }));
const crowdEvidence = ev({ isMale: 0.9 }, 'grey', 'blue');

test('a sighting\'s evidence is the mean of its crops\' probabilities and their colour votes', () => {
  const e = aggregateEvidence([crop({ isMale: 0.2 }, 'red'), crop({ isMale: 0.4 }, 'red'), crop({ isMale: 0.6 }, 'blue')])!;
  assert.ok(Math.abs(e.p.isMale - 0.4) < 1e-9);
  assert.equal(e.upper[0].name, 'red');
  assert.ok(Math.abs(e.upper[0].confidence - 2 / 3) < 1e-9 && Math.abs(e.upper[1].confidence - 1 / 3) < 1e-9);
  assert.equal(e.n, 3);
  assert.equal(aggregateEvidence([]), null);
});

test('evidence decides between sightings the similarity cannot tell apart', () => {
  const sims = [...crowd, { sighting: 1, score: 0.5 }, { sighting: 2, score: 0.5 }];
  const evidence = new Map([[1, ev({ isMale: 0.9 }, 'blue')], [2, ev({ isMale: 0.1 }, 'red')]]);
  const ranked = fuse(sims, (id) => evidence.get(id) ?? crowdEvidence, checks('woman in a red top'));
  assert.equal(ranked[0].sighting, 2);
  assert.deepEqual(ranked[0].chips, [{ label: 'woman', ok: true }, { label: 'red top', ok: true }]);
  assert.deepEqual(ranked.find((r) => r.sighting === 1)!.chips, [{ label: 'woman', ok: false }, { label: 'red top', ok: false }]);
});

test('a clearly better similarity still wins over weak contrary evidence; without checks the order is the similarity\'s', () => {
  const sims = [...crowd, { sighting: 1, score: 0.62 }, { sighting: 2, score: 0.4 }];
  const evidence = new Map([[1, ev({ isMale: 0.45 }, 'red')], [2, ev({ isMale: 0.4 }, 'red')]]);
  assert.equal(fuse(sims, (id) => evidence.get(id) ?? crowdEvidence, checks('woman in a red top'))[0].sighting, 1);
  const plain = fuse(sims, (id) => evidence.get(id) ?? crowdEvidence, []);
  assert.deepEqual(plain.map((r) => r.sighting), [...sims].sort((a, b) => b.score - a.score).map((s) => s.sighting));
  assert.ok(plain.every((r) => r.chips.length === 0 && r.confidence !== 'strong'), 'no checks: never strong');
});

test('confidence: strong needs standing AND agreement; a described person who is absent gets no strong hit', () => {
  assert.equal(label(2.5, 0.9, false), 'strong');
  assert.equal(label(2.5, 0.9, true), 'possible', 'a reliable check clearly failed');
  assert.equal(label(0.2, 0.95, false), 'weak', 'agrees but does not stand out');
  assert.equal(label(3, 0.3, false), 'weak', 'stands out but contradicts the description');
  assert.equal(label(3, null, false), 'possible', 'no evidence: similarity alone is never strong');
  // Absent: a man in green and purple in a case of people in grey, red and blue; one stands out on similarity.
  const sims = [...crowd, { sighting: 1, score: 0.7 }];
  const evidence = new Map([[1, ev({ isMale: 0.9 }, 'red', 'blue')]]);
  const ranked = fuse(sims, (id) => evidence.get(id) ?? crowdEvidence, checks('man in a green top and purple trousers'));
  assert.ok(ranked.every((r) => r.confidence !== 'strong'), JSON.stringify(ranked.slice(0, 3)));
  // …while the described person, present, is strong.
  const present = new Map([[1, ev({ isMale: 0.9 }, 'green', 'purple')]]);
  assert.equal(fuse(sims, (id) => present.get(id) ?? crowdEvidence, checks('man in a green top and purple trousers'))[0].confidence, 'strong');
});

test('clicked attribute filters become checks with chips', () => {
  const f = filterChecks({ gender: 'female', upperColour: 'red', bag: false });
  assert.deepEqual(f.map((c) => c.label), ['woman', 'red top', 'no bag']);
  const e = ev({ isMale: 0.1, hasBag: 0.8 }, 'red');
  assert.deepEqual(f.map((c) => c.satisfaction(e) >= 0.5), [true, true, false]);
  assert.deepEqual(filterChecks(undefined), []);
});

test('the contract\'s filter colours are the colours the evidence names', () => {
  assert.deepEqual([...FILTER_COLOURS], [...BASE_COLOUR_NAMES]);
});

test('a dress is one garment: a red jacket over trousers is not a strong "red dress", a woman in one is', () => {
  const sims = [...crowd, { sighting: 1, score: 0.7 }];
  const jacket = new Map([[1, ev({ isMale: 0.1, longPants: 0.94 }, 'red', 'navy')]]);
  const ranked = fuse(sims, (id) => jacket.get(id) ?? crowdEvidence, checks('woman in a long red evening dress'));
  const hit = ranked.find((r) => r.sighting === 1)!;
  assert.notEqual(hit.confidence, 'strong');
  assert.deepEqual(hit.chips.find((c) => c.label === 'no trousers'), { label: 'no trousers', ok: false });
  const dress = new Map([[1, ev({ isMale: 0.1, longPants: 0.2 }, 'red', 'red')]]);
  assert.equal(fuse(sims, (id) => dress.get(id) ?? crowdEvidence, checks('woman in a long red evening dress'))[0].confidence, 'strong');
  // Said what is worn below it: the lower garment is checked instead.
  assert.ok(!checks('woman in a red dress and black leggings').some((c) => c.label === 'no trousers'));
});
