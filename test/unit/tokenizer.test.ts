// The TS WordPiece tokenizer must produce exactly the ids the Python training code used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { basicTokenize, WordPieceTokenizer } from '../../electron/engine/vision/tokenizer';
import { ROOT } from '../helpers/cli';
import { hasPython, PY, PYTHON_INTERPRETER } from '../helpers/python';


const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/tokenizer-cases.json'), 'utf8')) as {
  vocab: string;
  cases: { text: string; maxTokens: number; ids: number[]; mask: number[]; unknownWords: string[] }[];
};
const VOCAB = path.join(ROOT, FIXTURE.vocab);

test('matches the committed Python tokenizer output', () => {
  const tok = WordPieceTokenizer.fromFile(VOCAB, { lowercase: true });
  assert.ok(FIXTURE.cases.length > 10);
  for (const c of FIXTURE.cases) {
    const enc = tok.encode(c.text, c.maxTokens);
    assert.deepEqual(Array.from(enc.ids), c.ids, JSON.stringify(c.text));
    assert.deepEqual(Array.from(enc.mask), c.mask, JSON.stringify(c.text));
    assert.deepEqual(enc.unknownWords, c.unknownWords, JSON.stringify(c.text));
  }
});

test('greedy longest match with ## continuations, [UNK] per unknown word', () => {
  const tok = WordPieceTokenizer.fromFile(VOCAB);
  assert.deepEqual(tok.wordpiece('backpacks'), ['backpack', '##s']);
  assert.deepEqual(tok.wordpiece('handbag'), ['hand', '##bag']);
  assert.equal(tok.wordpiece('zebra'), null);
  const enc = tok.encode('Zebra with a RED handbag', 12);
  assert.equal(enc.ids[0], tok.clsId);
  assert.equal(enc.ids[1], tok.unkId);
  assert.deepEqual(enc.unknownWords, ['zebra']);
  assert.equal(enc.ids.length, 12);
});

test('truncation keeps [SEP]; padding is masked', () => {
  const tok = WordPieceTokenizer.fromFile(VOCAB);
  const long = tok.encode('red '.repeat(50), 8);
  assert.equal(long.ids[7], tok.sepId);
  assert.deepEqual(long.mask, [1, 1, 1, 1, 1, 1, 1, 1]);
  const short = tok.encode('red', 6);
  assert.deepEqual(short.mask, [1, 1, 1, 0, 0, 0]);
  assert.deepEqual(short.ids.slice(3), [tok.padId, tok.padId, tok.padId]);
});

test('basic tokenizer: accents, punctuation, CJK, astral characters', () => {
  assert.deepEqual(basicTokenize('Café, dark-BLUE! 東京 😀x'), ['cafe', ',', 'dark', '-', 'blue', '!', '東', '京', '😀x']);
});

// Sentences beyond the fixture, tokenized live by the Python implementation.
const LIVE = [
  'Woman in a RED jacket, black back-pack; walking fast!!',
  'Señor Müller wears a façade… “quoted” — dash',
  'tab\tseparated\u2028line sep\u00a0nbsp',
  'ＦＵＬＬＷＩＤＴＨ letters and ﬁ ligature',
  'Ｉstanbul İstanbul ΣΊΣΥΦΟΣ',
  'a\u0000b\ufffdc\u200dd',
  'backpackbackpack handbags jeanss',
];

test('matches the Python tokenizer live', { skip: !hasPython() && `${PYTHON_INTERPRETER} not present` }, () => {
  const script = [
    'import json, sys',
    'from ivt.tokenizer import WordPieceTokenizer',
    'tok = WordPieceTokenizer.from_file(sys.argv[1])',
    'texts = json.loads(sys.stdin.read())',
    'print(json.dumps([tok.encode(t, 24) for t in texts]))',
  ].join('\n');
  const out = execFileSync(PY, ['-c', script, VOCAB], { input: JSON.stringify(LIVE), encoding: 'utf8' });
  const expected = JSON.parse(out) as [number[], number[], string[]][];
  const tok = WordPieceTokenizer.fromFile(VOCAB);
  LIVE.forEach((text, i) => {
    const enc = tok.encode(text, 24);
    assert.deepEqual([Array.from(enc.ids), Array.from(enc.mask), enc.unknownWords], expected[i], JSON.stringify(text));
  });
});
