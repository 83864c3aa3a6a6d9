// The ground-truth scorer on tiny crafted inputs (every expected number worked out by hand), and the
// committed annotation files checked for internal consistency (they need no footage to load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BBox } from '../../electron/engine/contract';
import {
  cameraOf, groundTruthFile, isJudged, loadDevset, loadTracks, maxWeightAssignment, rankOfPerson,
  rankOfSamePerson, recallAt, scoreTracking, trackFiles, type Devset, type Hit, type PredictedDetection, type Tracks,
} from '../bench/groundTruth';
import { ROOT } from '../helpers/cli';

const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

// Two people walking apart on a 0.5 s grid, 4 steps each; P at x=0.., Q at x=200..
const P = (k: number): BBox => [10 * k, 0, 40, 100];
const Q = (k: number): BBox => [200 + 10 * k, 0, 40, 100];
const CONE: BBox = [500, 300, 20, 30];
const truth: Tracks = {
  schema: 'sightline-tracks/1', video: 'crafted', fps: 10, stepS: 0.5,
  identities: [{ id: 'P', description: 'man in a coat' }, { id: 'Q', description: 'woman in red' }],
  boxes: [0, 1, 2, 3].flatMap((k) => [
    { t: k * 0.5, id: 'P', bbox: P(k), source: 'detector' as const },
    { t: k * 0.5, id: 'Q', bbox: Q(k), source: 'detector' as const },
  ]),
  falsePositives: [0, 1].map((k) => ({ t: k * 0.5, bbox: CONE, what: 'cone' })),
  unjudged: [{ t: 1.5, bbox: [600, 0, 40, 100] as BBox, why: 'two people in one box' }],
};
const shift = (b: BBox, dx: number): BBox => [b[0] + dx, b[1], b[2], b[3]];

test('tracking: a perfect tracker scores purity 1, IDF1 1, one sighting per person, no false positives', () => {
  const pred: PredictedDetection[] = [0, 1, 2, 3].flatMap((k) => [
    { sighting: 1, t: k * 0.5, bbox: shift(P(k), 3) }, // a few pixels off still matches (IoU 37/43)
    { sighting: 2, t: k * 0.5, bbox: Q(k) },
  ]);
  const s = scoreTracking(truth, pred);
  near(s.minPurity, 1);
  near(s.idf1, 1);
  assert.deepEqual(s.fragmentation, { P: 1, Q: 1 });
  assert.equal(s.falsePositiveSightings, 0);
  assert.equal(s.unmatchedDetections, 0);
});

test('tracking: one sighting holding both people has purity 0.5 and IDF1 0.5', () => {
  const pred = [0, 1, 2, 3].flatMap((k) => [
    { sighting: 7, t: k * 0.5, bbox: P(k) }, { sighting: 7, t: k * 0.5, bbox: Q(k) },
  ]);
  const s = scoreTracking(truth, pred);
  near(s.sightings[0].purity!, 0.5);
  near(s.minPurity, 0.5);
  near(s.idf1, (2 * 4) / (8 + 8)); // only one person can own the sighting: 4 identity-true positives
});

test('tracking: a person split in two sightings is fragmented, still pure; IDF1 counts the lost half', () => {
  const pred = [0, 1, 2, 3].flatMap((k) => [
    { sighting: k < 2 ? 'a' : 'b', t: k * 0.5, bbox: P(k) }, { sighting: 'c', t: k * 0.5, bbox: Q(k) },
  ]);
  const s = scoreTracking(truth, pred);
  assert.deepEqual(s.fragmentation, { P: 2, Q: 1 });
  near(s.minPurity, 1);
  near(s.idf1, (2 * (2 + 4)) / (8 + 8));
});

test('tracking: a swap mid-way: each sighting is 3/4 pure after a crossing at the second step', () => {
  const pred = [0, 1, 2, 3].flatMap((k) => [
    { sighting: 1, t: k * 0.5, bbox: k < 3 ? P(k) : Q(k) }, { sighting: 2, t: k * 0.5, bbox: k < 3 ? Q(k) : P(k) },
  ]);
  const s = scoreTracking(truth, pred);
  for (const x of s.sightings) near(x.purity!, 0.75);
  near(s.idf1, (2 * 6) / 16);
});

test('tracking: a cone sighting is a false-positive sighting; unjudged boxes and off-grid times are not scored', () => {
  const pred: PredictedDetection[] = [
    ...[0, 1, 2, 3].map((k) => ({ sighting: 1, t: k * 0.5, bbox: P(k) })),
    ...[0, 1, 2, 3].map((k) => ({ sighting: 2, t: k * 0.5, bbox: Q(k) })),
    { sighting: 9, t: 0, bbox: CONE }, { sighting: 9, t: 0.5, bbox: shift(CONE, 1) },
    { sighting: 10, t: 1.5, bbox: [600, 0, 40, 100] }, // unjudged
    { sighting: 11, t: 0.25, bbox: P(0) }, // between annotated times
    { sighting: 12, t: 1, bbox: [300, 300, 40, 100] }, // nothing annotated there
  ];
  const s = scoreTracking(truth, pred);
  assert.equal(s.falsePositiveSightings, 1);
  assert.equal(s.sightings.find((x) => x.sighting === 9)!.falsePositives, 2);
  assert.equal(s.offGridDetections, 1);
  assert.equal(s.unmatchedDetections, 1);
  near(s.idf1, (2 * 8) / ((8 + 2 + 1) + 8)); // cone and unmatched boxes count against precision
});

test('tracking: a box overlapping the annotation by less than IoU 0.5 is not that person', () => {
  const s = scoreTracking(truth, [{ sighting: 1, t: 0, bbox: shift(P(0), 20) }]); // IoU 20/60
  assert.equal(s.sightings[0].matched, 0);
  assert.equal(s.sightings[0].purity, null);
});

test('maxWeightAssignment: picks the best one-to-one pairing, not the greedy one', () => {
  assert.equal(maxWeightAssignment([[5, 4], [4, 0]]), 8); // greedy 5 would leave 0
  assert.equal(maxWeightAssignment([[1, 2, 3]]), 3);
  assert.equal(maxWeightAssignment([[1], [7], [2]]), 7);
  assert.equal(maxWeightAssignment([]), 0);
});

const devset: Devset = {
  schema: 'sightline-devset/1',
  sources: [],
  people: [
    { id: 'w', split: 'test', descriptions: ['woman in a white dress'], appearances: [
      { file: 'm/c1s1_000100.jpg', frame: 0, t: 0, bbox: [100, 100, 50, 150] },
      { file: 'm/c3s1_000200.jpg', frame: 0, t: 0, bbox: [400, 100, 40, 120] },
    ] },
    { id: 'v', split: 'dev', descriptions: ['man in hi-vis'], appearances: [{ file: 'clip.mp4', frame: 3, t: 1, bbox: [10, 10, 30, 90] }] },
  ],
};

test('search: rank counts judged hits; wrong box, wrong time, or unannotated clip moments are handled', () => {
  const hits: Hit[] = [
    { file: '/abs/real-footage/clip.mp4', t: 2, bbox: [10, 10, 30, 90] }, // clip moment nobody annotated: skipped
    { file: 'm/c1s1_000100.jpg', t: 0, bbox: [300, 100, 50, 150] }, // wrong person: rank 1
    { file: 'clip.mp4', t: 1, bbox: [10, 10, 30, 90] }, // the hi-vis man: rank 2
    { file: 'other.jpg', t: 0, bbox: [0, 0, 10, 10] }, // an unannotated still: judged, wrong: rank 3
    { file: '/x/real-footage/m/c1s1_000100.jpg', t: 0, bbox: [105, 100, 50, 150] }, // the woman: rank 4
  ];
  assert.equal(isJudged(hits[0], devset), false);
  assert.equal(isJudged(hits[3], devset), true);
  assert.equal(rankOfPerson(devset.people[0], hits, devset), 4);
  assert.equal(rankOfPerson(devset.people[1], hits, devset), 2);
  assert.equal(rankOfPerson(devset.people[1], [{ file: 'clip.mp4', t: 1, bbox: [30, 10, 30, 90] }], devset), null); // IoU 1/5
  assert.deepEqual(recallAt([1, 4, 12, null], [1, 5, 10]), { 'R@1': 0.25, 'R@5': 0.5, 'R@10': 0.5, reachable: 0.75 });
});

test('same person: hits in the query camera are skipped, the other camera is ranked', () => {
  const w = devset.people[0];
  assert.equal(cameraOf('market1501-frames/c3s1_000551.jpg'), 'c3');
  const hits: Hit[] = [
    { file: 'm/c1s1_000100.jpg', t: 0, bbox: [100, 100, 50, 150] }, // the query itself: skipped
    { file: 'm/c3s1_000200.jpg', t: 0, bbox: [0, 0, 40, 120] }, // someone else in c3: rank 1
    { file: 'm/c3s1_000200.jpg', t: 0, bbox: [400, 100, 40, 120] }, // her in c3: rank 2
  ];
  assert.equal(rankOfSamePerson(w, w.appearances[0], hits), 2);
  assert.equal(rankOfSamePerson(w, w.appearances[0], hits.slice(0, 2)), null);
});

test('loaders: a malformed file is refused with its name and the problem', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-'));
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ ...truth, boxes: [{ t: 0, id: 'Z', bbox: [0, 0, 1, 1], source: 'detector' }] }));
  assert.throws(() => loadTracks(bad), (e: Error) => e.message.includes(bad) && e.message.includes('undeclared identity Z'));
  fs.writeFileSync(bad, JSON.stringify({ ...truth, boxes: [{ t: 0, id: 'P', bbox: [0, 0, -1, 1], source: 'detector' }] }));
  assert.throws(() => loadTracks(bad), (e: Error) => e.message.startsWith(`${bad}: boxes.0.bbox.2`));
  fs.writeFileSync(bad, '{ not json');
  assert.throws(() => loadDevset(bad), (e: Error) => e.message.startsWith(`${bad}: not readable JSON`));
  fs.rmSync(dir, { recursive: true });
});

test('committed devset: enough people, both splits, no person across splits, boxes inside their frames', () => {
  const d = loadDevset(groundTruthFile(ROOT, 'devset'));
  assert.ok(d.people.length >= 30, `${d.people.length} people`);
  const dev = d.people.filter((p) => p.split === 'dev').length;
  const testSplit = d.people.length - dev;
  assert.ok(dev >= 10 && testSplit >= 10, `dev ${dev}, test ${testSplit}`);
  for (const p of d.people) {
    for (const a of p.appearances) {
      const src = d.sources.find((s) => a.file.startsWith(s.path));
      assert.ok(src, `${p.id}: ${a.file} has no source entry`);
      assert.equal(src.split, p.split, `${p.id}: split differs from its footage's split`);
      const [x, y, w, h] = a.bbox;
      assert.ok(x >= 0 && y >= 0 && x + w <= src.width + 1 && y + h <= src.height + 1, `${p.id}: ${a.file} box ${a.bbox} outside the frame`);
    }
  }
  // Cross-camera ground truth exists: someone seen by both Market-1501 cameras.
  assert.ok(d.people.some((p) => new Set(p.appearances.map((a) => cameraOf(a.file))).size >= 2));
});

test('committed tracks files: one box per person per step, on the 0.5 s grid, inside the frame', () => {
  const files = trackFiles(ROOT);
  assert.ok(files.length >= 2, 'vtest and at least one real-footage clip');
  for (const file of files) {
    const t = loadTracks(file) as Tracks & { width: number; height: number; durationS: number };
    assert.ok(t.identities.length >= 3, file);
    for (const b of [...t.boxes, ...t.falsePositives, ...t.unjudged]) {
      near(b.t / t.stepS, Math.round(b.t / t.stepS));
      const [x, y, w, h] = b.bbox;
      assert.ok(b.t <= t.durationS && x >= -1 && y >= -1 && x + w <= t.width + 1 && y + h <= t.height + 1, `${file}: ${JSON.stringify(b)}`);
    }
    // The truth scored against itself is perfect: the scorer and the file agree.
    const self = scoreTracking(t, t.boxes.map((b) => ({ sighting: b.id, t: b.t, bbox: b.bbox })));
    near(self.idf1, 1);
    near(self.minPurity, 1);
  }
  assert.ok(loadTracks(groundTruthFile(ROOT, 'vtest-tracks')).falsePositives.length > 0, 'the cones detected as people are recorded');
});
