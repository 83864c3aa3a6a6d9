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

/**
 * When to tile: 'auto' = every frame shrunk below MIN_SCALE; 'adaptive' = such frames, but per video only while
 * the tiles keep finding people the whole-frame pass misses (TileKeeper below); 'off' = one pass.
 */
export type TileMode = 'auto' | 'adaptive' | 'off';

/**
 * What the `detectionTiles` setting's "on" means: every wide frame tiled. 'adaptive' saves 30–46 % of the
 * detector passes on the realistic CCTV clip but loses 15–18 % of its sightings against tiles always (people in
 * groups and at the frame's edges that only tiles find come and go between probes; docs/benchmarks.md
 * "Adaptive detection tiles"), below the 0.98 sightings recall asked of a default.
 */
export const TILES_WHEN_ON: TileMode = 'auto';

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

// ---- Adaptive tiles: the tile passes run only while they earn their keep ----
// On close-range cameras the whole-frame pass already sees everyone and the two tile passes triple the
// detector's cost for nothing; on a busy street of distant people they find 2.4× the people. So per video:
// tiles run on the first frames, and then for as long as they keep finding *tile-only* people (a plausible
// person box from a tile that no whole-frame box overlaps). After `keepS` without one they pause; while
// paused, one sampled frame every `probeS` still runs tiled, and a tile-only person there turns them on at once.

export interface AdaptiveTilesOptions {
  /** Tiles stay on this long after the first frame seen and after each frame with a tile-only person. */
  keepS: number;
  /**
   * While paused, a seen frame at least this long after the last tiled one is tiled (a probe). 10 s: the motion
   * gate's periodic full check (motionGate.ts checkEveryS), so in a still, empty scene the probe falls on a frame
   * the detector sees anyway; a distant person who walks in is found within one probe.
   */
  probeS: number;
}

export const ADAPTIVE_TILES: AdaptiveTilesOptions = { keepS: 20, probeS: 10 };

/**
 * A tile box "is seen by the whole-frame pass" when a whole-frame box overlaps it this much: IoU, or the share of
 * either box inside the other (a whole-frame box of a group covers its members; one of a half-seen person lies inside).
 */
const TILE_ONLY_OVERLAP = 0.3;

/**
 * What decides the next frame's tile passes. Saved with every committed batch (indexVideo.ts): a killed run
 * resumed mid-video continues with the state the uninterrupted run had there, so both detect alike. (Deriving it
 * from sample times alone is not possible: whether tiles are on depends on what they found before.)
 */
export interface TileKeeperState {
  /** Tiles run on frames up to this time; null before the first frame. */
  onUntilS: number | null;
  /** Time of the last tiled frame (probes are counted from it); null before the first. */
  lastTiledS: number | null;
}

const EPS = 1e-6;

/** The keep / pause / probe state machine of one video. Frames are given in time order. */
export class TileKeeper {
  state: TileKeeperState;
  constructor(readonly opts: AdaptiveTilesOptions = ADAPTIVE_TILES, state?: TileKeeperState) {
    this.state = state ? { ...state } : { onUntilS: null, lastTiledS: null };
  }

  /** Whether the frame at `t` gets its tile passes. */
  wants(t: number): boolean {
    const { onUntilS, lastTiledS } = this.state;
    if (onUntilS === null || lastTiledS === null) return true;
    return t <= onUntilS + EPS || t - lastTiledS >= this.opts.probeS - EPS;
  }

  /** After the frame at `t`: whether it was tiled, and how many tile-only people its tiles found. */
  saw(t: number, tiled: boolean, tileOnly: number): void {
    const s = this.state;
    if (s.onUntilS === null) s.onUntilS = t + this.opts.keepS; // the first frames of a video
    if (tiled) s.lastTiledS = t;
    if (tileOnly > 0) s.onUntilS = Math.max(s.onUntilS, t + this.opts.keepS);
  }

  /** Whether tiles are paused after the frame at `t` (probes only). */
  pausedAfter(t: number): boolean { return this.state.onUntilS !== null && t > this.state.onUntilS + EPS; }

  clone(): TileKeeper { return new TileKeeper(this.opts, this.state); }
}

/** People of `people` (merged, plausible) that came from a tile pass and that no whole-frame box overlaps. */
export function tileOnlyPeople<D extends Boxed>(whole: readonly D[], people: readonly D[]): D[] {
  const fromWhole = new Set<D>(whole);
  return people.filter((d) => !fromWhole.has(d) && !whole.some((w) =>
    iou(w.bbox, d.bbox) >= TILE_ONLY_OVERLAP || covered(d.bbox, w.bbox) >= TILE_ONLY_OVERLAP || covered(w.bbox, d.bbox) >= TILE_ONLY_OVERLAP));
}

/** A detector's passes, separately: the whole frame, the tiles, and their merge. */
export interface TilePasses<D extends Boxed> {
  whole(frames: readonly RgbImage[]): Promise<D[][]>;
  /** Per frame its tile passes (boxes in frame pixels); [] for a frame that is not tiled. */
  tiles(frames: readonly RgbImage[]): Promise<{ tile: Tile; detections: D[] }[][]>;
  merge(frame: RgbImage, whole: D[], tiles: { tile: Tile; detections: D[] }[]): D[];
}

/**
 * One video's frames (in time order) with adaptive tiles: every frame's whole-frame pass, the tile passes of the
 * frames the keeper wants. A batch's tile passes run together; a tile-only person that turns tiles on for later
 * frames of the batch runs theirs in a second round, so the result is the same as frame by frame.
 */
export async function detectAdaptive<D extends Boxed>(
  passes: TilePasses<D>, frames: readonly RgbImage[], times: readonly number[], keeper: TileKeeper,
  plausible: (dets: readonly D[], w: number, h: number) => D[],
): Promise<{ detections: D[][]; tiled: boolean[] }> {
  const n = frames.length;
  const whole = await passes.whole(frames);
  const tileResults = new Map<number, { tile: Tile; detections: D[] }[]>();
  const detections: D[][] = new Array(n);
  const tiled: boolean[] = new Array(n).fill(false);
  let i = 0;
  while (i < n) {
    // The frames from i on that want tiles if no tile-only person turns up among them.
    const sim = keeper.clone();
    const missing: number[] = [];
    for (let j = i; j < n; j++) {
      const w = sim.wants(times[j]);
      if (w && !tileResults.has(j)) missing.push(j);
      sim.saw(times[j], w, 0);
    }
    const got = await passes.tiles(missing.map((j) => frames[j]));
    missing.forEach((j, k) => tileResults.set(j, got[k]));
    let j = i;
    for (; j < n; j++) {
      const t = times[j];
      if (!keeper.wants(t)) { keeper.saw(t, false, 0); detections[j] = whole[j]; continue; }
      const mine = tileResults.get(j);
      if (!mine) break; // turned on by an earlier frame of this batch: plan again from here
      const merged = mine.length ? passes.merge(frames[j], whole[j], mine) : whole[j];
      keeper.saw(t, true, tileOnlyPeople(whole[j], plausible(merged, frames[j].width, frames[j].height)).length);
      detections[j] = merged;
      tiled[j] = mine.length > 0;
    }
    i = j;
  }
  return { detections, tiled };
}
