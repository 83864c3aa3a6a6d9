// The bundled sample case end to end through the CLI: index, then describe people and check the
// right person comes first (against the scene's ground truth), plus the --json contract and filters.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, SAMPLE_DIR, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { iou } from '../../electron/engine/vision/nms';
import type { BBox, SearchHit } from '../../electron/engine/contract';

interface TruthBox { t: number; bbox: BBox }
interface TruthPerson { name: string; description: string; intervals: [number, number][]; boxes: TruthBox[] }
const truth = JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'truth.json'), 'utf8')) as { width: number; height: number; people: TruthPerson[] };

/** The truth box of a person at time t (linear between the whole-second boxes), or null when not visible. */
function truthBoxAt(p: TruthPerson, t: number): BBox | null {
  const before = [...p.boxes].reverse().find((b) => b.t <= t), after = p.boxes.find((b) => b.t >= t);
  if (!before || !after) return null;
  if (after.t === before.t) return before.bbox;
  const w = (t - before.t) / (after.t - before.t);
  return before.bbox.map((v, i) => v + (after.bbox[i] - v) * w) as BBox;
}

/** Which truth person a hit shows: the one whose box overlaps the hit's box most at the hit's time. */
function personOf(hit: SearchHit): string | null {
  let best: string | null = null, bestIou = 0.3;
  for (const p of truth.people) {
    const b = truthBoxAt(p, hit.time);
    if (b && iou(b, hit.bbox) > bestIou) { bestIou = iou(b, hit.bbox); best = p.name; }
  }
  return best;
}

let db = '';
async function search(args: string[]): Promise<{ hits: SearchHit[]; out: SearchJson; stderr: string }> {
  const r = await runCli(['search', ...args, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  // A description search prints { interpretation, noStrongMatch, unknownWords, modelId, hits }.
  const out = JSON.parse(r.stdout) as SearchJson;
  return { hits: out.hits, out, stderr: r.stderr };
}

interface SearchJson {
  interpretation: { summary: string; mapped: { from: string; to: string }[]; notUnderstood: string[]; ivtText: string; constraints: Record<string, unknown> };
  noStrongMatch: boolean;
  unknownWords: string[];
  hits: SearchHit[];
}

before(async () => {
  db = path.join(tempDir('search'), 'case.sqlite');
  const r = await runCli(['index', SAMPLE_VIDEO, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
});

test('search --json returns ranked sightings with the documented fields', async () => {
  const { hits } = await search(['woman in a red jacket with a black backpack', '--top', '5']);
  assert.ok(hits.length > 0 && hits.length <= 5);
  for (const h of hits) {
    assert.equal(h.video, SAMPLE_VIDEO);
    assert.equal(typeof h.score, 'number');
    assert.equal(typeof h.sighting, 'number');
    assert.ok(h.start <= h.time && h.time <= h.end, `start ${h.start} <= time ${h.time} <= end ${h.end}`);
    assert.equal(h.bbox.length, 4);
    const [x, y, w, hgt] = h.bbox;
    assert.ok(x >= 0 && y >= 0 && w > 0 && hgt > 0 && x + w <= truth.width + 1 && y + hgt <= truth.height + 1, `bbox ${h.bbox} inside the frame`);
  }
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'best first');
  assert.ok(hits.every((h) => personOf(h) !== null), 'every sighting is one of the people in the scene');
});

// Every description must put its person first, including the demo query's woman (red jacket, black
// backpack) beside her hard negative (red coat, beige handbag): garment type and bag must count, not
// colour alone. (IVT 1.1.0 ranked her second; 1.2.0 first, 0.78 vs 0.65: docs/model-card-ivt.md.)
for (const [query, person, within] of [
  ['woman in a red jacket with a black backpack', 'woman_red_jacket_black_backpack', 1],
  ['man in a blue hoodie and jeans', 'man_blue_hoodie_jeans', 1],
  ['man wearing a yellow t-shirt and grey shorts', 'man_yellow_tshirt_grey_shorts', 1],
  ['woman in a white dress', 'woman_white_dress', 1],
  ['woman in a red coat with a beige handbag', 'woman_red_coat_beige_handbag', 1],
  ['man in a black jacket with a grey backpack', 'man_black_jacket_grey_backpack', 1],
] as [string, string, number][]) {
  test(`"${query}" ranks that person ${within === 1 ? 'first' : `in the top ${within}`}`, async () => {
    const { hits } = await search([query, '--top', String(within)]);
    const found = hits.map(personOf);
    assert.ok(found.includes(person), `top ${within}: ${found.join(', ')}; expected ${person}`);
  });
}

test('filters: video id, time range, minimum score', async () => {
  assert.deepEqual((await search(['walking', '--video', '999'])).hits, []);
  const ranged = (await search(['walking', '--from', '18', '--to', '20'])).hits;
  assert.ok(ranged.length > 0);
  for (const h of ranged) assert.ok(h.end >= 18 && h.start <= 20, `sighting ${h.start}-${h.end} overlaps 18-20`);
  const all = (await search(['walking'])).hits;
  const cut = all[Math.floor(all.length / 2)].score;
  assert.ok((await search(['walking', `--min-score=${cut}`])).hits.every((h) => h.score >= cut));
});

test('search --json: the interpretation, a confidence and chips per hit, and the no-strong-match state', async () => {
  const { out, hits } = await search(['lady in a crimson parka with a black rucksack', '--top', '5']);
  assert.match(out.interpretation.summary, /woman/);
  assert.ok(out.interpretation.mapped.some((m) => m.from === 'crimson' && m.to === 'red'), JSON.stringify(out.interpretation.mapped));
  assert.equal(typeof out.noStrongMatch, 'boolean');
  const top = hits[0];
  assert.ok(['strong', 'possible', 'weak'].includes(top.confidence!));
  // The bag's colour is not evidence (the network gives no bag colour point): the chip says only "rucksack".
  assert.deepEqual(top.chips!.map((c) => c.label).sort(), ['crimson parka', 'rucksack', 'woman']);
  assert.equal(personOf(top), 'woman_red_jacket_black_backpack');
  assert.ok(top.chips!.find((c) => c.label === 'crimson parka')!.ok, 'her jacket is red');
  // Nobody in the sample wears green or carries an umbrella: nothing may be called strong.
  const absent = await search(['man in a green top and purple trousers', '--top', '5']);
  assert.equal(absent.out.noStrongMatch, true, JSON.stringify(absent.hits.map((h) => [h.confidence, h.chips])));
  assert.ok(absent.hits.every((h) => h.confidence !== 'strong'));
});

test('attribute filters (--gender, --upper-colour …) keep only sightings whose evidence agrees; bad values are usage errors', async () => {
  const { hits } = await search(['walking', '--upper-colour', 'yellow']);
  assert.ok(hits.length > 0);
  assert.ok(hits.every((h) => h.chips!.some((c) => c.label === 'yellow top' && c.ok)));
  assert.ok(hits.map(personOf).includes('man_yellow_tshirt_grey_shorts'));
  assert.ok(!hits.map(personOf).includes('woman_white_dress'), hits.map(personOf).join(', '));
  const bad = await runCli(['search', 'walking', '--upper-colour', 'mauve', '--db', db, '--json']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--upper-colour: expected one of black/);
});

test('unknown words are reported, not silently dropped', async () => {
  const { stderr } = await search(['woman in a zxqvbl jacket']);
  assert.match(stderr, /does not know: .*zxqvbl/);
});

test('more like this: similar sightings exclude the example itself', async () => {
  const top = (await search(['woman in a red jacket with a black backpack'])).hits[0];
  const r = await runCli(['search', '--similar', String(top.sighting), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const hits = JSON.parse(r.stdout) as SearchHit[];
  assert.ok(hits.length > 0);
  assert.ok(hits.every((h) => h.sighting !== top.sighting));
});

test('CLI limits: --top, --from/--to and --min-score are checked with the IPC layer\'s limits (usage error, exit 2)', async () => {
  const { LIMITS } = await import('../../electron/common/contract');
  for (const [args, why] of [
    [['--top=-1'], /--top: "-1" must be between 1 and/], [['--top', '0'], /--top: "0" must be between 1 and/],
    [['--top', '1e9'], new RegExp(`--top: "1e9" must be between 1 and ${LIMITS.top}`)], [['--top', '2.5'], /--top: "2.5" expected an integer/],
    [['--from', '20', '--to', '5'], /--from 20 is after --to 5/], [['--from', '-3'], /--from/], [['--min-score', '7'], /--min-score/],
    [['--top', ''], /--top: "" is not a number/],
  ] as [string[], RegExp][]) {
    const r = await runCli(['search', 'walking', ...args, '--db', db, '--json']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, why, args.join(' '));
    assert.match(r.stderr, /usage: sightline search/);
    assert.equal(r.stdout, '', 'no results printed');
  }
  assert.equal((await search(['walking', '--top', String(LIMITS.top)])).hits.length > 0, true, 'the limit itself is accepted');
});

test('a description cut at the token limit says so (the limit read from the IVT manifest)', async () => {
  const { loadIvtModel, DEFAULT_IVT } = await import('../../electron/engine/vision/manifest');
  // The reading reported is the first member's (an ensemble's text encoder shown; one model: itself).
  const maxTokens = loadIvtModel(process.env.SIGHTLINE_IVT_MODEL || DEFAULT_IVT).members[0].text.maxTokens;
  // Known words only, past the token limit, well under the 1000-character limit of the contract.
  const long = Array(maxTokens + 10).fill('red').join(' ');
  const { hits, stderr } = await search([long]);
  assert.ok(hits.length > 0, 'still searched');
  const m = /longer than the model reads \((\d+) tokens\): the last (\d+) token\(s\) were ignored/.exec(stderr);
  assert.ok(m, stderr);
  assert.equal(Number(m[1]), maxTokens);
  assert.ok(Number(m[2]) > 0);
  const short = await search(['woman in a red jacket']);
  assert.doesNotMatch(short.stderr, /longer than the model reads/);
});

// 'person' is not in this model's vocabulary (the CLI tests search 'walking' for "everyone").
test('a description with no known word is reported as such, not ranked (stderr + --json field, exit 1)', async () => {
  const r = await runCli(['search', 'zxqvbl', '--db', db, '--json']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /knows none of the words/);
  const out = JSON.parse(r.stdout) as { noKnownWords: boolean; unknownWords: string[]; hits: unknown[] };
  assert.equal(out.noKnownWords, true);
  assert.deepEqual(out.unknownWords, ['zxqvbl']);
  assert.deepEqual(out.hits, []);
});
