// Interpretation: words the IVT text encoder does not know are mapped onto ones it does, and what
// cannot be used is reported, never dropped silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { interpretQuery, loadIvtVocabulary } from '../../electron/engine/query/interpret';
import { segment } from '../../electron/engine/query/parse';
import { WordPieceTokenizer } from '../../electron/engine/vision/tokenizer';
import { PHRASINGS } from '../fixtures/query-phrasings';
import { ROOT } from '../helpers/cli';

const VOCAB_FILE = path.join(ROOT, 'native-models/ivt-small-synth-v1/vocab.txt');
const vocab = loadIvtVocabulary(VOCAB_FILE);
const tokenizer = WordPieceTokenizer.fromFile(VOCAB_FILE);
const interpret = (text: string, maxTokens?: number) => interpretQuery(text, { ivtVocabulary: vocab, maxTokens });
const mapsTo = (r: ReturnType<typeof interpret>, from: string): string | undefined => r.mapped.find((m) => m.from === from)?.to;

test('the words the issue found ignored are mapped, or reported as not understood', () => {
  const cases: [string, string, string][] = [
    ['lady in a crimson parka and jeans', 'crimson', 'red'],
    ['lady in a crimson parka and jeans', 'parka', 'jacket'],
    ['man in a green anorak', 'anorak', 'jacket'],
    ['woman with long curly hair, leggings and trainers', 'trainers', 'sneakers'],
    ['woman with long curly hair, leggings and trainers', 'leggings', 'trousers'],
    ['bloke in hi-vis vest and dark trackies', 'bloke', 'man'],
    ['bloke in hi-vis vest and dark trackies', 'hi-vis', 'yellow'],
    ['bloke in hi-vis vest and dark trackies', 'vest', 'top'],
    ['bloke in hi-vis vest and dark trackies', 'trackies', 'trousers'],
    ['woman in a grey cardigan and brown boots', 'cardigan', 'sweater'],
    ['woman in a grey cardigan and brown boots', 'boots', 'shoes'],
    ['man in a light blue shirt', 'light blue', 'blue'],
    ['woman in a pale pink top', 'pale pink', 'pink'],
  ];
  for (const [text, from, to] of cases) assert.equal(mapsTo(interpret(text), from), to, `${text}: ${from}`);
  const curly = interpret('woman with long curly hair, leggings and trainers');
  assert.deepEqual(curly.notUnderstood, ['curly']);
  assert.equal(curly.ivtText, 'woman with long hair, trousers and sneakers');
  assert.equal(curly.constraints.hair?.style?.[0], 'curly', 'the parser still records it');
  assert.match(interpret('lady in a crimson parka and jeans').summary, /crimson → red, parka → jacket/);
  assert.match(curly.summary, /not understood: curly/);
});

test('every word of the rewritten text is in the IVT vocabulary (no [UNK])', () => {
  for (const { text } of PHRASINGS) {
    const r = interpret(text);
    assert.deepEqual(tokenizer.encode(r.ivtText, 64).unknownWords, [], `${text} → ${r.ivtText}`);
  }
});

test('every content word is kept, mapped or reported: nothing is lost silently', () => {
  // grammar words and "person"/"someone" carry no appearance; everything else must show up somewhere
  const silent = new Set(['function', 'boundary', 'or', 'all', 'negation']);
  for (const { text } of PHRASINGS) {
    const r = interpret(text);
    const ivtWords = new Set(r.ivtText.split(/[\s,]+/));
    const reported = r.mapped.map((m) => m.from).join(' ') + ' ' + r.notUnderstood.join(' ');
    for (const p of segment(text)) {
      if (silent.has(p.term.kind) || (p.term.kind === 'subject' && !p.term.gender && !p.term.age)) continue;
      if (p.text.split(' ').every((w) => ivtWords.has(w))) continue;
      if (p.term.kind === 'modifier' && reported.includes(p.text)) continue;
      assert.ok(reported.includes(p.text), `${JSON.stringify(text)}: "${p.text}" (${p.term.kind}) neither in "${r.ivtText}" nor reported`);
    }
  }
});

test('a negated item never reaches the text encoder as a positive', () => {
  const r = interpret('man in a white t-shirt, no bag, without a hat');
  assert.equal(r.ivtText, 'man in a white t-shirt');
  assert.deepEqual(r.mapped.filter((m) => m.to === '').map((m) => m.from), ['no bag', 'without a hat']);
  assert.ok(r.constraints.bag[0].absent && r.constraints.headwear[0].absent);
});

test('mapping follows the vocabulary it is given: a word the encoder knows is kept', () => {
  const bigger = new Set([...vocab, 'parka', 'crimson']);
  const r = interpretQuery('lady in a crimson parka', { ivtVocabulary: bigger });
  assert.equal(r.ivtText, 'lady in a crimson parka');
  assert.deepEqual(r.mapped, []);
});

test('a description longer than the encoder reads reports the words it will not see', () => {
  const long = 'a woman in a red jacket with a black backpack and blue jeans, white sneakers and a grey beanie, carrying a pink umbrella';
  const r = interpret(long, 16);
  assert.ok(r.truncated, 'truncated');
  assert.equal(r.truncated!.maxTokens, 16);
  const words = r.ivtText.replace(/[,.]/g, ' , ').split(/\s+/).filter(Boolean);
  assert.deepEqual(r.truncated!.droppedWords, words.slice(14));
  assert.equal(interpret(long, 64).truncated, undefined);
});

test('a missing vocabulary file is a clear error naming the file', () => {
  assert.throws(() => loadIvtVocabulary('/nonexistent/vocab.txt'), /\/nonexistent\/vocab\.txt: cannot read the text encoder vocabulary/);
});
