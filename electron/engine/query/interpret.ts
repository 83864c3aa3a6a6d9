// What the search makes of a description, shown to the investigator, never applied silently:
// the parsed constraints, the description rewritten into words the IVT text encoder knows
// ("crimson" → "red", "parka" → "jacket"), and the words neither can use ("curly").
import * as fs from 'node:fs';
import { basicTokenize } from '../vision/tokenizer';
import { CATEGORIES } from './categories';
import { Constraints, DescribedColour, Item, parseDescription, Phrase } from './parse';

/** The text encoder's vocabulary: any set of WordPiece tokens ("##"-prefixed continuations allowed). */
export interface Vocabulary { has(token: string): boolean }

export interface InterpretOptions {
  ivtVocabulary: Vocabulary;
  /** The text encoder's token limit including [CLS] and [SEP] (manifest text.maxTokens). */
  maxTokens?: number;
}

export interface Mapping {
  from: string;
  /** What the text encoder reads instead; '' = left out of its text and kept only as a constraint ("no bag", "light"). */
  to: string;
}

export interface Interpretation {
  constraints: Constraints;
  /** The description in words the text encoder knows. */
  ivtText: string;
  mapped: Mapping[];
  /** Words that reach neither the text encoder nor a constraint the evidence can check. */
  notUnderstood: string[];
  /** Set when ivtText is longer than the encoder reads: the words it will not see. */
  truncated?: { maxTokens: number; droppedWords: string[] };
  /** One line for the investigator: "woman · red jacket (parka) · blue jeans · crimson → red …". */
  summary: string;
}

/** Reads a BERT-style vocab.txt (one token a line) into a set. */
export function loadIvtVocabulary(vocabFile: string): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(vocabFile, 'utf8');
  } catch (e) {
    throw new Error(`${vocabFile}: cannot read the text encoder vocabulary (${(e as Error).message})`);
  }
  return new Set(text.split(/\r?\n/).filter((t) => t !== ''));
}

/** WordPiece pieces of one word, or null when the vocabulary cannot spell it (the encoder would read [UNK]). */
function pieces(word: string, vocab: Vocabulary): string[] | null {
  const out: string[] = [];
  for (let start = 0; start < word.length;) {
    let end = word.length;
    let found: string | null = null;
    for (; end > start; end--) {
      const piece = (start > 0 ? '##' : '') + word.slice(start, end);
      if (vocab.has(piece)) { found = piece; break; }
    }
    if (!found) return null;
    out.push(found);
    start = end;
  }
  return out;
}

const knows = (text: string, vocab: Vocabulary): boolean => basicTokenize(text).every((w) => pieces(w, vocab) !== null);

// The IVT captions' hair colour words.
const HAIR_WORD: Partial<Record<DescribedColour['base'], string>> = { beige: 'blonde', yellow: 'blonde', orange: 'red', red: 'red', brown: 'brown', black: 'black', grey: 'grey', white: 'grey' };

function colourWords(c: DescribedColour, vocab: Vocabulary): string {
  const base = c.base === 'grey' && !vocab.has('grey') ? 'gray' : c.base;
  if (c.modifier === 'dark' && c.base !== 'black' && c.base !== 'navy' && knows(`dark ${base}`, vocab)) return `dark ${base}`;
  return knows(base, vocab) ? base : '';
}

/** The words the text encoder gets for one phrase ('' = none) and whether the loss must be reported. */
function render(p: Phrase, next: Phrase | undefined, vocab: Vocabulary, phraseColour: DescribedColour | undefined): { text: string; report: 'kept' | 'mapped' | 'silent' | 'not understood' } {
  const t = p.term;
  if (p.absent) return { text: '', report: 'silent' }; // reported once for the whole negated phrase
  if (knows(p.text, vocab)) return { text: p.text, report: 'kept' };
  switch (t.kind) {
    case 'noun': {
      const say = CATEGORIES[t.category].ivt.find((w) => knows(w, vocab));
      return say ? { text: say, report: 'mapped' } : { text: '', report: 'not understood' };
    }
    case 'colour': {
      const w = colourWords(phraseColour ?? { base: t.colour.base, modifier: t.colour.modifier, words: p.text }, vocab);
      return w ? { text: w, report: 'mapped' } : { text: '', report: 'not understood' };
    }
    case 'modifier':
      // carried by the colour it modifies (reported with it), or a tone on its own ("dark trousers")
      return next?.term.kind === 'colour' ? { text: '', report: 'silent' } : { text: '', report: 'mapped' };
    case 'subject': {
      if (!t.gender && !t.age) return { text: '', report: 'silent' }; // "person", "someone": no appearance in the word
      const noun = t.gender === 'male' ? 'man' : t.gender === 'female' ? 'woman' : '';
      const young = t.age === 'child' || t.age === 'teenager' || t.age === 'young' ? 'young' : '';
      const say = [young, noun].filter((w) => w && knows(w, vocab)).join(' ');
      return say ? { text: say, report: 'mapped' } : { text: '', report: 'not understood' };
    }
    case 'age':
      return (t.age === 'teenager' || t.age === 'young') && knows('young', vocab) ? { text: 'young', report: 'mapped' } : { text: '', report: 'not understood' };
    case 'hairColour': {
      const w = HAIR_WORD[t.colour.base];
      return w && knows(w, vocab) ? { text: w, report: 'mapped' } : { text: '', report: 'not understood' };
    }
    case 'pattern':
      return knows(t.pattern, vocab) ? { text: t.pattern, report: 'mapped' } : { text: '', report: 'not understood' };
    case 'sleeves': {
      const say = t.sleeves === 'none' ? '' : `${t.sleeves}-sleeved`;
      return say && knows(say, vocab) ? { text: say, report: 'mapped' } : { text: '', report: 'not understood' };
    }
    case 'hivis':
      // hi-vis garments are fluorescent yellow (or orange); a colour said with it wins
      return phraseColour || !knows('yellow', vocab) ? { text: '', report: 'mapped' } : { text: 'yellow', report: 'mapped' };
    case 'negation': case 'or': case 'all': case 'boundary': case 'function':
      return { text: '', report: 'silent' }; // grammar, no appearance
    default:
      return { text: '', report: 'not understood' };
  }
}

export function interpretQuery(text: string, opts: InterpretOptions): Interpretation {
  const { constraints, phrases } = parseDescription(text);
  const vocab = opts.ivtVocabulary;
  const colourOf = describedColours(constraints);
  const out: string[] = [];
  const mapped: Mapping[] = [];
  const notUnderstood: string[] = [];
  for (let i = 0; i < phrases.length; i++) {
    const p = phrases[i];
    if (p.absent && (i === 0 || !phrases[i - 1].absent)) {
      let j = i;
      while (j + 1 < phrases.length && phrases[j + 1].absent) j++;
      mapped.push({ from: phrases.slice(i, j + 1).map((q) => q.text).join(' '), to: '' });
    }
    const prev = phrases[i - 1];
    const modifierBefore = prev?.term.kind === 'modifier' && p.term.kind === 'colour' && !knows(prev.text, vocab) ? prev.text : '';
    const colour = p.term.kind === 'colour' ? colourOf.get(modifierBefore ? `${modifierBefore} ${p.text}` : p.text) ?? colourOf.get(p.text)
      : p.term.kind === 'hivis' ? (phrases[i - 1]?.term.kind === 'colour' || phrases[i + 1]?.term.kind === 'colour' ? { base: 'yellow', words: '' } as DescribedColour : undefined)
        : undefined;
    const r = render(p, phrases[i + 1], vocab, colour);
    if (r.text) out.push(r.text);
    else if (p.term.kind === 'noun' || p.absent) while (ARTICLES.has(out[out.length - 1])) out.pop(); // no "with a and a cap"
    const from = modifierBefore ? `${modifierBefore} ${p.text}` : p.text;
    if (r.report === 'mapped' && from !== r.text) mapped.push({ from, to: r.text });
    else if (r.report === 'kept' && modifierBefore) mapped.push({ from, to: r.text });
    else if (r.report === 'not understood' && !notUnderstood.includes(p.text)) notUnderstood.push(p.text);
  }
  const ivtText = joinWords(out);
  const interpretation: Interpretation = { constraints, ivtText, mapped, notUnderstood, summary: '' };
  if (opts.maxTokens) {
    const words = basicTokenize(ivtText);
    let used = 2; // [CLS] … [SEP]
    const dropped: string[] = [];
    for (const w of words) {
      used += pieces(w, vocab)?.length ?? 1;
      if (used > opts.maxTokens) dropped.push(w);
    }
    if (dropped.length) interpretation.truncated = { maxTokens: opts.maxTokens, droppedWords: dropped };
  }
  interpretation.summary = summarise(interpretation);
  return interpretation;
}

// Described colours by the words typed, to render a colour phrase as the parser read it.
function describedColours(c: Constraints): Map<string, DescribedColour> {
  const m = new Map<string, DescribedColour>();
  const items: Item[] = [...c.upper, ...c.lower, ...c.bag, ...c.headwear, ...c.footwear, ...c.eyewear, ...c.carried];
  for (const col of [...items.flatMap((it) => it.colours), ...(c.overall ?? []), ...(c.hair?.colour ? [c.hair.colour] : [])]) m.set(col.words, col);
  return m;
}

const ARTICLES = new Set(['a', 'an', 'the']);

function joinWords(words: string[]): string {
  return words.join(' ').replace(/\b(with|in|wearing|carrying|holding)\s+and\b/g, '$1').replace(/\b(with|in|wearing|carrying|holding|and)\s*(?=,|$)/g, '').replace(/\s+([,.;:!?])/g, '$1').replace(/([,.;:])(?:\s*[,.;:])+/g, '$1').replace(/^[\s,.;:]+|[\s,;:]+$/g, '').trim();
}

// ---- the one-line summary ---------------------------------------------------------------------------
function colourText(cs: DescribedColour[]): string {
  return cs.map((c) => (c.modifier ? `${c.modifier} ` : '') + c.base + (c.also?.length ? `/${c.also.join('/')}` : '')).join(' and ');
}

function itemText(it: Item): string {
  if (it.absent) return `no ${it.category}`;
  const parts = [it.hiVis ? 'hi-vis' : '', colourText(it.colours), it.pattern ?? '', it.sleeves ? `${it.sleeves}-sleeved` : '', it.category];
  const said = it.words && it.words !== it.category ? ` (${it.words})` : '';
  return parts.filter(Boolean).join(' ') + said;
}

export function summarise(i: Pick<Interpretation, 'constraints' | 'mapped' | 'notUnderstood' | 'truncated'>): string {
  const c = i.constraints;
  const who = [c.age, c.gender === 'male' ? 'man' : c.gender === 'female' ? 'woman' : c.age ? '' : 'person'].filter(Boolean).join(' ');
  const parts = [who];
  if (c.overall?.length) parts.push(`all ${colourText(c.overall)}`);
  for (const it of [...c.upper, ...c.lower, ...c.footwear, ...c.bag, ...c.headwear, ...c.eyewear, ...c.carried]) parts.push(itemText(it));
  if (c.hair) parts.push([c.hair.length, ...(c.hair.style ?? []).filter((s) => s !== c.hair!.length), c.hair.colour ? colourText([c.hair.colour]) : '', 'hair'].filter(Boolean).join(' '));
  if (c.facialHair) parts.push(c.facialHair);
  let s = parts.join(' · ');
  const shown = i.mapped.filter((m) => m.to).map((m) => `${m.from} → ${m.to}`);
  const kept = i.mapped.filter((m) => !m.to).map((m) => m.from);
  if (shown.length) s += `; ${shown.join(', ')}`;
  if (kept.length) s += `; as constraints only: ${kept.join(', ')}`;
  if (i.notUnderstood.length) s += `; not understood: ${i.notUnderstood.join(', ')}`;
  if (i.truncated) s += `; beyond the ${i.truncated.maxTokens}-token limit: ${i.truncated.droppedWords.join(' ')}`;
  return s;
}
