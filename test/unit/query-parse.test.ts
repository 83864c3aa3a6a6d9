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
