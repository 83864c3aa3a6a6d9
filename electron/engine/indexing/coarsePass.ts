// Keyframe-first coarse pass: find the stretches of a recording where nothing happens, so that the
// full decode (every frame, to reach the 1/fps samples) is spent only around change.
//
// Decoding keyframes only (ffmpeg -skip_frame nokey) costs a fraction of a full decode: the other
// frames of each GOP are demuxed but never decoded. Each keyframe is reduced to the motion gate's
// grey grid and compared with the previous keyframe; where two consecutive keyframes show no change,
// the detector looks at both. An interval between two keyframes is *quiet* when they show no change,
// nobody on either, and they are at most `maxKeyframeGapS` apart (a walker crosses a view in far
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
}

export const DEFAULT_COARSE: CoarseOptions = { maxKeyframeGapS: 4, marginS: 2, minSkipS: 8, maxSide: 640 };

/** What the coarse pass saw on one keyframe. */
export interface KeyframeLook {
  timeS: number;
  /** Fraction of grid cells changed since the previous keyframe (1 for the first). */
  changed: number;
  /** People the detector found; null when it did not look (the keyframe changed, so it is not skipped anyway). */
  people: number | null;
}

/** A stretch not decoded by the full pass: sampled frames with afterS < t ≤ untilS. */
export interface Skip { afterS: number; untilS: number }

export interface CoarsePlan { keyframes: number; gopS: number; skips: Skip[]; skippedS: number }

const still = (changed: number): boolean => changed < DEFAULT_MOTION_GATE.minChangedFraction;

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

/** Decodes the keyframes of `file` and looks at each (grid change, and the detector where it matters). */
export async function lookAtKeyframes(file: string, detector: Detector, o: { ffmpegPath: string; durationS?: number; signal?: AbortSignal; opts?: CoarseOptions }): Promise<KeyframeLook[]> {
  const opts = o.opts ?? DEFAULT_COARSE;
  const { gridW, gridH, cellThreshold } = DEFAULT_MOTION_GATE;
  const looks: KeyframeLook[] = [];
  // Keyframes the detector must look at (a neighbour of an unchanged interval), with their look.
  let pending: { frame: Frame; look: KeyframeLook }[] = [];
  const detectPending = async (): Promise<void> => {
    if (!pending.length) return;
    const boxes = await detector.detect(pending.map((p) => p.frame));
    boxes.forEach((b, i) => { pending[i].look.people = plausiblePeople(b, pending[i].frame.width, pending[i].frame.height).length; });
    pending = [];
  };
  const need = (frame: Frame, look: KeyframeLook): void => {
    if (look.people === null && !pending.some((p) => p.look === look)) pending.push({ frame, look });
  };
  let prev: { frame: Frame; grid: Float32Array; look: KeyframeLook } | null = null;
  // One tick a second: every keyframe of a GOP of 1 s or more gets its own tick, and all-intra footage
  // (MJPEG: every frame a keyframe) gives one look a second, not one per frame.
  for await (const frame of sampleFrames(file, { ffmpegPath: o.ffmpegPath, fps: 1, keyframesOnly: true, maxSide: opts.maxSide, durationS: o.durationS, readAhead: 8, signal: o.signal })) {
    const grid = greyGrid(frame, gridW, gridH);
    const look: KeyframeLook = { timeS: frame.timeS, changed: prev ? changedFraction(grid, prev.grid, cellThreshold) : 1, people: null };
    looks.push(look);
    if (prev && still(look.changed)) {
      need(prev.frame, prev.look);
      need(frame, look);
    }
    prev = { frame, grid, look };
    if (pending.length >= 8) await detectPending();
  }
  await detectPending();
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
