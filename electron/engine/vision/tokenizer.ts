// BERT-compatible WordPiece tokenizer, the twin of native-models/ivt/ivt/tokenizer.py.
// Basic step = BERT BasicTokenizer (drop control chars, space out CJK, lowercase, strip
// accents, split punctuation); then greedy longest-match-first WordPiece with '##'
// continuations. A bert-base-uncased vocab.txt works unchanged. test/unit/tokenizer.test.ts
// checks this file against the Python output, so change both together.
import * as fs from 'node:fs';

export interface TokenizerOptions {
  lowercase?: boolean;
  cls?: string;
  sep?: string;
  pad?: string;
  unk?: string;
  mask?: string;
  maxCharsPerWord?: number;
}

export interface Encoding {
  /** [CLS] tokens… [SEP] then [PAD] up to maxTokens. */
  ids: number[];
  /** 1 for real tokens, 0 for padding. */
  mask: number[];
  /** Words of the text that became [UNK] (the vocabulary cannot spell them). */
  unknownWords: string[];
  /** Tokens past maxTokens that the encoder never sees (0: the whole text was read). */
  droppedTokens: number;
  /** Tokens that are not [UNK]: 0 means no word of the text is known. */
  knownTokens: number;
}

const CONTROL = /^\p{C}$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const PUNCTUATION = /^\p{P}$/u;
const NONSPACING_MARK = /\p{Mn}/gu;

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || SPACE_SEPARATOR.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  // BERT counts every non-alphanumeric ASCII symbol ("$", "^", "`"...) as punctuation.
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCTUATION.test(ch);
}

function isCjk(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

/** Splits text into words exactly like BERT's BasicTokenizer (iterates code points, not UTF-16 units). */
export function basicTokenize(text: string, lowercase = true): string[] {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    if (isCjk(cp)) cleaned += ` ${ch} `;
    else if (isWhitespace(ch)) cleaned += ' ';
    else cleaned += ch;
  }
  const words: string[] = [];
  // Python's str.split() also splits on U+2028/U+2029, which survive cleaning; \s covers them.
  for (let token of cleaned.split(/\s+/u)) {
    if (token === '') continue;
    if (lowercase) token = token.toLowerCase().normalize('NFD').replace(NONSPACING_MARK, '');
    let current = '';
    for (const ch of token) {
      if (isPunctuation(ch)) {
        if (current) words.push(current);
        current = '';
        words.push(ch);
      } else {
        current += ch;
      }
    }
    if (current) words.push(current);
  }
  return words;
}

/** Token -> id, id = line number; the first occurrence wins (as in the Python loader). */
export function parseVocab(text: string): Map<string, number> {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const vocab = new Map<string, number>();
  lines.forEach((token, index) => { if (!vocab.has(token)) vocab.set(token, index); });
  return vocab;
}

export class WordPieceTokenizer {
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  private readonly lowercase: boolean;
  private readonly maxCharsPerWord: number;

  constructor(readonly vocab: Map<string, number>, opts: TokenizerOptions = {}) {
    this.lowercase = opts.lowercase ?? true;
    this.maxCharsPerWord = opts.maxCharsPerWord ?? 100;
    const id = (token: string): number => {
      const v = vocab.get(token);
      if (v === undefined) throw new Error(`vocabulary has no ${token} token`);
      return v;
    };
    this.padId = id(opts.pad ?? '[PAD]');
    this.unkId = id(opts.unk ?? '[UNK]');
    this.clsId = id(opts.cls ?? '[CLS]');
    this.sepId = id(opts.sep ?? '[SEP]');
    this.maskId = id(opts.mask ?? '[MASK]');
  }

  static fromFile(vocabPath: string, opts: TokenizerOptions = {}): WordPieceTokenizer {
    return new WordPieceTokenizer(parseVocab(fs.readFileSync(vocabPath, 'utf8')), opts);
  }

  get size(): number { return this.vocab.size; }

  /** Pieces of one word, or null when the vocabulary cannot cover it (-> [UNK]). */
  wordpiece(word: string): string[] | null {
    const chars = Array.from(word);
    if (chars.length > this.maxCharsPerWord) return null;
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        let piece = chars.slice(start, end).join('');
        if (start > 0) piece = '##' + piece;
        if (this.vocab.has(piece)) { found = piece; break; }
        end -= 1;
      }
      if (found === null) return null;
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /** Token ids without specials, and the words that became [UNK]. */
  tokenize(text: string): { ids: number[]; unknownWords: string[] } {
    const ids: number[] = [];
    const unknownWords: string[] = [];
    for (const word of basicTokenize(text, this.lowercase)) {
      const pieces = this.wordpiece(word);
      if (pieces === null) {
        ids.push(this.unkId);
        unknownWords.push(word);
      } else {
        for (const p of pieces) ids.push(this.vocab.get(p)!);
      }
    }
    return { ids, unknownWords };
  }

  /** [CLS] tokens [SEP] [PAD]…, tokens truncated so that [SEP] always fits. */
  encode(text: string, maxTokens: number): Encoding {
    if (maxTokens < 2) throw new Error('maxTokens must leave room for [CLS] and [SEP]');
    const { ids: tokens, unknownWords } = this.tokenize(text);
    const kept = tokens.slice(0, maxTokens - 2);
    const ids = [this.clsId, ...kept, this.sepId];
    const mask = ids.map(() => 1);
    while (ids.length < maxTokens) { ids.push(this.padId); mask.push(0); }
    return { ids, mask, unknownWords, droppedTokens: tokens.length - kept.length, knownTokens: kept.filter((t) => t !== this.unkId).length };
  }
}
