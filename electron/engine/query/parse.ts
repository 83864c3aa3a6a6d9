// Description text → structured constraints (who, what they wear and carry, in which colours).
//
// The text is cut into phrases by longest match against one phrase table (lexicon.json nouns and
// colours, plus the small closed-class tables below); then read left to right: describing words
// (colours, light/dark, patterns, materials, sleeves, hi-vis) wait until the next thing they can
// describe — so "woman in a red jacket with a black backpack and blue jeans" gives red → jacket,
// black → backpack, blue → jeans — and "no"/"without" negate the next thing named.
import type { BaseColour, ColourTerm } from '../vision/colour';
import { CATEGORIES, Slot } from './categories';
import lexiconJson from './lexicon.json';

interface ColourEntry { base: BaseColour; modifier?: 'light' | 'dark'; also?: BaseColour[] }
const LEXICON = lexiconJson as unknown as { nouns: Record<string, string>; colours: Record<string, ColourEntry> };

export type Gender = 'male' | 'female';
export type Age = 'child' | 'teenager' | 'young' | 'adult' | 'elderly';
export type ColourModifier = NonNullable<ColourTerm['modifier']>;
export type Pattern = 'plain' | 'striped' | 'plaid' | 'spotted' | 'floral' | 'camouflage' | 'patterned';

/** A described colour: the base colour(s) it names, its light/dark modifier, and the words typed. */
export interface DescribedColour extends ColourTerm { words: string }

/** Something worn or carried, as described. `category` is a categories.ts key ("jacket", "backpack"). */
export interface Item {
  category: string;
  /** The words typed for it ("parka", "tracksuit bottoms"). */
  words: string;
  colours: DescribedColour[];
  pattern?: Pattern;
  material?: string;
  sleeves?: 'long' | 'short' | 'none';
  hiVis?: boolean;
  /** Described as absent ("no bag", "without a hat"). */
  absent?: boolean;
}

export interface Hair {
  length?: 'long' | 'short' | 'shoulder-length' | 'bald';
  colour?: DescribedColour;
  style?: string[];
}

export interface Constraints {
  gender?: Gender;
  age?: Age;
  /** The outermost upper garment named first, then any others. */
  upper: Item[];
  lower: Item[];
  bag: Item[];
  headwear: Item[];
  footwear: Item[];
  eyewear: Item[];
  carried: Item[];
  hair?: Hair;
  facialHair?: 'beard' | 'moustache' | 'stubble' | 'clean-shaven';
  hiVis?: boolean;
  /** Colours said of the whole person ("dressed all in black"). */
  overall?: DescribedColour[];
}

/** A phrase of the text and what the parser took it for. */
export type Term =
  | { kind: 'noun'; category: string }
  | { kind: 'colour'; colour: ColourEntry }
  | { kind: 'modifier'; modifier: ColourModifier }
  | { kind: 'pattern'; pattern: Pattern }
  | { kind: 'material'; material: string }
  | { kind: 'sleeves'; sleeves: 'long' | 'short' | 'none' }
  | { kind: 'hivis' }
  | { kind: 'subject'; gender?: Gender; age?: Age }
  | { kind: 'pronoun'; gender: Gender }
  | { kind: 'age'; age: Age }
  | { kind: 'hair' }
  | { kind: 'length'; length: 'long' | 'short' }
  | { kind: 'hairStyle'; style: string; length?: Hair['length'] }
  | { kind: 'hairColour'; colour: ColourEntry }
  | { kind: 'facialHair'; facialHair: NonNullable<Constraints['facialHair']> }
  | { kind: 'negation' }
  | { kind: 'or' }
  | { kind: 'all' }
  | { kind: 'boundary' }
  | { kind: 'function' }
  | { kind: 'unknown' };

export interface Phrase {
  text: string;
  term: Term;
  /** Part of a thing described as absent ("no bag"): the phrase must not reach the text encoder as a positive. */
  absent?: boolean;
}

// ---- closed-class words (the open classes come from lexicon.json) ----------------------------------
const SUBJECTS: Record<string, { gender?: Gender; age?: Age }> = {
  man: { gender: 'male' }, men: { gender: 'male' }, male: { gender: 'male' }, gentleman: { gender: 'male' }, gent: { gender: 'male' },
  guy: { gender: 'male' }, bloke: { gender: 'male' }, fella: { gender: 'male' }, fellow: { gender: 'male' }, chap: { gender: 'male' },
  lad: { gender: 'male', age: 'young' }, boy: { gender: 'male', age: 'child' }, 'young man': { gender: 'male', age: 'young' },
  'old man': { gender: 'male', age: 'elderly' }, youth: { age: 'teenager' },
  woman: { gender: 'female' }, women: { gender: 'female' }, female: { gender: 'female' }, lady: { gender: 'female' },
  lass: { gender: 'female', age: 'young' }, girl: { gender: 'female', age: 'child' }, 'young woman': { gender: 'female', age: 'young' },
  'old woman': { gender: 'female', age: 'elderly' }, 'old lady': { gender: 'female', age: 'elderly' },
  child: { age: 'child' }, kid: { age: 'child' }, toddler: { age: 'child' }, teenager: { age: 'teenager' }, teen: { age: 'teenager' },
  pensioner: { age: 'elderly' }, person: {}, someone: {}, somebody: {}, individual: {}, suspect: {}, subject: {}, pedestrian: {}, figure: {}, people: {},
};
const PRONOUNS: Record<string, Gender> = { he: 'male', his: 'male', him: 'male', she: 'female', her: 'female', hers: 'female' };
const AGES: Record<string, Age> = {
  young: 'young', younger: 'young', teenage: 'teenager', teenaged: 'teenager', adolescent: 'teenager', elderly: 'elderly', old: 'elderly',
  older: 'elderly', aged: 'elderly', 'middle-aged': 'adult', 'middle aged': 'adult', adult: 'adult', grown: 'adult',
};
const MODIFIERS: Record<string, ColourModifier> = { light: 'light', pale: 'pale', dark: 'dark', deep: 'dark', bright: 'bright', vivid: 'bright', neon: 'bright', pastel: 'pale' };
const PATTERNS: Record<string, Pattern> = {
  plain: 'plain', striped: 'striped', stripy: 'striped', stripey: 'striped', stripes: 'striped', 'pin-striped': 'striped', pinstriped: 'striped',
  checked: 'plaid', checkered: 'plaid', chequered: 'plaid', check: 'plaid', plaid: 'plaid', tartan: 'plaid', gingham: 'plaid', checks: 'plaid',
  spotted: 'spotted', spotty: 'spotted', dotted: 'spotted', 'polka dot': 'spotted', 'polka-dot': 'spotted', floral: 'floral', flowery: 'floral',
  camouflage: 'camouflage', camo: 'camouflage', patterned: 'patterned', printed: 'patterned', graphic: 'patterned',
};
const MATERIALS = ['leather', 'woolly', 'wool', 'woollen', 'knitted', 'knit', 'puffy', 'padded', 'quilted', 'suede', 'corduroy', 'waterproof', 'cargo', 'tracksuit', 'zip-up', 'zip', 'hooded'];
const SLEEVES: Record<string, 'long' | 'short' | 'none'> = {
  'long-sleeved': 'long', 'long sleeved': 'long', 'long sleeves': 'long', 'long-sleeve': 'long', 'long sleeve': 'long',
  'short-sleeved': 'short', 'short sleeved': 'short', 'short sleeves': 'short', 'short-sleeve': 'short', 'short sleeve': 'short', sleeveless: 'none',
};
const HI_VIS = ['hi-vis', 'hi vis', 'hivis', 'high-vis', 'high vis', 'hi-viz', 'hi viz', 'high-viz', 'high visibility', 'high-visibility', 'fluorescent', 'fluoro', 'reflective'];
const HAIR_STYLES: Record<string, { style: string; length?: Hair['length'] }> = {
  curly: { style: 'curly' }, wavy: { style: 'wavy' }, straight: { style: 'straight' }, frizzy: { style: 'curly' }, spiky: { style: 'spiky' },
  ponytail: { style: 'ponytail' }, 'pony tail': { style: 'ponytail' }, bun: { style: 'bun' }, braids: { style: 'braids' }, braid: { style: 'braids' }, plaits: { style: 'braids' }, plait: { style: 'braids' },
  dreadlocks: { style: 'dreadlocks' }, dreads: { style: 'dreadlocks' }, afro: { style: 'afro' }, bald: { style: 'bald', length: 'bald' },
  balding: { style: 'balding', length: 'short' }, shaved: { style: 'shaved', length: 'short' }, 'shaved head': { style: 'shaved', length: 'short' },
  'shoulder-length': { style: 'shoulder-length', length: 'shoulder-length' }, 'shoulder length': { style: 'shoulder-length', length: 'shoulder-length' },
  'cropped': { style: 'cropped', length: 'short' }, 'buzz cut': { style: 'shaved', length: 'short' }, 'skinhead': { style: 'shaved', length: 'short' },
};
// Hair colour words that are not garment colours ("blonde"), and garment colours said of hair.
const HAIR_COLOURS: Record<string, ColourEntry> = {
  // blonde hair photographs as light beige/straw rather than yellow
  blonde: { base: 'beige', modifier: 'light', also: ['yellow'] }, blond: { base: 'beige', modifier: 'light', also: ['yellow'] },
  fair: { base: 'beige', modifier: 'light', also: ['yellow'] },
  ginger: { base: 'orange' }, auburn: { base: 'red', modifier: 'dark' }, brunette: { base: 'brown' }, 'dark-haired': { base: 'black' },
};
const FACIAL_HAIR: Record<string, NonNullable<Constraints['facialHair']>> = {
  beard: 'beard', bearded: 'beard', moustache: 'moustache', mustache: 'moustache', moustached: 'moustache', stubble: 'stubble',
  stubbly: 'stubble', goatee: 'beard', 'clean-shaven': 'clean-shaven', 'clean shaven': 'clean-shaven',
};
const NEGATIONS = ['no', 'without', 'not', "isn't", "wasn't", "doesn't", "didn't", 'nothing', 'none'];
const BOUNDARIES = [',', '.', ';', ':', 'with', 'carrying', 'holding', 'wearing', 'who', 'and', 'has', 'had', 'have', 'plus', '(', ')', '/', '!', '?'];
const FUNCTION_WORDS = ['a', 'an', 'the', 'in', 'on', 'of', 'is', 'was', 'are', 'wears', 'wore', 'worn', 'dressed', 'carries', 'carried',
  'holds', 'having', 'some', 'sort', 'kind', 'type', 'possibly', 'maybe', 'probably', 'perhaps', 'about', 'around', 'approx', 'approximately',
  'walking', 'looking', 'using', 'pushing', 'pulling', 'riding', 'wheeling', 'dragging', 'at', 'to', 'up', 'over', 'under', 'underneath', 'by', 'this',
  'that', 'which', 'their', 'they', 'it', 'its', 'colour', 'color', 'coloured', 'colored', 'very', 'quite', 'bit', 'slightly', 'also', 'both',
  'tall', 'slim', 'thin', 'heavy', 'heavyset', 'stocky', 'build', 'large', 'small', 'big', 'little', 'medium', 'clothes', 'clothing', 'outfit', 'head',
  'toe', 'appearance', 'seen', 'visible', 'distinctive'];
const COLOUR_PHRASES: Record<string, string> = { 'navy blue': 'navy', 'sky blue': 'skyblue', 'bottle green': 'bottlegreen', 'hot pink': 'hotpink' };
const ISH: Record<string, BaseColour> = {
  reddish: 'red', bluish: 'blue', blueish: 'blue', greenish: 'green', greyish: 'grey', grayish: 'grey', brownish: 'brown', yellowish: 'yellow',
  pinkish: 'pink', purplish: 'purple', orangey: 'orange', orangish: 'orange', whitish: 'white', blackish: 'black', beigey: 'beige',
};

// ---- the phrase table ------------------------------------------------------------------------------
const PHRASES = new Map<string, Term>();
let longestPhrase = 1;
function add(phrase: string, term: Term, override = true): void {
  const key = tokenize(phrase).join(' ');
  if (!override && PHRASES.has(key)) return;
  PHRASES.set(key, term);
  longestPhrase = Math.max(longestPhrase, key.split(' ').length);
}

/** Lower-case words and punctuation; hyphens and apostrophes inside a word stay ("t-shirt", "isn't"). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/\p{Mn}/gu, '').replace(/[’‘]/g, "'")
    .match(/[a-z0-9]+(?:['-][a-z0-9]+)*|[^\sa-z0-9]/g) ?? [];
}

(function buildPhraseTable(): void {
  const colourKeys = Object.keys(LEXICON.colours);
  for (const key of colourKeys) {
    add(key, { kind: 'colour', colour: LEXICON.colours[key] });
    // color-name writes "lightblue", "skyblue": accept them typed as two words too
    for (let i = 3; i < key.length - 2; i++) {
      if (LEXICON.colours[key.slice(i)]) add(`${key.slice(0, i)} ${key.slice(i)}`, { kind: 'colour', colour: LEXICON.colours[key] }, false);
    }
  }
  for (const [phrase, key] of Object.entries(COLOUR_PHRASES)) add(phrase, { kind: 'colour', colour: LEXICON.colours[key] });
  for (const [word, base] of Object.entries(ISH)) add(word, { kind: 'colour', colour: { base } });
  for (const [word, modifier] of Object.entries(MODIFIERS)) add(word, { kind: 'modifier', modifier });
  for (const [word, pattern] of Object.entries(PATTERNS)) add(word, { kind: 'pattern', pattern });
  for (const m of MATERIALS) add(m, { kind: 'material', material: m });
  for (const [word, sleeves] of Object.entries(SLEEVES)) add(word, { kind: 'sleeves', sleeves });
  for (const h of HI_VIS) add(h, { kind: 'hivis' });
  for (const [word, age] of Object.entries(AGES)) add(word, { kind: 'age', age });
  for (const [word, s] of Object.entries(SUBJECTS)) add(word, { kind: 'subject', ...s });
  for (const [word, gender] of Object.entries(PRONOUNS)) add(word, { kind: 'pronoun', gender });
  for (const [word, s] of Object.entries(HAIR_STYLES)) add(word, { kind: 'hairStyle', ...s });
  for (const [word, colour] of Object.entries(HAIR_COLOURS)) add(word, { kind: 'hairColour', colour });
  for (const [word, facialHair] of Object.entries(FACIAL_HAIR)) add(word, { kind: 'facialHair', facialHair });
  for (const w of NEGATIONS) add(w, { kind: 'negation' });
  for (const w of ['not wearing', 'not carrying', 'no sign of']) add(w, { kind: 'negation' });
  add('or', { kind: 'or' }); add('nor', { kind: 'or' });
  for (const w of ['all in', 'head to toe', 'from head to toe', 'all']) add(w, { kind: 'all' });
  for (const w of BOUNDARIES) add(w, { kind: 'boundary' });
  for (const w of FUNCTION_WORDS) add(w, { kind: 'function' });
  add('hair', { kind: 'hair' }); add('haired', { kind: 'hair' });
  add('long', { kind: 'length', length: 'long' }); add('short', { kind: 'length', length: 'short' });
  // nouns last: a garment word wins over a closed-class reading ("top" of "crop top")
  for (const [word, category] of Object.entries(LEXICON.nouns)) add(word, { kind: 'noun', category });
  // …except where a closed-class phrase means more than the noun in it
  add('shaved head', { kind: 'hairStyle', style: 'shaved', length: 'short' });
  add('hooded top', { kind: 'noun', category: 'hoodie' });
  add('hood up', { kind: 'noun', category: 'hood' });
})();

/** Cuts text into phrases by longest match against the phrase table; unknown words are one phrase each. */
export function segment(text: string): Phrase[] {
  // a hyphenated word the table does not know is read as its parts: "red-and-navy", "blue-grey"
  const tokens = tokenize(text).flatMap((t) => (t.includes('-') && !PHRASES.has(t) && !plural(t) ? t.split('-') : [t]));
  const out: Phrase[] = [];
  for (let i = 0; i < tokens.length;) {
    let matched = false;
    for (let n = Math.min(longestPhrase, tokens.length - i); n >= 1; n--) {
      const key = tokens.slice(i, i + n).join(' ');
      const term = PHRASES.get(key) ?? (n === 1 ? plural(key) : undefined);
      if (term) { out.push({ text: key, term }); i += n; matched = true; break; }
    }
    if (!matched) { out.push({ text: tokens[i], term: { kind: 'unknown' } }); i++; }
  }
  return out;
}

// "anoraks", "hoodies", "parkas": a plural of a known noun is that noun.
function plural(word: string): Term | undefined {
  for (const stem of [word.replace(/es$/, ''), word.replace(/s$/, '')]) {
    const t = stem !== word ? PHRASES.get(stem) : undefined;
    if (t?.kind === 'noun') return t;
  }
  return undefined;
}

// ---- reading the phrases -----------------------------------------------------------------------------
const emptyConstraints = (): Constraints => ({ upper: [], lower: [], bag: [], headwear: [], footwear: [], eyewear: [], carried: [] });

function described(colour: ColourEntry, words: string, modifier?: ColourModifier): DescribedColour {
  const c: DescribedColour = { base: colour.base, words };
  const m = modifier ?? colour.modifier;
  if (m) c.modifier = m;
  if (colour.also?.length) c.also = [...colour.also];
  return c;
}

function compound(first: DescribedColour, head: DescribedColour): DescribedColour {
  const also = [...(head.also ?? []), ...(first.base !== head.base ? [first.base] : [])].filter((b, k, a) => b !== head.base && a.indexOf(b) === k);
  const merged: DescribedColour = { base: head.base, words: `${first.words} ${head.words}` };
  const m = head.modifier ?? first.modifier;
  if (m) merged.modifier = m;
  if (also.length) merged.also = also;
  return merged;
}

// "dark trousers", "light top": a tone without a hue names the colours of that tone.
function toneOnly(modifier: ColourModifier, words: string): DescribedColour | undefined {
  if (modifier === 'dark') return { base: 'black', also: ['navy', 'grey', 'brown'], modifier: 'dark', words };
  if (modifier === 'light' || modifier === 'pale') return { base: 'white', also: ['beige', 'grey'], modifier: 'light', words };
  return undefined; // "bright" says nothing about which colour
}

/** Words after which a colour is the outfit's ("in red", "wearing black", "in a green dinosaur costume"). */
const OUTFIT_WORDS = new Set(['in', 'wearing', 'wears', 'dressed', 'clad']);
const saidOfOutfit = (phrases: Phrase[], i: number): boolean => {
  let k = i - 1;
  while (k >= 0 && ['a', 'an', 'the'].includes(phrases[k].text)) k--;
  return k >= 0 && OUTFIT_WORDS.has(phrases[k].text);
};

export function parseDescription(text: string): { constraints: Constraints; phrases: Phrase[] } {
  const phrases = segment(text);
  const c = emptyConstraints();
  // describing words waiting for the thing they describe
  let colours: DescribedColour[] = [];
  let modifier: { modifier: ColourModifier; text: string } | undefined;
  let pattern: Pattern | undefined;
  let material: string | undefined;
  let sleeves: Item['sleeves'];
  let hiVis = false;
  let length: { length: 'long' | 'short' } | undefined;
  let hairWords: { style?: string; length?: Hair['length']; colour?: DescribedColour }[] = [];
  let negate = false;
  let negatedFrom = -1; // first phrase of the negation being read
  let all = false;
  let explicitAge = false;
  let lastNegated = false;
  let lastUpper: Item | undefined;
  // Set when a word the parser does not know follows describing words: they describe that thing
  // ("white patterned panels", "a red traffic baton"), not the next garment nor the outfit, unless they
  // were said of the outfit ("in red standing by the door", "all in black", "wearing grey").
  let describesUnknown = false;
  let ofOutfit = false;
  const hair = (): Hair => (c.hair ??= {});

  const clearPending = (): void => {
    colours = []; modifier = undefined; pattern = undefined; material = undefined; sleeves = undefined; hiVis = false; length = undefined;
    describesUnknown = false; ofOutfit = false;
  };
  // Describing words left over at a boundary: hair words go to the hair, colours to the clothes
  // ("woman in red": a red upper garment; "all in black": the whole outfit).
  const flush = (): void => {
    if (hairWords.length) { applyHairWords(); }
    if (describesUnknown && !ofOutfit) { colours = []; modifier = undefined; hiVis = false; }
    if (!colours.length && modifier) colours = [toneOnly(modifier.modifier, modifier.text)].filter((x): x is DescribedColour => !!x);
    if (colours.length) {
      if (all) c.overall = colours;
      else if (!c.upper.length) c.upper.push({ category: 'top', words: '', colours, ...(pattern ? { pattern } : {}) });
      else if (!c.lower.length) c.lower.push({ category: 'trousers', words: '', colours });
    } else if (hiVis) {
      c.upper.push({ category: 'vest', words: '', colours: [], hiVis: true });
      c.hiVis = true;
    } else if (sleeves && lastUpper) lastUpper.sleeves = sleeves;
    clearPending();
    all = false;
  };
  const applyHairWords = (): void => {
    for (const w of hairWords) {
      const h = hair();
      if (w.style) (h.style ??= []).push(w.style);
      if (w.length) h.length = w.length;
      if (w.colour) h.colour = w.colour;
    }
    hairWords = [];
  };

  for (let i = 0; i < phrases.length; i++) {
    const { text: words, term } = phrases[i];
    switch (term.kind) {
      case 'colour': {
        if (!colours.length && !modifier) ofOutfit = all || saidOfOutfit(phrases, i);
        const col = described(term.colour, modifier ? `${modifier.text} ${words}` : words, modifier?.modifier);
        modifier = undefined;
        // "olive green", "blood red": two colour words in a row are one colour, named by the last
        if (phrases[i - 1]?.term.kind === 'colour' && colours.length) colours.push(compound(colours.pop()!, col));
        else colours.push(col);
        break;
      }
      case 'modifier':
        if (!colours.length && !modifier) ofOutfit = all || saidOfOutfit(phrases, i);
        modifier = { modifier: term.modifier, text: words };
        break;
      case 'pattern': pattern = term.pattern; break;
      case 'material': material = term.material; break;
      case 'sleeves': sleeves = term.sleeves; break;
      case 'hivis': hiVis = true; c.hiVis = true; break;
      case 'length': length = { length: term.length }; break;
      case 'hairStyle': {
        // "long black ponytail": the describing words before a hair style are the hair's, not the next garment's
        const colour = colours[0] ?? (modifier?.modifier === 'dark' ? { base: 'black' as const, words: modifier.text } : undefined);
        hairWords.push({ style: term.style, length: term.length ?? length?.length, ...(colour ? { colour } : {}) });
        if (colours.length || modifier || length) { colours = []; modifier = undefined; length = undefined; }
        break;
      }
      case 'hairColour': hairWords.push({ colour: described(term.colour, words) }); break;
      case 'facialHair': c.facialHair = term.facialHair; break;
      case 'hair': {
        // everything describing since the last thing named is the hair's: "long curly dark hair"
        const h = hair();
        if (length) h.length = length.length;
        if (colours.length) h.colour = colours[0];
        else if (modifier?.modifier === 'dark') h.colour = { base: 'black', words: modifier.text };
        else if (modifier && (modifier.modifier === 'light' || modifier.modifier === 'pale')) h.colour = { base: 'beige', modifier: 'light', also: ['yellow'], words: modifier.text };
        applyHairWords();
        clearPending();
        break;
      }
      case 'subject': case 'pronoun': {
        const gender = term.gender;
        if (gender && (term.kind === 'subject' || !c.gender)) c.gender = gender;
        if (term.kind === 'subject' && term.age && !explicitAge) c.age = term.age; // "teenage girl": the age word wins
        if (term.kind === 'subject') {
          // "blonde woman", "dark-haired man": hair words before the subject
          if (hairWords.length) applyHairWords();
          if (term.kind === 'subject' && length?.length === 'short') length = undefined; // "short man": height, not hair
          clearPending();
        }
        break;
      }
      case 'age': c.age = term.age; explicitAge = true; break;
      case 'negation': negate = true; negatedFrom = i; lastNegated = false; break;
      case 'or': if (lastNegated) { negate = true; negatedFrom = i; } break;
      case 'all': all = true; break;
      case 'noun': {
        const def = CATEGORIES[term.category];
        if (!colours.length && modifier) colours = [toneOnly(modifier.modifier, modifier.text)].filter((x): x is DescribedColour => !!x);
        const item: Item = { category: term.category, words, colours };
        if (pattern) item.pattern = pattern;
        if (material) item.material = material;
        if (sleeves) item.sleeves = sleeves;
        if (hiVis) item.hiVis = true;
        if (negate) {
          item.absent = true;
          for (let k = negatedFrom; k <= i; k++) phrases[k].absent = true;
        }
        if (def.slot === 'upper') lastUpper = item;
        (c[def.slot] as Item[]).push(item);
        if (hairWords.length) applyHairWords();
        lastNegated = negate;
        negate = false;
        clearPending();
        break;
      }
      case 'boundary':
        // "and" between colours keeps them for the same thing: "red and black striped jacket" (a comma ends it:
        // "grey tracksuit, black and white trainers")
        if (words === 'and' && colours.length && !describesUnknown && phrases[i + 1]?.term.kind === 'colour') break;
        flush();
        if (words !== 'and' && words !== ',') negate = false;
        break;
      case 'unknown':
        if (colours.length || modifier || pattern) describesUnknown = true;
        break;
      case 'function': break;
    }
  }
  flush();
  // A suit is one cloth above and below: its colour is the trousers' too, unless they are named.
  const suit = c.upper.find((u) => u.words === 'suit' && !u.absent && u.colours.length);
  if (suit && !c.lower.length) c.lower.push({ category: 'trousers', words: '', colours: suit.colours.map((x) => ({ ...x })) });
  // "hi-vis" alone makes a hi-vis upper garment; said of a jacket it stays that jacket's
  if (c.hiVis && !c.upper.some((u) => u.hiVis)) c.upper.push({ category: 'vest', words: '', colours: [], hiVis: true });
  return { constraints: c, phrases };
}

export const slotOf = (category: string): Slot => CATEGORIES[category].slot;
