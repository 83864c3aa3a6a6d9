// Motion gating: CCTV is mostly a still scene, and a sampled frame that shows nothing new need not
// go through the detector (nor anything after it). Each sampled frame is reduced to a 64×36 grey
// grid (block means: sensor noise and compression ripple average out) and compared with the previous
// sampled frame, a global change of brightness removed. The detector runs on a frame when
//   - enough grid cells changed (someone moved, entered or left), or
//   - people were detected within `holdS` before it (people standing still stay indexed), or
//   - no frame was processed for `checkEveryS` (a periodic full check: nobody is missed for long
//     because they barely moved), or
//   - it lies within `preRollS` before a frame that is processed (the first frames of an entrance).
// Frames the gate skips are still decoded; they advance the resume point like any other.
// (A background model was tried first: people passing smeared into it — vtest's crowd left a tenth of
// the cells "changed" for tens of seconds after the scene emptied — so the gate kept frames of an
// empty scene. Differencing consecutive samples plus the detection hold does not have that failure.)

export interface MotionGateOptions {
  /** Grid the frame is reduced to (cells). */
  gridW: number;
  gridH: number;
  /** A cell changed when its grey mean differs by more than this (0–255) from the previous sampled frame. */
  cellThreshold: number;
  /** Fraction of cells that must change for a frame to count as motion (2 of 2304 cells ≈ a distant walker). */
  minChangedFraction: number;
  /** After motion or a detection, frames keep being processed this long (hysteresis). */
  holdS: number;
  /** Skipped frames this close before a processed frame are processed too. */
  preRollS: number;
  /** Longest stretch without a processed frame (periodic full check). */
  checkEveryS: number;
}

export const DEFAULT_MOTION_GATE: MotionGateOptions = {
  gridW: 64, gridH: 36, cellThreshold: 6, minChangedFraction: 0.0008, holdS: 5, preRollS: 1, checkEveryS: 10,
};

export type GateReason = 'first' | 'motion' | 'hold' | 'check' | 'idle';

export interface GateDecision {
  process: boolean;
  reason: GateReason;
  /** Fraction of grid cells that changed since the previous sampled frame. */
  changed: number;
}

export interface GateFrame {
  timeS: number;
  width: number;
  height: number;
  /** Packed RGB24. */
  data: Uint8Array;
}

/**
 * Grey block means of an RGB24 frame on a gw×gh grid. Every second pixel of every second row is
 * read: a quarter of the memory traffic, and a 20×20-pixel cell still averages 100 pixels.
 */
export function greyGrid(f: GateFrame, gw: number, gh: number): Float32Array {
  const sums = new Float32Array(gw * gh);
  const counts = new Uint32Array(gw * gh);
  const { width: w, height: h, data } = f;
  const colCell = new Uint16Array(w);
  for (let x = 0; x < w; x++) colCell[x] = Math.min(gw - 1, Math.floor((x * gw) / w));
  for (let y = 0; y < h; y += 2) {
    const row = Math.min(gh - 1, Math.floor((y * gh) / h)) * gw;
    let p = y * w * 3;
    for (let x = 0; x < w; x += 2, p += 6) {
      // Integer luma (BT.601 weights ×256).
      const c = row + colCell[x];
      sums[c] += (77 * data[p] + 150 * data[p + 1] + 29 * data[p + 2]) >> 8;
      counts[c]++;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = counts[i] ? sums[i] / counts[i] : 0;
  return sums;
}

/** Per-cell differences a − b, less their median: a global change of brightness (auto exposure, a cloud) moves every cell alike and is not motion. */
function differences(a: Float32Array, b: Float32Array): Float32Array {
  const d = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  const median = Float32Array.from(d).sort()[d.length >> 1];
  for (let i = 0; i < d.length; i++) d[i] -= median;
  return d;
}

/** Fraction of cells that differ by more than `threshold` between two grids (global brightness change removed). */
export function changedFraction(a: Float32Array, b: Float32Array, threshold: number): number {
  const d = differences(a, b);
  let n = 0;
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i]) > threshold) n++;
  return n / d.length;
}

export class MotionGate {
  private previous: Float32Array | null = null;
  private lastProcessedT = -Infinity;
  private openUntilT = -Infinity;

  constructor(readonly opts: MotionGateOptions = DEFAULT_MOTION_GATE) {}

  /** Measures one sampled frame (in time order) and says whether the detector should see it. */
  decide(f: GateFrame): GateDecision {
    const grid = greyGrid(f, this.opts.gridW, this.opts.gridH);
    if (!this.previous) {
      this.previous = grid;
      return this.processed(f.timeS, 'first', 1);
    }
    const changed = changedFraction(grid, this.previous, this.opts.cellThreshold);
    this.previous = grid;
    if (changed >= this.opts.minChangedFraction) {
      this.openUntilT = Math.max(this.openUntilT, f.timeS + this.opts.holdS);
      return this.processed(f.timeS, 'motion', changed);
    }
    if (f.timeS <= this.openUntilT) return this.processed(f.timeS, 'hold', changed);
    if (f.timeS - this.lastProcessedT >= this.opts.checkEveryS) return this.processed(f.timeS, 'check', changed);
    return { process: false, reason: 'idle', changed };
  }

  /** People were detected on the frame at `timeS`: keep processing for `holdS` after it. */
  sawPeople(timeS: number): void {
    this.openUntilT = Math.max(this.openUntilT, timeS + this.opts.holdS);
  }

  private processed(t: number, reason: GateReason, changed: number): GateDecision {
    this.lastProcessedT = t;
    return { process: true, reason, changed };
  }
}

/**
 * Pre-roll within a batch: skipped frames up to `preRollS` before a processed frame are processed
 * too (a person entering is often already in view, barely, a sample before the change is large).
 * `times` ascending; `process` is updated in place.
 */
export function applyPreRoll(times: number[], process: boolean[], preRollS: number): void {
  let nextProcessedT = Infinity;
  for (let i = times.length - 1; i >= 0; i--) {
    if (process[i]) nextProcessedT = times[i];
    else if (nextProcessedT - times[i] <= preRollS) process[i] = true;
  }
}
