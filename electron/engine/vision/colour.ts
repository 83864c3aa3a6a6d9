// Colour naming in CIELAB: the colour words investigators use, read from pixel regions.
//
// One table (BASE_COLOURS) names each base colour word and the color-name (CSS/X11) entries that are
// its prototypes; their Lab values are computed from color-name's sRGB triples, never typed in.
// A Lab value is named by CIE94 distance (textile weights, kL = 2) to the nearest prototype of each
// base: CIE94 scales chroma differences by the prototype's chroma, so the dull, dark garment colours
// of CCTV still name the right hue instead of collapsing into grey. Regions are summarised by a small
// k-means in Lab (noise and stray pixels form their own small clusters instead of shifting the mean).

type Rgb = readonly [number, number, number];
export type Lab = [number, number, number];

/** color-name is an ES module; under CommonJS require() it arrives as its namespace. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const colorNameModule = require('color-name') as { default?: Record<string, Rgb> } & Record<string, Rgb>;
export const COLOR_NAMES: Readonly<Record<string, Rgb>> = colorNameModule.default ?? colorNameModule;

/** The colour vocabulary of the models (IVT captions and attribute evidence), with color-name prototypes. */
export const BASE_COLOURS = [
  { name: 'black', prototypes: ['black'] },
  { name: 'white', prototypes: ['white', 'whitesmoke'] },
  { name: 'grey', prototypes: ['gray', 'darkgray', 'dimgray', 'silver', 'slategray'] },
  { name: 'red', prototypes: ['red', 'crimson', 'firebrick', 'darkred'] },
  { name: 'orange', prototypes: ['orange', 'darkorange'] },
  { name: 'yellow', prototypes: ['yellow', 'gold'] },
  { name: 'green', prototypes: ['green', 'forestgreen', 'olivedrab', 'darkolivegreen', 'seagreen', 'lightgreen', 'darkgreen'] },
  { name: 'blue', prototypes: ['blue', 'royalblue', 'steelblue', 'dodgerblue', 'cornflowerblue', 'lightblue', 'lightskyblue'] },
  { name: 'navy', prototypes: ['navy', 'midnightblue'] },
  { name: 'purple', prototypes: ['purple', 'rebeccapurple', 'darkviolet', 'mediumpurple'] },
  { name: 'pink', prototypes: ['pink', 'hotpink', 'deeppink', 'lightpink'] },
  { name: 'brown', prototypes: ['saddlebrown', 'sienna', 'chocolate'] },
  { name: 'beige', prototypes: ['tan', 'wheat', 'burlywood', 'darkkhaki'] },
] as const;
export type BaseColour = (typeof BASE_COLOURS)[number]['name'];
export const BASE_COLOUR_NAMES: readonly BaseColour[] = BASE_COLOURS.map((c) => c.name);
const ACHROMATIC = new Set<BaseColour>(['black', 'white', 'grey']);

export type LightnessModifier = 'light' | 'dark';

// ---- sRGB (D65) → CIELAB -------------------------------------------------------------------------
const LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
const XN = 0.95047, YN = 1.0, ZN = 1.08883; // D65 white
const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);

/** sRGB bytes (0–255) → CIELAB under D65. */
export function srgbToLab(r: number, g: number, b: number): Lab {
  const R = LINEAR[r & 255], G = LINEAR[g & 255], B = LINEAR[b & 255];
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / XN;
  const y = (0.2126729 * R + 0.7151522 * G + 0.072175 * B) / YN;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / ZN;
  const fx = f(x), fy = f(y), fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

export const chroma = (lab: Lab): number => Math.hypot(lab[1], lab[2]);

/** CIE94 colour difference of `sample` from the reference `ref`, textile weights (kL = 2). */
export function deltaE94(ref: Lab, sample: Lab): number {
  const dL = ref[0] - sample[0];
  const c1 = chroma(ref), c2 = chroma(sample);
  const dC = c1 - c2;
  const da = ref[1] - sample[1], db = ref[2] - sample[2];
  const dH2 = Math.max(0, da * da + db * db - dC * dC);
  const sC = 1 + 0.048 * c1, sH = 1 + 0.014 * c1;
  return Math.sqrt((dL / 2) ** 2 + (dC / sC) ** 2 + dH2 / (sH * sH));
}

const PROTOTYPES: { name: BaseColour; labs: Lab[] }[] = BASE_COLOURS.map((c) => ({
  name: c.name,
  labs: c.prototypes.map((key) => {
    const rgb = COLOR_NAMES[key];
    if (!rgb) throw new Error(`colour.ts: color-name has no entry "${key}"`);
    return srgbToLab(rgb[0], rgb[1], rgb[2]);
  }),
}));
/** The first prototype of each base: its representative Lab value. */
export const BASE_LAB: Readonly<Record<BaseColour, Lab>> = Object.fromEntries(PROTOTYPES.map((p) => [p.name, p.labs[0]])) as Record<BaseColour, Lab>;
// Prototypes named light…/dark… widen a base's region; its own lightness is the mean of the others.
const VARIANT = /^(light|dark|pale|deep|midnight)/;
/** Mean lightness of each base's plain prototypes: "light"/"dark" are read against it. */
const BASE_L: Readonly<Record<BaseColour, number>> = Object.fromEntries(BASE_COLOURS.map((c, i) => {
  const plain = PROTOTYPES[i].labs.filter((_, j) => !VARIANT.test(c.prototypes[j]));
  return [c.name, plain.reduce((a, l) => a + l[0], 0) / plain.length];
})) as Record<BaseColour, number>;

// Softness of naming: a Lab value ~σ from a prototype keeps e^-0.5 of its weight.
const NAMING_SIGMA = 7;

export interface ColourShare {
  name: BaseColour;
  /** Share of the evidence for this name, 0–1; the shares of one reading sum to ≤ 1. */
  confidence: number;
  modifier?: LightnessModifier;
}

function distanceToBase(lab: Lab, p: { name: BaseColour; labs: Lab[] }): number {
  let best = Infinity;
  for (const ref of p.labs) best = Math.min(best, deltaE94(ref, lab));
  return best;
}

/** Names one Lab value: base colours with shares summing to 1, best first (shares under 2 % dropped). */
export function nameLab(lab: Lab): ColourShare[] {
  const d = PROTOTYPES.map((p) => distanceToBase(lab, p));
  const dMin = Math.min(...d);
  const w = d.map((x) => Math.exp(-((x * x) - dMin * dMin) / (2 * NAMING_SIGMA * NAMING_SIGMA)));
  const sum = w.reduce((a, b) => a + b, 0);
  const out: ColourShare[] = [];
  PROTOTYPES.forEach((p, i) => {
    const confidence = w[i] / sum;
    if (confidence >= 0.02) {
      const modifier = lightnessModifier(lab, p.name);
      out.push(modifier ? { name: p.name, confidence, modifier } : { name: p.name, confidence });
    }
  });
  const total = out.reduce((a, s) => a + s.confidence, 0);
  for (const s of out) s.confidence /= total;
  return out.sort((a, b) => b.confidence - a.confidence);
}

/** "light"/"dark" when L lies well above/below the base's own representative lightness. */
export function lightnessModifier(lab: Lab, base: BaseColour): LightnessModifier | undefined {
  if (ACHROMATIC.has(base) || base === 'navy') return undefined; // black/white/navy already say their lightness
  const dL = lab[0] - BASE_L[base];
  if (dL >= 15) return 'light';
  if (dL <= -15) return 'dark';
  return undefined;
}

// ---- regions -------------------------------------------------------------------------------------
export interface PixelRegion {
  /** Interleaved 8-bit pixels, row-major. */
  data: Uint8Array | Uint8ClampedArray | Buffer;
  width: number;
  height: number;
  /** 3 (RGB/BGR) or 4 (RGBA); default 3. */
  channels?: 3 | 4;
  /** Channel order; default 'rgb' (frames from the sampler are rgb24; OpenVINO-style inputs are 'bgr'). */
  order?: 'rgb' | 'bgr';
}

export interface RegionColour {
  /** Colour words, best first, confidences summing to ≤ 1. */
  colours: ColourShare[];
  /** Lab centroid of the dominant cluster. */
  dominantLab: Lab;
  /** Pixels that were read (after the mask and subsampling). */
  pixels: number;
}

const MAX_SAMPLES = 512; // plenty for a garment's colours (k-means centroids average them); bounds the cost of large crops
const CLUSTERS = 4;
const ITERATIONS = 8;

/**
 * Names the colour of a pixel region (a garment, a bag …). `mask` (one byte per pixel, non-zero = read)
 * selects the region inside the rectangle. Small clusters (< 10 % of the pixels: seams, shadows, stray
 * background) are ignored; the rest vote with their size.
 */
export function nameRegionColour(region: PixelRegion, mask?: Uint8Array): RegionColour {
  const { data, width, height } = region;
  const ch = region.channels ?? 3;
  const bgr = region.order === 'bgr';
  if (data.length < width * height * ch) throw new Error(`nameRegionColour: ${data.length} bytes for a ${width}×${height}×${ch} region`);
  if (mask && mask.length < width * height) throw new Error(`nameRegionColour: mask has ${mask.length} entries for ${width * height} pixels`);
  let count = 0;
  for (let i = 0; i < width * height; i++) if (!mask || mask[i]) count++;
  if (count === 0) return { colours: [], dominantLab: [0, 0, 0], pixels: 0 };
  const step = Math.max(1, Math.floor(count / MAX_SAMPLES));
  const labs: Lab[] = [];
  for (let i = 0, k = 0; i < width * height; i++) {
    if (mask && !mask[i]) continue;
    if (k++ % step !== 0) continue;
    const o = i * ch;
    const r = data[bgr ? o + 2 : o], g = data[o + 1], b = data[bgr ? o : o + 2];
    labs.push(srgbToLab(r, g, b));
  }
  const clusters = kmeans(labs, Math.min(CLUSTERS, labs.length));
  const kept = clusters.filter((c) => c.size >= 0.1 * labs.length);
  const keptTotal = kept.reduce((a, c) => a + c.size, 0);
  const votes = new Map<BaseColour, { w: number; L: number }>();
  for (const c of kept) {
    for (const s of nameLab(c.centre)) {
      const v = votes.get(s.name) ?? { w: 0, L: 0 };
      const w = s.confidence * (c.size / keptTotal);
      v.L += w * c.centre[0];
      v.w += w;
      votes.set(s.name, v);
    }
  }
  const colours: ColourShare[] = [];
  for (const [name, v] of votes) {
    if (v.w < 0.03) continue;
    const centre: Lab = [v.L / v.w, 0, 0];
    const modifier = lightnessModifier(centre, name);
    colours.push(modifier ? { name, confidence: v.w, modifier } : { name, confidence: v.w });
  }
  colours.sort((a, b) => b.confidence - a.confidence);
  const dominant = kept.reduce((a, b) => (b.size > a.size ? b : a));
  return { colours, dominantLab: dominant.centre, pixels: labs.length };
}

interface Cluster { centre: Lab; size: number }

// Deterministic k-means on flat Lab triples: farthest-point initialisation from the per-axis median,
// a fixed number of rounds. Flat typed arrays because it runs for every garment region of every crop.
function kmeans(points: Lab[], k: number): Cluster[] {
  const n = points.length;
  const P = new Float64Array(n * 3);
  points.forEach((p, i) => { P[i * 3] = p[0]; P[i * 3 + 1] = p[1]; P[i * 3 + 2] = p[2]; });
  const median = (axis: number): number => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = P[i * 3 + axis];
    v.sort();
    return v[n >> 1];
  };
  const C = new Float64Array(k * 3);
  C[0] = median(0); C[1] = median(1); C[2] = median(2);
  let m = 1;
  const d2 = (i: number, j: number): number => {
    const a = P[i * 3] - C[j * 3], b = P[i * 3 + 1] - C[j * 3 + 1], c = P[i * 3 + 2] - C[j * 3 + 2];
    return a * a + b * b + c * c;
  };
  while (m < k) {
    let best = 0, far = -1;
    for (let i = 0; i < n; i++) {
      let d = Infinity;
      for (let j = 0; j < m; j++) d = Math.min(d, d2(i, j));
      if (d > best) { best = d; far = i; }
    }
    if (far < 0 || best < 25) break; // everything within ΔE 5 of a centre: fewer clusters
    C[m * 3] = P[far * 3]; C[m * 3 + 1] = P[far * 3 + 1]; C[m * 3 + 2] = P[far * 3 + 2];
    m++;
  }
  const assign = new Int32Array(n);
  const sum = new Float64Array(m * 4);
  for (let it = 0; it < ITERATIONS; it++) {
    sum.fill(0);
    for (let i = 0; i < n; i++) {
      let bi = 0, bd = Infinity;
      for (let j = 0; j < m; j++) { const d = d2(i, j); if (d < bd) { bd = d; bi = j; } }
      assign[i] = bi;
      sum[bi * 4] += P[i * 3]; sum[bi * 4 + 1] += P[i * 3 + 1]; sum[bi * 4 + 2] += P[i * 3 + 2]; sum[bi * 4 + 3]++;
    }
    for (let j = 0; j < m; j++) {
      const c = sum[j * 4 + 3];
      if (c) { C[j * 3] = sum[j * 4] / c; C[j * 3 + 1] = sum[j * 4 + 1] / c; C[j * 3 + 2] = sum[j * 4 + 2] / c; }
    }
  }
  const out: Cluster[] = [];
  for (let j = 0; j < m; j++) {
    const size = sum[j * 4 + 3];
    if (size > 0) out.push({ centre: [C[j * 3], C[j * 3 + 1], C[j * 3 + 2]], size });
  }
  return out;
}

// ---- matching a described colour against observed evidence ---------------------------------------
export interface ColourTerm {
  base: BaseColour;
  /** Other bases the word also names ("teal": green and blue). */
  also?: BaseColour[];
  modifier?: LightnessModifier | 'bright' | 'pale';
}

// How far apart two base colours may be and still partly satisfy each other (CIE94 between representatives).
const MATCH_TAU = 12;

/** Similarity of two base colours, 1 for the same, from their representative prototypes. */
export function baseSimilarity(a: BaseColour, b: BaseColour): number {
  if (a === b) return 1;
  const d = Math.min(deltaE94(BASE_LAB[a], BASE_LAB[b]), deltaE94(BASE_LAB[b], BASE_LAB[a]));
  return Math.exp(-(d * d) / (2 * MATCH_TAU * MATCH_TAU));
}

/** Lab value a described colour points at: the base's representative, moved in L by light/dark/pale. */
export function termLab(term: ColourTerm): Lab {
  const [L, a, b] = BASE_LAB[term.base];
  const shift = term.modifier === 'light' || term.modifier === 'pale' ? 25 : term.modifier === 'dark' ? -25 : 0;
  const s = term.modifier === 'pale' ? 0.5 : 1;
  return [Math.max(0, Math.min(100, L + shift)), a * s, b * s];
}

/**
 * How well observed colour evidence satisfies a described colour, in [0, 1]: each observed colour
 * votes with its confidence × how acceptable its name is (the described base or one it also names = 1;
 * "dark blue" also accepts navy because its Lab point names navy; neighbours partly), halved when the
 * observed lightness contradicts the described one (light vs dark).
 */
export function colourMatch(term: ColourTerm, observed: readonly ColourShare[]): number {
  const accepted = new Set<BaseColour>([term.base, ...(term.also ?? [])]);
  if (term.modifier) accepted.add(nameLab(termLab(term))[0].name);
  let total = 0;
  for (const o of observed) {
    let acc = 0;
    for (const a of accepted) acc = Math.max(acc, baseSimilarity(a, o.name));
    const wantLight = term.modifier === 'light' || term.modifier === 'pale';
    const wantDark = term.modifier === 'dark';
    const clash = (wantLight && o.modifier === 'dark') || (wantDark && o.modifier === 'light');
    total += o.confidence * acc * (clash ? 0.5 : 1);
  }
  return Math.max(0, Math.min(1, total));
}
