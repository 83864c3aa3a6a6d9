// The query parser on investigator phrasings: who, what they wear and carry, in which colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Constraints, DescribedColour, Item, parseDescription } from '../../electron/engine/query/parse';
import { PHRASINGS } from '../fixtures/query-phrasings';

// Compact, readable form of what the parser understood: "light-grey plain t-shirt", "no bag".
const colour = (c: DescribedColour): string => (c.modifier ? `${c.modifier}-` : '') + c.base;
export function itemText(it: Item): string {
  if (it.absent) return `no ${it.category}`;
  return [it.hiVis ? 'hi-vis' : '', it.colours.map(colour).join('+'), it.pattern ?? '', it.sleeves ? `${it.sleeves}-sleeved` : '', it.category].filter(Boolean).join(' ');
}

function compact(c: Constraints): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.gender) out.gender = c.gender;
  if (c.age) out.age = c.age;
  for (const slot of ['upper', 'lower', 'bag', 'headwear', 'footwear', 'eyewear', 'carried'] as const) {
    if (c[slot].length) out[slot] = c[slot].map(itemText);
  }
  if (c.hair) {
    out.hair = [c.hair.length, ...(c.hair.style ?? []).filter((s) => s !== c.hair!.length), c.hair.colour ? colour(c.hair.colour) : ''].filter(Boolean).join(' ');
  }
  if (c.facialHair) out.facialHair = c.facialHair;
  if (c.hiVis) out.hiVis = true;
  if (c.overall) out.overall = c.overall.map(colour);
  return out;
}

test(`parses ${PHRASINGS.length} investigator phrasings into the expected constraints`, () => {
  assert.ok(PHRASINGS.length >= 40);
  const failures: string[] = [];
  for (const { text, expect } of PHRASINGS) {
    const got = compact(parseDescription(text).constraints);
    try {
      assert.deepEqual(got, expect);
    } catch {
      failures.push(`${JSON.stringify(text)}\n   expected ${JSON.stringify(expect)}\n   got      ${JSON.stringify(got)}`);
    }
  }
  assert.equal(failures.length, 0, `\n${failures.join('\n')}`);
});

test('colours attach to the thing they precede, not to the nearest noun', () => {
  const c = parseDescription('woman in a red jacket with a black backpack and blue jeans').constraints;
  assert.deepEqual(c.upper.map(itemText), ['red jacket']);
  assert.deepEqual(c.bag.map(itemText), ['black backpack']);
  assert.deepEqual(c.lower.map(itemText), ['blue jeans']);
});

test('"light blue" keeps its modifier; "dark blue" names navy; the typed words are kept', () => {
  const light = parseDescription('man in a light blue shirt').constraints.upper[0].colours[0];
  assert.deepEqual({ base: light.base, modifier: light.modifier, words: light.words }, { base: 'blue', modifier: 'light', words: 'light blue' });
  const dark = parseDescription('dark blue jeans').constraints.lower[0].colours[0];
  assert.equal(dark.base, 'navy');
  assert.equal(dark.words, 'dark blue');
});

test('negation covers the next thing named and continues through "or"', () => {
  const c = parseDescription('no hat or bag, carrying a red umbrella').constraints;
  assert.deepEqual(c.headwear.map(itemText), ['no hat']);
  assert.deepEqual(c.bag.map(itemText), ['no bag']);
  assert.deepEqual(c.carried.map(itemText), ['red umbrella']);
});

test('text with no description yields empty constraints, not an error', () => {
  for (const t of ['', '   ', '!!!', 'the and of']) {
    const c = parseDescription(t).constraints;
    assert.deepEqual(compact(c), {}, JSON.stringify(t));
  }
});

test('describing words of a thing the parser does not know stay with it; said of the outfit they are the outfit\'s', () => {
  const p = (t: string) => compact(parseDescription(t).constraints);
  // "white … panels", "a red … baton": neither the next garment's colour nor a made-up pair of trousers
  assert.deepEqual(p('man in a dark hoodie with white printed letters on the back and grey joggers'), { gender: 'male', upper: ['dark-black hoodie'], lower: ['grey trousers'] });
  assert.deepEqual(p('woman in a blue coat holding a yellow shopping trolley'), { gender: 'female', upper: ['blue coat'] });
  assert.deepEqual(p('man in a green jacket carrying a silver laptop case'), { gender: 'male', upper: ['green jacket'] });
  // …but a colour said of the outfit is kept whatever follows it
  assert.deepEqual(p('woman in red standing by the door'), { gender: 'female', upper: ['red top'] });
  assert.deepEqual(p('man wearing black, talking on a phone'), { gender: 'male', upper: ['black top'], carried: ['phone'] });
  assert.deepEqual(p('child in a green dinosaur costume'), { age: 'child', upper: ['green top'] });
  assert.deepEqual(p('lad all in white leaning on the railings'), { gender: 'male', age: 'young', overall: ['white'] });
});

test('colour words before a hair style are the hair\'s', () => {
  const c = parseDescription('woman with a long blonde plait in a red t-shirt and blue jeans').constraints;
  assert.deepEqual(compact(c), { gender: 'female', upper: ['red t-shirt'], lower: ['blue jeans'], hair: 'long braids light-beige' });
  const d = parseDescription('girl with a long black ponytail in a grey top').constraints;
  assert.deepEqual(d.upper.map(itemText), ['grey top'], 'the ponytail\'s black is not the top\'s');
  assert.equal(d.hair?.colour?.base, 'black');
  assert.equal(d.hair?.length, 'long');
});

test('a suit is a jacket and trousers of one colour, unless the trousers are named', () => {
  const p = (t: string) => compact(parseDescription(t).constraints);
  assert.deepEqual(p('man in a navy suit'), { gender: 'male', upper: ['navy jacket'], lower: ['navy trousers'] });
  assert.deepEqual(p('man in a grey suit and black trousers'), { gender: 'male', upper: ['grey jacket'], lower: ['black trousers'] });
  assert.deepEqual(p('man in a grey suit jacket and jeans'), { gender: 'male', upper: ['grey jacket'], lower: ['jeans'] });
});
