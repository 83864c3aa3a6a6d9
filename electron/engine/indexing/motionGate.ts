// Motion gating: CCTV is mostly a still scene, and a sampled frame that shows nothing new need not
// go through the detector (nor anything after it). Each sampled frame is reduced to a 64×36 grey
// grid (block means: sensor noise and compression ripple average out) and compared with a slowly
// updated background and with the previous sampled frame. The detector runs on a frame when
//   - enough grid cells changed (someone moved, or something differs from the empty scene), or
//   - people were detected within `holdS` before it (people standing still stay indexed), or
//   - no frame was processed for `checkEveryS` (a periodic full check: nobody is missed for long
//     because they never moved against the background), or
//   - it lies within `preRollS` before a frame that is processed (the first frames of an entrance).
// Frames the gate skips are still decoded; they advance the resume point like any other.

export interface MotionGateOptions {
  /** Grid the frame is reduced to (cells). */
  gridW: number;
  gridH: number;
  /** A cell changed when its grey mean differs by more than this (0–255) from the background or the previous frame. */
  cellThreshold: number;
  /** Fraction of cells that must change for a frame to count as motion (2 of 2304 cells ≈ a distant walker). */
  minChangedFraction: number;
  /** Time constant (seconds) of the background's exponential update: a change lasting much longer becomes background. */
  backgroundTimeS: number;
  /** After motion or a detection, frames keep being processed this long (hysteresis). */
  holdS: number;
  /** Skipped frames this close before a processed frame are processed too. */
  preRollS: number;
  /** Longest stretch without a processed frame (periodic full check). */
  checkEveryS: number;
}

export const DEFAULT_MOTION_GATE: MotionGateOptions = {
  gridW: 64, gridH: 36, cellThreshold: 6, minChangedFraction: 0.0008, backgroundTimeS: 30, holdS: 5, preRollS: 1, checkEveryS: 10,
};

export type GateReason = 'first' | 'motion' | 'hold' | 'check' | 'idle';

export interface GateDecision {
  process: boolean;
  reason: GateReason;
  /** Fraction of grid cells that changed (against the background or the previous frame). */
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

function changedFraction(a: Float32Array, b: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > threshold) n++;
  return n / a.length;
}

export class MotionGate {
  private background: Float32Array | null = null;
  private previous: Float32Array | null = null;
  private previousT = 0;
  private lastProcessedT = -Infinity;
  private openUntilT = -Infinity;

  constructor(readonly opts: MotionGateOptions = DEFAULT_MOTION_GATE) {}

  /** Measures one sampled frame (in time order) and says whether the detector should see it. */
  decide(f: GateFrame): GateDecision {
    const grid = greyGrid(f, this.opts.gridW, this.opts.gridH);
    if (!this.background || !this.previous) {
      this.background = Float32Array.from(grid);
      this.previous = grid;
      this.previousT = f.timeS;
      return this.processed(f.timeS, 'first', 1);
    }
    const changed = Math.max(
      changedFraction(grid, this.background, this.opts.cellThreshold),
      changedFraction(grid, this.previous, this.opts.cellThreshold),
    );
    const dt = Math.max(0, f.timeS - this.previousT);
    const rate = 1 - Math.exp(-dt / this.opts.backgroundTimeS);
    for (let i = 0; i < grid.length; i++) this.background[i] += rate * (grid[i] - this.background[i]);
    this.previous = grid;
    this.previousT = f.timeS;
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
