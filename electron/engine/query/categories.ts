// The things a description can name that the models know about (garments, bags, headwear, footwear,
// carried objects), where each belongs on the person (its slot), and how to say it to the IVT text
// encoder. build-lexicon.ts grows each category's vocabulary from WordNet (`wordnet` seeds) and the
// hand table below; the parser reads the generated lexicon.json.

export type Slot = 'upper' | 'lower' | 'bag' | 'headwear' | 'footwear' | 'eyewear' | 'carried';

export interface Category {
  slot: Slot;
  /** WordNet noun senses: [lemma, sense number (1-based, index.noun order), hyponym depth (0 = the synset's own words)]. */
  wordnet: [string, number, number][];
  /** WordNet words that mean something else in a description (a colour, another garment, a non-garment sense);
   *  excluded from every category, since a hyponym of one category is often also reached from another. */
  exclude?: string[];
  /** How the IVT text encoder may be told: the first phrase whose words are all in its vocabulary. */
  ivt: string[];
}

const ALL = 9; // every hyponym level

export const CATEGORIES: Record<string, Category> = {
  // upper body (a dress is read as the upper garment, as the synthetic captions do)
  't-shirt': { slot: 'upper', wordnet: [['t-shirt', 1, ALL]], ivt: ['t-shirt'] },
  shirt: { slot: 'upper', wordnet: [['shirt', 1, ALL]], exclude: ['hair shirt', 'camise'], ivt: ['shirt'] },
  top: { slot: 'upper', wordnet: [['top', 10, ALL]], ivt: ['top'] },
  jacket: { slot: 'upper', wordnet: [['jacket', 1, ALL]], exclude: ['jumper', 'doublet', 'banyan', 'banian'], ivt: ['jacket'] },
  coat: { slot: 'upper', wordnet: [['coat', 1, ALL]], exclude: ['waterproof', 'topper', 'afghan', 'newmarket'], ivt: ['coat'] },
  hoodie: { slot: 'upper', wordnet: [], ivt: ['hoodie'] },
  sweater: { slot: 'upper', wordnet: [['sweater', 1, ALL]], exclude: ['turtle'], ivt: ['sweater'] },
  vest: { slot: 'upper', wordnet: [['vest', 1, 0], ['vest', 2, 0]], ivt: ['vest', 'top'] },
  dress: { slot: 'upper', wordnet: [['dress', 1, ALL]], exclude: ['sack', 'shift', 'strapless', 'polonaise', 'jumper', 'sheath'], ivt: ['dress'] },
  // lower body
  trousers: { slot: 'lower', wordnet: [['trousers', 1, ALL]], exclude: ['white', 'flannel', 'pant', 'knickers', 'pajama', 'pyjama'], ivt: ['trousers'] },
  jeans: { slot: 'lower', wordnet: [['jeans', 1, ALL]], exclude: ['denim'], ivt: ['jeans'] },
  shorts: { slot: 'lower', wordnet: [['shorts', 1, ALL]], exclude: ['trunks'], ivt: ['shorts'] },
  skirt: { slot: 'lower', wordnet: [['skirt', 2, ALL]], exclude: ['maxi', 'mini'], ivt: ['skirt'] },
  leggings: { slot: 'lower', wordnet: [], ivt: ['leggings', 'trousers'] },
  // bags worn on the person
  backpack: { slot: 'bag', wordnet: [['backpack', 1, ALL]], ivt: ['backpack'] },
  handbag: { slot: 'bag', wordnet: [['handbag', 1, 0], ['clutch bag', 1, 0], ['evening bag', 1, 0]], exclude: ['bag'], ivt: ['handbag'] },
  'shoulder bag': { slot: 'bag', wordnet: [['shoulder bag', 1, 0]], ivt: ['shoulder bag'] },
  bag: { slot: 'bag', wordnet: [['bag', 1, 0], ['carryall', 1, 0]], ivt: ['bag'] },
  // headwear
  hat: { slot: 'headwear', wordnet: [['hat', 1, ALL]], exclude: ['lid', 'chapeau', 'sailor', 'white', 'beaver', 'topper', 'plug hat', 'derby', 'skimmer', 'stovepipe', 'dress hat', 'high hat', 'opera hat', 'silk hat', 'leghorn'], ivt: ['hat'] },
  cap: { slot: 'headwear', wordnet: [['cap', 1, ALL]], exclude: ['balmoral', 'biggin', 'cockscomb', 'coxcomb', 'kepi', 'tam', 'bluebonnet', 'toboggan cap'], ivt: ['cap'] },
  beanie: { slot: 'headwear', wordnet: [['beanie', 1, 0], ['stocking cap', 1, 0]], ivt: ['beanie'] },
  hood: { slot: 'headwear', wordnet: [['hood', 8, 0]], ivt: ['hooded'] },
  helmet: { slot: 'headwear', wordnet: [['helmet', 2, ALL]], exclude: ['headpiece'], ivt: ['helmet', 'hat'] },
  // footwear
  shoes: { slot: 'footwear', wordnet: [['shoe', 1, ALL]], exclude: ['anklet', 'flipper', 'fin', 'pump', 'platform', 'balmoral', 'calceus', 'gaiter', 'cleats', 'sabot', 'chopine'], ivt: ['shoes'] },
  sneakers: { slot: 'footwear', wordnet: [['sneaker', 1, ALL]], ivt: ['sneakers'] },
  boots: { slot: 'footwear', wordnet: [['boot', 1, ALL]], exclude: ['hessian', 'buskin'], ivt: ['boots', 'shoes'] },
  sandals: { slot: 'footwear', wordnet: [['sandal', 1, ALL]], exclude: ['thong', 'pusher', 'scuffer', 'talaria'], ivt: ['sandals', 'shoes'] },
  // eyewear
  glasses: { slot: 'eyewear', wordnet: [['glasses', 1, 0]], ivt: ['glasses'] },
  sunglasses: { slot: 'eyewear', wordnet: [['sunglasses', 1, 0]], ivt: ['sunglasses', 'glasses'] },
  // carried or pushed
  umbrella: { slot: 'carried', wordnet: [['umbrella', 1, ALL]], ivt: ['umbrella'] },
  phone: { slot: 'carried', wordnet: [['cellphone', 1, 0]], exclude: ['cell'], ivt: ['phone'] },
  suitcase: { slot: 'carried', wordnet: [['suitcase', 1, ALL]], exclude: ['bag', 'grip', 'weekender', 'overnighter', 'gladstone'], ivt: ['suitcase'] },
  bicycle: { slot: 'carried', wordnet: [['bicycle', 1, ALL]], exclude: ['wheel', 'ordinary', 'safety bicycle', 'safety bike', 'velocipede', 'cycle'], ivt: [] },
  pram: { slot: 'carried', wordnet: [['pram', 1, 0]], exclude: ['carriage', 'go-cart', 'pusher'], ivt: [] },
  'walking stick': { slot: 'carried', wordnet: [['walking stick', 1, ALL]], exclude: ['supplejack'], ivt: [] },
};

/**
 * British/American variants and CCTV phrasing that WordNet lacks or files under another sense,
 * word → category. Each line says why it is here.
 */
export const HAND_NOUNS: Record<string, string> = {
  hoodie: 'hoodie', hoody: 'hoodie', 'hooded top': 'hoodie', 'hooded sweatshirt': 'hoodie', 'hooded jacket': 'hoodie', // not in WordNet 3.1
  sweatshirt: 'sweater', jumper: 'sweater', fleece: 'jacket', // UK: jumper = sweater; a fleece is worn as a jacket
  gilet: 'vest', 'body warmer': 'vest', 'bodywarmer': 'vest', 'tabard': 'vest', // UK sleeveless outer layers
  tee: 't-shirt', 'tee shirt': 't-shirt', 't shirt': 't-shirt', tshirt: 't-shirt', // spellings of t-shirt
  polo: 'shirt', blouse: 'top', 'tank top': 'top', 'crop top': 'top', 'tracksuit top': 'jacket', 'track top': 'jacket',
  suit: 'jacket', 'suit jacket': 'jacket', 'suit trousers': 'trousers', // WordNet files "suit" under a set of garments (no slot): its jacket is what the camera sees on top
  puffer: 'jacket', 'puffer jacket': 'jacket', 'puffa jacket': 'jacket', 'bomber': 'jacket', mac: 'coat', 'rain jacket': 'jacket',
  trackies: 'trousers', 'tracksuit bottoms': 'trousers', 'tracky bottoms': 'trousers', 'jogging bottoms': 'trousers', // UK CCTV phrasing
  joggers: 'trousers', sweatpants: 'trousers', pants: 'trousers', 'cargo pants': 'trousers', 'cargo trousers': 'trousers', chinos: 'trousers',
  'cargo shorts': 'shorts', 'denims': 'jeans', leggings: 'leggings', tights: 'leggings', 'yoga pants': 'leggings',
  rucksack: 'backpack', 'back pack': 'backpack', 'school bag': 'backpack', bookbag: 'backpack', daypack: 'backpack',
  purse: 'handbag', 'hand bag': 'handbag', tote: 'handbag', 'tote bag': 'handbag', 'messenger bag': 'shoulder bag',
  'crossbody bag': 'shoulder bag', 'cross-body bag': 'shoulder bag', satchel: 'shoulder bag', 'bum bag': 'bag', bumbag: 'bag', 'fanny pack': 'bag',
  holdall: 'bag', 'sports bag': 'bag', 'gym bag': 'bag', 'duffel bag': 'bag', 'duffle bag': 'bag', 'carrier bag': 'bag', 'shopping bag': 'bag',
  'baseball cap': 'cap', snapback: 'cap', 'flat cap': 'cap', 'peaked cap': 'cap',
  'woolly hat': 'beanie', 'wooly hat': 'beanie', 'bobble hat': 'beanie', 'knit hat': 'beanie', 'knitted hat': 'beanie', toque: 'beanie',
  trainers: 'sneakers', trainer: 'sneakers', sneakers: 'sneakers', 'running shoes': 'sneakers', kicks: 'sneakers', // UK trainers = US sneakers
  footwear: 'shoes', wellies: 'boots', wellingtons: 'boots', 'flip flops': 'sandals', sliders: 'sandals', heels: 'shoes', 'high heels': 'shoes',
  specs: 'glasses', spectacles: 'glasses', shades: 'sunglasses',
  brolly: 'umbrella', mobile: 'phone', 'mobile phone': 'phone', smartphone: 'phone', 'cell phone': 'phone', cellphone: 'phone',
  luggage: 'suitcase', 'wheeled suitcase': 'suitcase', 'trolley bag': 'suitcase', 'pull-along case': 'suitcase',
  bike: 'bicycle', 'push bike': 'bicycle', pushbike: 'bicycle', buggy: 'pram', pushchair: 'pram', stroller: 'pram', cane: 'walking stick',
};

/**
 * Clothing colour words color-name lacks, → the color-name entry they are closest to (its Lab value is then
 * named like any other entry, so no colour numbers are typed here).
 */
export const HAND_COLOURS: Record<string, string> = {
  burgundy: 'maroon', wine: 'maroon', claret: 'maroon', cerise: 'deeppink', magenta: 'magenta', fuchsia: 'fuchsia',
  cream: 'antiquewhite', stone: 'tan', sand: 'tan', camel: 'tan', taupe: 'rosybrown', nude: 'peachpuff', mustard: 'goldenrod',
  charcoal: 'dimgray', rust: 'sienna', lilac: 'plum', mauve: 'thistle', mint: 'mediumaquamarine', bottlegreen: 'darkgreen',
  denim: 'steelblue', scarlet: 'red', ruby: 'crimson', emerald: 'seagreen', cobalt: 'royalblue', sapphire: 'royalblue',
};
