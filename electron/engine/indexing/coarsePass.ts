// Keyframe-first coarse pass: find the stretches of a recording where nothing happens, so that the
// full decode (every frame, to reach the 1/fps samples) is spent only around change.
//
// Decoding keyframes only (ffmpeg -skip_frame nokey) costs a fraction of a full decode: the other
// frames of each GOP are demuxed but never decoded. Each keyframe is reduced to the motion gate's
// grey grid and compared with the previous keyframe. Inside a run of keyframes each unchanged since
// the one before, nobody can enter or leave (that would be a change), so the detector looks at the
// run's first keyframe and, as a safety net, again every `relookS`; the others take its count
// (`StillRuns`). Keyframes that changed are not looked at: their intervals are not skipped anyway.
// An interval between two keyframes is *quiet* when they show no change, nobody on either (as counted
// for their run), and they are at most `maxKeyframeGapS` apart (a walker crosses a view in far
// more than that; a camera with long GOPs is simply not skipped). Runs of quiet intervals, less a
// margin of at least one GOP at each end, long enough to be worth a seek, are skipped: the full pass
// decodes only the ranges between them (each with its own `-ss` seek; video/sampler.ts).
//
// The plan is a pure function of the file, the detector and these options, so a resumed run computes
// the same plan and "indexed up to t" (videos.indexed_until_s) keeps its meaning: every sampling tick
// up to t was either indexed or lies in a skipped stretch of the plan.
import { fileUrl, runFfmpeg } from '../video/ffmpeg';
import { sampleFrames, type Frame } from '../video/sampler';
import type { Detector } from '../vision/detector';
import { changedFraction, DEFAULT_MOTION_GATE, greyGrid } from './motionGate';
import { plausiblePeople } from './personFilter';

export interface CoarseOptions {
  /** Keyframes further apart than this are not trusted to show everything in between. */
  maxKeyframeGapS: number;
  /** Decoded in full at each end of a quiet run, beyond the run's own keyframes (at least one GOP is used). */
  marginS: number;
  /** Shortest stretch worth skipping: a seek decodes up to a GOP before its target. */
  minSkipS: number;
  /** Keyframes are decoded at this longest side (the grid and the detector's 416 px input need no more). */
  maxSide: number;
  /**
   * Inside a still run the detector looks again after this long. The change test misses what changes
   * too slowly to cross its threshold between two keyframes (a distant person creeping in, light
   * drifting) and the detector can miss someone on the run's first keyframe: neither may stand for a
   * whole run. The motion gate's periodic full check makes the same promise for the full pass.
   */
  relookS: number;
}

export const DEFAULT_COARSE: CoarseOptions = { maxKeyframeGapS: 4, marginS: 2, minSkipS: 8, maxSide: 640, relookS: DEFAULT_MOTION_GATE.checkEveryS };

/** What the coarse pass saw on one keyframe. */
export interface KeyframeLook {
  timeS: number;
  /** Fraction of grid cells changed since the previous keyframe (1 for the first). */
  changed: number;
  /**
   * People on it: the detector's count, or, inside a still run, the count of the run's keyframe it
   * looked at last; null when unseen (the keyframe changed, so it is not skipped anyway).
   */
  people: number | null;
}

const still = (changed: number): boolean => changed < DEFAULT_MOTION_GATE.minChangedFraction;

/**
 * Which keyframes the detector looks at, fed one keyframe at a time (time order). A keyframe that did
 * not change since the previous one joins that one's still run; the run's first keyframe is looked at,
 * and again the first keyframe `relookS` or more after the last look. Every keyframe of a run takes
 * the count of the last look at or before it.
 */
export class StillRuns {
  private prevS: number | null = null;
  /** Index and time of the keyframe whose look stands for the current run; null outside a run. */
  private anchor: { index: number; timeS: number } | null = null;
  private count = 0;

  constructor(private readonly relookS: number) {}

  /** Keyframe `index` (from 0); `look`: keyframes to send to the detector now; `from`: whose count it takes (null: unseen). */
  add(timeS: number, changed: number): { look: number[]; from: number | null } {
    const index = this.count++;
    const prevS = this.prevS;
    this.prevS = timeS;
    if (prevS === null || !still(changed)) {
      this.anchor = null;
      return { look: [], from: null };
    }
    const look: number[] = [];
    if (!this.anchor) {
      this.anchor = { index: index - 1, timeS: prevS };
      look.push(index - 1);
    }
    if (timeS - this.anchor.timeS >= this.relookS) {
      this.anchor = { index, timeS };
      look.push(index);
    }
    return { look, from: this.anchor.index };
  }
}

/** A stretch not decoded by the full pass: sampled frames with afterS < t ≤ untilS. */
export interface Skip { afterS: number; untilS: number }

export interface CoarsePlan { keyframes: number; gopS: number; skips: Skip[]; skippedS: number }

/** The stretches to skip, from the looks at every keyframe (time order). */
export function planSkips(looks: KeyframeLook[], opts: CoarseOptions = DEFAULT_COARSE): CoarsePlan {
  const gaps = looks.slice(1).map((k, i) => k.timeS - looks[i].timeS).sort((a, b) => a - b);
  const gopS = gaps.length ? gaps[gaps.length >> 1] : 0;
  const margin = Math.max(opts.marginS, gopS);
  const skips: Skip[] = [];
  let runStart: number | null = null;
  const close = (endS: number): void => {
    if (runStart === null) return;
    const afterS = runStart + margin, untilS = endS - margin;
    if (untilS - afterS >= opts.minSkipS) skips.push({ afterS, untilS });
    runStart = null;
  };
  for (let i = 1; i < looks.length; i++) {
    const a = looks[i - 1], b = looks[i];
    const quiet = still(b.changed) && a.people === 0 && b.people === 0 && b.timeS - a.timeS <= opts.maxKeyframeGapS;
    if (quiet) runStart ??= a.timeS;
    else close(a.timeS);
  }
  // A run reaching the last keyframe ends there: what follows it was never seen.
  if (looks.length) close(looks[looks.length - 1].timeS);
  return { keyframes: looks.length, gopS, skips, skippedS: skips.reduce((s, k) => s + k.untilS - k.afterS, 0) };
}

/**
 * The keyframe interval at the start of `file` (median over its first `seconds`), from the packets'
 * key flags (ffmpeg's framecrc on stdout, demuxing only: nothing is decoded). Infinity with fewer
 * than two keyframes. A camera whose GOP is longer than the coarse pass trusts is not worth a pass.
 */
export async function keyframeInterval(file: string, ffmpegPath: string, seconds = 20, signal?: AbortSignal): Promise<number> {
  const r = await runFfmpeg(ffmpegPath, ['-t', String(seconds), '-protocol_whitelist', 'file', '-i', fileUrl(file), '-map', '0:V:0', '-c', 'copy', '-f', 'framecrc', 'pipe:1'], { file, signal });
  if (r.code !== 0) return Infinity;
  const tb = /^#tb 0: (\d+)\/(\d+)$/m.exec(r.stdout);
  if (!tb) return Infinity;
  const times: number[] = [];
  for (const line of r.stdout.split('\n')) {
    // "stream, dts, pts, duration, size, checksum[, F=0xflags]": the flags are printed unless they are exactly "key".
    const f = /^0,\s*-?\d+,\s*(-?\d+),\s*\d+,\s*\d+,\s*0x[0-9a-f]+(?:, F=0x([0-9A-Fa-f]+))?/.exec(line);
    if (f && (f[2] === undefined || (parseInt(f[2], 16) & 1) === 1)) times.push((Number(f[1]) * Number(tb[1])) / Number(tb[2]));
  }
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  return gaps.length ? gaps[gaps.length >> 1] : Infinity;
}

/** Decodes the keyframes of `file` and looks at each (grid change; the detector on still runs: `StillRuns`). */
export async function lookAtKeyframes(file: string, detector: Detector, o: { ffmpegPath: string; durationS?: number; signal?: AbortSignal; opts?: CoarseOptions }): Promise<KeyframeLook[]> {
  const opts = o.opts ?? DEFAULT_COARSE;
  const { gridW, gridH, cellThreshold } = DEFAULT_MOTION_GATE;
  const looks: KeyframeLook[] = [];
  // The count of a keyframe inside a still run is its run's last look (index into looks), set once the detector ran.
  const from: (number | null)[] = [];
  const runs = new StillRuns(opts.relookS);
  // Keyframes the detector must look at, with their look.
  let pending: { frame: Frame; look: KeyframeLook }[] = [];
  const detectPending = async (): Promise<void> => {
    if (!pending.length) return;
    const boxes = await detector.detect(pending.map((p) => p.frame));
    boxes.forEach((b, i) => { pending[i].look.people = plausiblePeople(b, pending[i].frame.width, pending[i].frame.height).length; });
    pending = [];
  };
  let prev: { frame: Frame; grid: Float32Array } | null = null;
  // One tick a second: every keyframe of a GOP of 1 s or more gets its own tick, and all-intra footage
  // (MJPEG: every frame a keyframe) gives one look a second, not one per frame.
  for await (const frame of sampleFrames(file, { ffmpegPath: o.ffmpegPath, fps: 1, keyframesOnly: true, maxSide: opts.maxSide, durationS: o.durationS, readAhead: 8, signal: o.signal })) {
    const grid = greyGrid(frame, gridW, gridH);
    const look: KeyframeLook = { timeS: frame.timeS, changed: prev ? changedFraction(grid, prev.grid, cellThreshold) : 1, people: null };
    const step = runs.add(look.timeS, look.changed);
    looks.push(look);
    from.push(step.from);
    for (const i of step.look) {
      from[i] = i;
      pending.push({ frame: i === looks.length - 1 ? frame : prev!.frame, look: looks[i] });
    }
    prev = { frame, grid };
    if (pending.length >= 8) await detectPending();
  }
  await detectPending();
  from.forEach((f, i) => { if (f !== null && f !== i) looks[i].people = looks[f].people; });
  return looks;
}

/**
 * The frames of the full pass under a plan: one sampler run per range between skips, each seeking
 * to its start, stopped as soon as it passes the next skip. `sample(startS)` yields the frames with
 * t > startS (all frames when undefined), exactly as an unskipped run would on those ticks.
 */
export async function* framesAround(skips: Skip[], startS: number | undefined, sample: (startS: number | undefined) => AsyncGenerator<Frame>): AsyncGenerator<Frame> {
  let from = startS;
  for (const skip of skips) {
    if (from !== undefined && skip.untilS <= from) continue;
    if (from === undefined || skip.afterS > from) {
      for await (const f of sample(from)) {
        if (f.timeS > skip.afterS) break; // stops (and kills) this range's ffmpeg
        yield f;
      }
    }
    from = skip.untilS;
  }
  yield* sample(from);
}
