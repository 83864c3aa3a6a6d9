// What a person crop shows, as evidence a description can be checked against: the attribute
// network's probabilities and the upper/lower garment colours read from regions of the crop.
//
// The attribute network points at where it reads each garment's colour; one pixel there is noise
// (a seam, a strap, a shadow), so a patch around the point is read instead, kept inside the body
// band where that garment is (torso for the top, legs for the bottom) and inside the inner part of
// the box's width (the box's sides are mostly background), and named in CIELAB by colour.ts.
import type { BBox } from '../contract';
import { ATTRIBUTE_NAMES, type AttributeName, type PersonAttributes } from './attributes';
import { type ColourShare, nameRegionColour } from './colour';
import type { RgbImage } from './frame';

/** Evidence stored per detection (compact: it is written for every crop of every case). */
export interface CropEvidence {
  /** Attribute probabilities, 0–1. */
  p: Record<AttributeName, number>;
  /** Upper / lower garment colour words with their shares, best first. */
  upper: ColourShare[];
  lower: ColourShare[];
}

// Vertical bands of a standing person's box where each garment is, and the patch read around the point.
const BANDS = { upper: [0.18, 0.55], lower: [0.55, 0.92] } as const;
const INNER_X = [0.2, 0.8] as const;
const PATCH_W = 0.4; // of the box's width
const PATCH_H = 0.18; // of the box's height

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** The patch (fractions of the crop) read for one garment: centred on the network's point, held inside its band. */
export function garmentPatch(point: { x: number; y: number }, garment: 'upper' | 'lower'): { x0: number; x1: number; y0: number; y1: number } {
  const [b0, b1] = BANDS[garment];
  const cx = clamp(Number.isFinite(point.x) ? point.x : 0.5, INNER_X[0] + PATCH_W / 2, INNER_X[1] - PATCH_W / 2);
  const cy = clamp(Number.isFinite(point.y) ? point.y : (b0 + b1) / 2, b0 + PATCH_H / 2, b1 - PATCH_H / 2);
  return { x0: cx - PATCH_W / 2, x1: cx + PATCH_W / 2, y0: cy - PATCH_H / 2, y1: cy + PATCH_H / 2 };
}

/** Names the colours of a patch (fractions of `box`, frame pixels) of a frame. */
export function patchColours(image: RgbImage, box: BBox, patch: { x0: number; x1: number; y0: number; y1: number }): ColourShare[] {
  const [bx, by, bw, bh] = box;
  const x0 = clamp(Math.floor(bx + patch.x0 * bw), 0, image.width - 1), x1 = clamp(Math.ceil(bx + patch.x1 * bw), x0 + 1, image.width);
  const y0 = clamp(Math.floor(by + patch.y0 * bh), 0, image.height - 1), y1 = clamp(Math.ceil(by + patch.y1 * bh), y0 + 1, image.height);
  const w = x1 - x0, h = y1 - y0;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(src, src + w * 3), y * w * 3);
  }
  return nameRegionColour({ data, width: w, height: h }).colours.map((c) => ({ ...c, confidence: Math.round(c.confidence * 1000) / 1000 }));
}

/** Evidence of one crop: `box` is the crop's rectangle in the frame (as given to the attribute network). */
export function cropEvidence(image: RgbImage, box: BBox, a: PersonAttributes): CropEvidence {
  const p = Object.fromEntries(ATTRIBUTE_NAMES.map((n) => [n, Math.round(a.probabilities[n] * 1000) / 1000])) as Record<AttributeName, number>;
  return {
    p,
    upper: patchColours(image, box, garmentPatch(a.topColorPoint, 'upper')),
    lower: patchColours(image, box, garmentPatch(a.bottomColorPoint, 'lower')),
  };
}
