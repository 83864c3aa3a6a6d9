// Detection tiles: a wide high-resolution frame letterboxed into the detector's small square input
// shrinks distant people below what the detector finds (1920×1080 into 416×416: a 180 px person
// becomes 39 px; on the night-street and Market-1501 frames of the devset most of the missed people
// are such). The frame is then also run as overlapping full-height tiles, each shrunk less, and the
// boxes of all passes merged. The full-frame pass stays: it sees near-camera people whole, who are
// wider than a tile's overlap.
import type { BBox } from '../contract';
import { iou } from './nms';
import type { RgbImage } from './frame';

/** A rectangle of the frame, in pixels. */
export interface Tile { x: number; y: number; width: number; height: number }

/** When to tile: 'auto' = when the full frame is shrunk below MIN_SCALE; 'off' = one pass. */
export type TileMode = 'auto' | 'off';

// Below this frame → input scale a walking person (~1/6 of the frame's height) falls under ~50 px of
// input. The sampler hands 1080p over as 1280×720 (scale 0.325 into 416): tiled; vtest's 768×576 (0.54) is not.
const MIN_SCALE = 0.4;
// Tiles overlap by at least this share of their width, so a person near a seam is whole in one of them.
// The tiles are for distant people (at 1280×720, ~40–80 px wide); the whole-frame pass sees wide ones.
// 0.15 keeps 1280×720 at two tiles (three passes in all).
const MIN_OVERLAP = 0.15;

/** The passes for one frame: the whole frame first, then (when it is shrunk too much) its tiles. */
export function planTiles(width: number, height: number, input: { width: number; height: number }, mode: TileMode): Tile[] {
  const whole: Tile = { x: 0, y: 0, width, height };
  const scale = Math.min(input.width / width, input.height / height);
  if (mode === 'off' || scale >= MIN_SCALE) return [whole];
  // Full-height tiles with the input's aspect ratio: each is shrunk by height / input.height only.
  const tw = Math.min(width, Math.round(height * (input.width / input.height)));
  if (tw >= width) return [whole];
  const n = Math.ceil((width - MIN_OVERLAP * tw) / ((1 - MIN_OVERLAP) * tw));
  const step = (width - tw) / (n - 1);
  return [whole, ...Array.from({ length: n }, (_, i) => ({ x: Math.round(i * step), y: 0, width: tw, height }))];
}

/** The pixels of one tile (a copy; the whole frame is returned as it is). */
export function tileImage(frame: RgbImage, t: Tile): RgbImage {
  if (t.x === 0 && t.y === 0 && t.width === frame.width && t.height === frame.height) return frame;
  const data = new Uint8Array(t.width * t.height * 3);
  for (let y = 0; y < t.height; y++) {
    const src = ((t.y + y) * frame.width + t.x) * 3;
    data.set(frame.data.subarray(src, src + t.width * 3), y * t.width * 3);
  }
  return { width: t.width, height: t.height, data };
}

interface Boxed { bbox: BBox; score: number }

/**
 * Boxes of every pass in frame pixels → one box per person. A person seen by two passes gives two
 * overlapping boxes (IoU ≥ nmsIoU: the better scored kept). One cut by a tile's inner edge gives a
 * partial box: whole boxes are kept first, and a partial one only when no kept box overlaps or mostly
 * covers it (its person was seen nowhere whole).
 */
export function mergeTileDetections<D extends Boxed>(passes: readonly { tile: Tile; detections: readonly D[] }[], frameWidth: number, nmsIoU: number): D[] {
  const all = passes.flatMap(({ tile, detections }) => detections.map((d) => ({ d, cut: touchesInnerEdge(d.bbox, tile, frameWidth) })));
  all.sort((a, b) => Number(a.cut) - Number(b.cut) || b.d.score - a.d.score);
  const kept: D[] = [];
  for (const { d, cut } of all) {
    if (!kept.some((k) => iou(k.bbox, d.bbox) >= nmsIoU || (cut && covered(d.bbox, k.bbox) >= 0.7))) kept.push(d);
  }
  return kept.sort((a, b) => b.score - a.score);
}

/** Share of `a`'s area inside `b`. */
function covered(a: BBox, b: BBox): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  return (ix * iy) / Math.max(1e-9, a[2] * a[3]);
}

/** Whether a box touches an edge of its tile that is not an edge of the frame (the person may go on past it). */
function touchesInnerEdge(b: BBox, t: Tile, frameWidth: number): boolean {
  const EDGE = 2;
  return (t.x > 0 && b[0] <= t.x + EDGE) || (t.x + t.width < frameWidth && b[0] + b[2] >= t.x + t.width - EDGE);
}
