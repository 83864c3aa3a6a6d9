// Colour naming in CIELAB: rendered swatches with noise and stray pixels, real garment regions of
// vtest.avi, and the described-vs-observed colour match used by the fused ranking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  BaseColour, colourMatch, ColourShare, COLOR_NAMES, nameRegionColour, PixelRegion, srgbToLab,
} from '../../electron/engine/vision/colour';

test('sRGB → CIELAB (D65) matches reference values', () => {
  const near = (got: number[], want: number[]): void => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 0.05, `${got} vs ${want}`));
  near(srgbToLab(255, 255, 255), [100, 0, 0]);
  near(srgbToLab(0, 0, 0), [0, 0, 0]);
  near(srgbToLab(255, 0, 0), [53.24, 80.09, 67.2]);
  near(srgbToLab(0, 0, 255), [32.3, 79.19, -107.86]);
  near(srgbToLab(128, 128, 128), [53.59, 0, 0]);
});

// A w×h swatch of one colour with Gaussian-ish sensor noise and a share of random stray pixels.
function swatch(rgb: readonly number[], opts: { noise?: number; stray?: number; seed?: number; w?: number; h?: number } = {}): PixelRegion {
  const w = opts.w ?? 24, h = opts.h ?? 32;
  let s = opts.seed ?? 1;
  const rand = (): number => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
  const gauss = (): number => (rand() + rand() + rand() - 1.5) * 2;
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const stray = rand() < (opts.stray ?? 0);
    for (let k = 0; k < 3; k++) {
      const v = stray ? rand() * 255 : rgb[k] + gauss() * (opts.noise ?? 0);
      data[i * 3 + k] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { data, width: w, height: h };
}

test('noisy swatches with stray pixels are named by their colour', () => {
  // color-name entries and the dull, dark versions of them that garments have on CCTV
  const cases: [readonly number[], BaseColour][] = [
    [COLOR_NAMES.crimson, 'red'], [COLOR_NAMES.firebrick, 'red'], [COLOR_NAMES.navy, 'navy'], [COLOR_NAMES.royalblue, 'blue'],
    [COLOR_NAMES.forestgreen, 'green'], [COLOR_NAMES.gold, 'yellow'], [COLOR_NAMES.darkorange, 'orange'], [COLOR_NAMES.hotpink, 'pink'],
    [COLOR_NAMES.saddlebrown, 'brown'], [COLOR_NAMES.tan, 'beige'], [COLOR_NAMES.rebeccapurple, 'purple'],
    [[18, 18, 20], 'black'], [[128, 128, 128], 'grey'], [[240, 240, 236], 'white'],
    [[140, 30, 35], 'red'], [[60, 90, 150], 'blue'], [[45, 60, 95], 'navy'], [[40, 70, 45], 'green'], [[95, 65, 45], 'brown'], [[200, 185, 150], 'beige'],
  ];
  for (const [rgb, want] of cases) {
    const r = nameRegionColour(swatch(rgb, { noise: 6, stray: 0.08 }));
    assert.equal(r.colours[0].name, want, `${rgb} named ${JSON.stringify(r.colours.slice(0, 3))}`);
    assert.ok(r.colours[0].confidence >= 0.4, `${rgb}: confidence ${r.colours[0].confidence}`);
  }
});

test('light and dark modifiers come from lightness', () => {
  const light = nameRegionColour(swatch(COLOR_NAMES.lightblue, { noise: 4 })).colours[0];
  assert.deepEqual([light.name, light.modifier], ['blue', 'light']);
  const dark = nameRegionColour(swatch(COLOR_NAMES.darkred, { noise: 4 })).colours[0];
  assert.deepEqual([dark.name, dark.modifier], ['red', 'dark']);
  const plain = nameRegionColour(swatch(COLOR_NAMES.crimson, { noise: 4 })).colours[0];
  assert.equal(plain.modifier, undefined);
});

test('a two-colour region names both; the mask selects the garment', () => {
  const w = 20, h = 20;
  const data = new Uint8Array(w * h * 3);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const top = i < (w * h) * 0.6;
    const rgb = top ? COLOR_NAMES.crimson : COLOR_NAMES.navy;
    data.set(rgb, i * 3);
    mask[i] = top ? 1 : 0;
  }
  const both = nameRegionColour({ data, width: w, height: h }).colours.map((c) => c.name);
  assert.deepEqual(both.slice(0, 2).sort(), ['navy', 'red']);
  const masked = nameRegionColour({ data, width: w, height: h }, mask);
  assert.equal(masked.colours[0].name, 'red');
  assert.ok(masked.colours[0].confidence > 0.8);
  assert.equal(masked.pixels, 240);
});

test('BGR and RGBA input; bad sizes are clear errors', () => {
  const rgb = swatch(COLOR_NAMES.royalblue, { noise: 3 });
  const bgr = new Uint8Array(rgb.data.length);
  const rgba = new Uint8Array((rgb.data.length / 3) * 4);
  for (let i = 0; i < rgb.data.length / 3; i++) {
    bgr.set([rgb.data[i * 3 + 2], rgb.data[i * 3 + 1], rgb.data[i * 3]], i * 3);
    rgba.set([rgb.data[i * 3], rgb.data[i * 3 + 1], rgb.data[i * 3 + 2], 255], i * 4);
  }
  assert.equal(nameRegionColour({ ...rgb, data: bgr, order: 'bgr' }).colours[0].name, 'blue');
  assert.equal(nameRegionColour({ ...rgb, data: rgba, channels: 4 }).colours[0].name, 'blue');
  assert.throws(() => nameRegionColour({ data: new Uint8Array(10), width: 4, height: 4 }), /10 bytes for a 4×4×3 region/);
  assert.deepEqual(nameRegionColour(rgb, new Uint8Array(rgb.width * rgb.height)).colours, []);
});

test('colourMatch: the described colour scores high, neighbours partly, others low', () => {
  const obs = (name: BaseColour, modifier?: 'light' | 'dark'): ColourShare[] => [{ name, confidence: 1, ...(modifier ? { modifier } : {}) }];
  assert.equal(colourMatch({ base: 'red' }, obs('red')), 1);
  assert.ok(colourMatch({ base: 'red' }, obs('blue')) < 0.1);
  assert.ok(colourMatch({ base: 'red' }, obs('pink')) > colourMatch({ base: 'red' }, obs('green')));
  assert.ok(colourMatch({ base: 'blue', modifier: 'dark' }, obs('navy')) > 0.9, 'dark blue accepts navy');
  assert.ok(colourMatch({ base: 'blue', modifier: 'light' }, obs('blue', 'light')) > colourMatch({ base: 'blue', modifier: 'light' }, obs('blue', 'dark')));
  assert.equal(colourMatch({ base: 'green', also: ['blue'] }, obs('blue')), 1, 'teal-like words accept either base');
  assert.equal(colourMatch({ base: 'red' }, []), 0, 'no evidence, no match');
  const mixed = [{ name: 'red' as const, confidence: 0.6 }, { name: 'navy' as const, confidence: 0.4 }];
  const m = colourMatch({ base: 'red' }, mixed);
  assert.ok(m > 0.55 && m < 0.8, `mixed ${m}`);
});

// ---- real crops from vtest.avi (Debian opencv-doc), regions looked at by a person ---------------------
const VTEST = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';
const haveVtest = fs.existsSync(VTEST) && (() => { try { execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

function vtestFrame(n: number): Buffer {
  return execFileSync('ffmpeg', ['-loglevel', 'error', '-i', VTEST, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-fps_mode', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
}

function region(frame: Buffer, x: number, y: number, w: number, h: number): PixelRegion {
  const data = new Uint8Array(w * h * 3);
  for (let j = 0; j < h; j++) data.set(frame.subarray(((y + j) * 768 + x) * 3, ((y + j) * 768 + x + w) * 3), j * w * 3);
  return { data, width: w, height: h };
}

test('real garments in vtest.avi are named as they look', { skip: !haveVtest && 'vtest.avi or ffmpeg not installed' }, () => {
  // Frame 440: the woman in the red jacket and dark blue jeans (box 602,246 61×122; regions inside it).
  const f440 = vtestFrame(440);
  assert.equal(f440.length, 768 * 576 * 3);
  const jacket = nameRegionColour(region(f440, 602 + 26, 246 + 32, 12, 20)).colours;
  assert.equal(jacket[0].name, 'red', JSON.stringify(jacket));
  assert.ok(colourMatch({ base: 'red' }, jacket) > 0.8);
  assert.ok(colourMatch({ base: 'blue' }, jacket) < 0.1);
  const jeans = nameRegionColour(region(f440, 602 + 26, 246 + 62, 10, 16)).colours;
  assert.ok(colourMatch({ base: 'blue', modifier: 'dark' }, jeans) > colourMatch({ base: 'red' }, jeans) + 0.4, JSON.stringify(jeans));
  // Frame 140: the woman in the light blue padded jacket and blue jeans (box 515,185 48×98).
  const f140 = vtestFrame(140);
  const light = nameRegionColour(region(f140, 515 + 13, 185 + 26, 14, 19)).colours;
  assert.deepEqual([light[0].name, light[0].modifier], ['blue', 'light'], JSON.stringify(light));
  const jeans1 = nameRegionColour(region(f140, 515 + 16, 185 + 53, 11, 11)).colours;
  assert.equal(jeans1[0].name, 'blue', JSON.stringify(jeans1));
  // Frame 20: the man in the navy padded jacket with red shoulders (box 671,260 68×136): the torso shows
  // both colours; the body below the shoulders is navy (very dark), not red.
  const f20 = vtestFrame(20);
  const torso = nameRegionColour(region(f20, 671 + 22, 260 + 30, 26, 32)).colours;
  assert.ok(torso.slice(0, 3).some((c) => c.name === 'red'), JSON.stringify(torso));
  assert.ok(torso.some((c) => c.name === 'navy'), JSON.stringify(torso));
  const body = nameRegionColour(region(f20, 671 + 32, 260 + 45, 16, 17)).colours;
  assert.ok(colourMatch({ base: 'navy' }, body) > 0.5, JSON.stringify(body));
  assert.ok(colourMatch({ base: 'red' }, body) < 0.1, JSON.stringify(body));
  // the pavement beside her is grey, not a garment colour
  const ground = nameRegionColour(region(f440, 602, 246 + 100, 15, 20)).colours;
  assert.equal(ground[0].name, 'grey', JSON.stringify(ground));
});
